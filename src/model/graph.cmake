# photomap_model: weights (safetensors, config.json), GEMM backends, CLIP / SigLIP graphs and the
# Encoder facade. The text half (tokenizers, preprocessing, store) is photomap_model_text.
photomap_module(model
  SOURCES
    ${CMAKE_CURRENT_LIST_DIR}/safetensors.cpp
    ${CMAKE_CURRENT_LIST_DIR}/model_config.cpp
    ${CMAKE_CURRENT_LIST_DIR}/weights.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gemm_reference.cpp
    ${CMAKE_CURRENT_LIST_DIR}/gemm_openblas.cpp
    ${CMAKE_CURRENT_LIST_DIR}/openblas_runtime.cpp
    ${CMAKE_CURRENT_LIST_DIR}/transformer.cpp
    ${CMAKE_CURRENT_LIST_DIR}/graph.cpp
    ${CMAKE_CURRENT_LIST_DIR}/clip_graph.cpp
    ${CMAKE_CURRENT_LIST_DIR}/siglip_graph.cpp
    ${CMAKE_CURRENT_LIST_DIR}/encoder.cpp
    ${CMAKE_CURRENT_LIST_DIR}/random_weights.cpp
    ${CMAKE_CURRENT_LIST_DIR}/classic_descriptor.cpp
    ${CMAKE_CURRENT_LIST_DIR}/classic_encoder.cpp
  DEPS photomap_util PkgConfig::OPENBLAS nlohmann_json::nlohmann_json Threads::Threads)
# `#pragma omp simd` reductions in the elementwise kernels (no OpenMP runtime is linked).
target_compile_options(photomap_model PRIVATE -fopenmp-simd)
