# Tests for photomap_model_text (tokenizers, preprocessing, encoder specs, model store).
photomap_test(model_bpe_tokenizer_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/bpe_tokenizer_test.cpp
          ${CMAKE_CURRENT_SOURCE_DIR}/html_unescape_test.cpp
  DEPS photomap_model_text nlohmann_json::nlohmann_json)
photomap_test(model_preprocess_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/preprocess_test.cpp
  DEPS photomap_model_text PkgConfig::VIPS)
photomap_test(model_sentencepiece_tokenizer_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/sentencepiece_tokenizer_test.cpp
  DEPS photomap_model_text)
photomap_test(model_encoder_spec_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/encoder_spec_test.cpp
  DEPS photomap_model_text)
photomap_test(model_store_test
  SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/model_store_test.cpp
  DEPS photomap_model_text PkgConfig::HTTPLIB)
