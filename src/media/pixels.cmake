# photomap_media (pixels half): decode, orientation, thumbnails + cache, file access. Sources are
# named through CMAKE_CURRENT_LIST_DIR so this file works wherever it is included from.
set(_px ${CMAKE_CURRENT_LIST_DIR})
photomap_module(media
  SOURCES
    ${_px}/bmp_decoder.cpp
    ${_px}/browser_image.cpp
    ${_px}/decoder.cpp
    ${_px}/fast_loaders.cpp
    ${_px}/file_bytes.cpp
    ${_px}/file_access.cpp
    ${_px}/image_loader.cpp
    ${_px}/jpeg_eighth_decoder.cpp
    ${_px}/jpeg_eighth_output.cpp
    ${_px}/jpeg_huffman.cpp
    ${_px}/media_init.cpp
    ${_px}/path_digest.cpp
    ${_px}/pixel_convert.cpp
    ${_px}/png_fast_decoder.cpp
    ${_px}/png_unfilter.cpp
    ${_px}/raw_decoder.cpp
    ${_px}/thumbnail_cache.cpp
    ${_px}/thumbnail_params.cpp
    ${_px}/thumbnail_renderer.cpp
  DEPS photomap_scan photomap_util PkgConfig::VIPS PkgConfig::LIBRAW PkgConfig::B2
       PkgConfig::DEFLATE)
