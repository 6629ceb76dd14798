// Process-wide initialisation of the media libraries (libvips).
//
// Call InitMediaLibraries once from main() before any decode; every media entry point also calls
// it, so tests and tools work without an explicit call. Idempotent and thread-safe: the first
// call does the work, later calls return its Status.
#pragma once

#include "util/status.h"

namespace photomap::media {

struct MediaInitOptions {
  // Threads libvips may use inside one image. 1: photomap parallelises across images (decode
  // workers), which scales better than splitting one image (debian-deps §3).
  int vips_concurrency = 1;
};

// Runs VIPS_INIT(argv0), disables the libvips operation cache (vips_cache_set_max(0): a server
// must not keep decoded images), and blocks loaders libvips marks untrusted
// (vips_block_untrusted_set(TRUE): no ImageMagick/matlab/... fallbacks on hostile files).
// `argv0` may be null. Returns Internal when libvips cannot start.
Status InitMediaLibraries(const char* argv0, const MediaInitOptions& options = {});

}  // namespace photomap::media
