# Tests of the pixels half of media/ (decode, thumbnails, file access). Sources are named through
# CMAKE_CURRENT_LIST_DIR so this file works wherever it is included from.
set(_pxt ${CMAKE_CURRENT_LIST_DIR})
photomap_test(media_decoder_test SOURCES ${_pxt}/decoder_test.cpp DEPS photomap_media)
photomap_test(media_raw_decoder_test SOURCES ${_pxt}/raw_decoder_test.cpp DEPS photomap_media)
photomap_test(media_thumbnail_test SOURCES ${_pxt}/thumbnail_test.cpp DEPS photomap_media)
photomap_test(media_thumbnail_cache_test SOURCES ${_pxt}/thumbnail_cache_test.cpp
              DEPS photomap_media)
photomap_test(media_file_access_test SOURCES ${_pxt}/file_access_test.cpp DEPS photomap_media)
photomap_test(media_browser_image_test SOURCES ${_pxt}/browser_image_test.cpp DEPS photomap_media)
photomap_test(media_decoder_fuzz_test SOURCES ${_pxt}/decoder_fuzz_test.cpp DEPS photomap_media)
photomap_test(media_png_fast_decoder_test SOURCES ${_pxt}/png_fast_decoder_test.cpp
              DEPS photomap_media)
photomap_test(media_jpeg_eighth_decoder_test SOURCES ${_pxt}/jpeg_eighth_decoder_test.cpp
              DEPS photomap_media PkgConfig::TURBOJPEG)
