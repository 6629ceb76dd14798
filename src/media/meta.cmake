# photomap_media_meta: EXIF/XMP (exiv2), PNG text chunks (own walker + zlib), InvokeAI metadata,
# capture time, the per-image metadata dict, and video probing / still frames / still cache (libav).
# Included from src/media/CMakeLists.txt; paths are relative to this folder.
photomap_module(media_meta
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/exiv2_guard.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/exif_tag_names.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/utf8_text.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/exif_reader.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/png_text_reader.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/invokeai_metadata.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/capture_time.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/metadata_extractor.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/av_log.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_input.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_probe.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_frame.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_still_cache.cpp
  DEPS
    photomap_util exiv2lib PkgConfig::ZLIB PkgConfig::AV PkgConfig::TURBOJPEG PkgConfig::B2
    nlohmann_json::nlohmann_json spdlog::spdlog fmt::fmt Threads::Threads)
# exiv2 0.27's headers use std::auto_ptr, which g++ 12 flags as deprecated in C++20 mode.
target_compile_options(photomap_media_meta PRIVATE -Wno-deprecated-declarations)
