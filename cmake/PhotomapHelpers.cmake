# photomap_module(NAME SOURCES ... DEPS ...): a static library photomap_<NAME> whose headers are
# included as "<module>/<file>.h" from src/.
function(photomap_module name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(photomap_${name} STATIC ${ARG_SOURCES})
  target_include_directories(photomap_${name} PUBLIC "${PROJECT_SOURCE_DIR}/src")
  target_link_libraries(photomap_${name} PUBLIC ${ARG_DEPS})
endfunction()

# photomap_test(NAME SOURCES ... DEPS ... [LABELS ...]): a GoogleTest binary registered with
# ctest. Tests see PHOTOMAP_SHARED_DIR (fixtures) and PHOTOMAP_SOURCE_DIR; tests that start the
# real server link photomap_test_server (tests/http), which knows the binary's path.
function(photomap_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_include_directories(${name} PRIVATE "${PROJECT_SOURCE_DIR}/src" "${PROJECT_SOURCE_DIR}/tests")
  target_compile_definitions(${name} PRIVATE
    PHOTOMAP_SHARED_DIR="${PHOTOMAP_SHARED_DIR}"
    PHOTOMAP_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  set(labels unit)
  if(ARG_LABELS)
    set(labels ${ARG_LABELS})
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST DISCOVERY_TIMEOUT 60
                       PROPERTIES LABELS "${labels}" TIMEOUT 300)
endfunction()
