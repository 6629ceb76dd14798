# Tests for photomap_model (the numeric half): weights, GEMM backends, golden forward passes.
photomap_test(model_safetensors_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/safetensors_test.cpp
  DEPS photomap_model)
photomap_test(model_config_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/model_config_test.cpp
  DEPS photomap_model)
photomap_test(model_gemm_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/gemm_test.cpp ${CMAKE_CURRENT_LIST_DIR}/kernels_test.cpp
  DEPS photomap_model)
photomap_test(model_golden_test
  SOURCES ${CMAKE_CURRENT_LIST_DIR}/golden_test.cpp
  DEPS photomap_model)
# File -> decode -> preprocess -> tokenizer -> encoder, needs the text half (photomap_model_text).
if(TARGET photomap_model_text)
  photomap_test(model_e2e_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/e2e_test.cpp
    DEPS photomap_model photomap_model_text PkgConfig::VIPS)
endif()
# classic:v1 on real photos through the model-input decode path.
if(TARGET photomap_model_text AND TARGET photomap_media)
  photomap_test(model_classic_encoder_test
    SOURCES ${CMAKE_CURRENT_LIST_DIR}/classic_encoder_test.cpp
    DEPS photomap_model photomap_model_text photomap_media PkgConfig::VIPS)
endif()
