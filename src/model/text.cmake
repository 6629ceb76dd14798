# photomap_model_text: tokenizers, image preprocessing, encoder specs and the model store.
photomap_module(model_text
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/html_unescape.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text_normalize.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/bpe_tokenizer.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/sentencepiece_tokenizer.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/tokenizer_loader.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/resample_bicubic.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/preprocess.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/encoder_spec.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/text_query.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/http_download.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/model_store.cpp
  DEPS photomap_util PkgConfig::RE2 PkgConfig::UTF8PROC PkgConfig::SENTENCEPIECE
       PkgConfig::CURL OpenSSL::Crypto nlohmann_json::nlohmann_json)
