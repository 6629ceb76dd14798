# Tokenizer texts/s and preprocessing img/s for photomap_model_text. Included from
# bench/model/CMakeLists.txt: include(${CMAKE_CURRENT_SOURCE_DIR}/text_bench.cmake OPTIONAL)
add_executable(bench_model_text ${CMAKE_CURRENT_SOURCE_DIR}/bench_model_text.cpp)
target_link_libraries(bench_model_text PRIVATE photomap_model_text nlohmann_json::nlohmann_json)
target_include_directories(bench_model_text PRIVATE "${PROJECT_SOURCE_DIR}/src")
target_compile_definitions(bench_model_text PRIVATE PHOTOMAP_SHARED_DIR="${PHOTOMAP_SHARED_DIR}")
