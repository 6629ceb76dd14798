# Tests of photomap_media_meta (EXIF/XMP, PNG text, InvokeAI, capture time, metadata dict, video).
# One binary for the whole library keeps link time down on 2-core machines; the test files mirror
# src/media/ one to one. Files come from ../shared/photos (see its README) plus generated ones.
photomap_test(media_meta_test
  SOURCES
    ${CMAKE_CURRENT_SOURCE_DIR}/exif_reader_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/png_text_reader_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/invokeai_metadata_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/capture_time_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/metadata_extractor_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_probe_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_frame_test.cpp
    ${CMAKE_CURRENT_SOURCE_DIR}/video_still_cache_test.cpp
  DEPS photomap_media_meta exiv2lib PkgConfig::ZLIB PkgConfig::TURBOJPEG)
# The XMP test writes a packet with exiv2, whose 0.27 headers use std::auto_ptr.
target_compile_options(media_meta_test PRIVATE -Wno-deprecated-declarations)
