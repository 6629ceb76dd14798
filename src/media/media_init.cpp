#include "media/media_init.h"

#include <vips/vips.h>

#include <spdlog/spdlog.h>

#include <mutex>

#include "media/vips_handle.h"

namespace photomap::media {
namespace {

// libvips reports recoverable damage ("error in tile", "unknown EXIF resolution unit") through
// GLib warnings on stderr; the failing call already returns an Error, so log them at debug.
void LogVipsMessage(const gchar* domain, GLogLevelFlags, const gchar* message, gpointer) {
  spdlog::debug("{}: {}", domain ? domain : "glib", message ? message : "");
}

}  // namespace

Status InitMediaLibraries(const char* argv0, const MediaInitOptions& options) {
  static std::once_flag once;
  static Status* status = nullptr;  // set once, read-only afterwards; never freed
  std::call_once(once, [&] {
    if (VIPS_INIT(argv0 ? argv0 : "photomap") != 0) {
      status = new Status(Internal("cannot initialise libvips: " + TakeVipsError()));
      return;
    }
    g_log_set_handler("VIPS",
                      static_cast<GLogLevelFlags>(G_LOG_LEVEL_WARNING | G_LOG_LEVEL_MESSAGE |
                                                  G_LOG_LEVEL_INFO | G_LOG_LEVEL_DEBUG),
                      LogVipsMessage, nullptr);
    vips_cache_set_max(0);
    vips_block_untrusted_set(TRUE);
    vips_concurrency_set(options.vips_concurrency > 0 ? options.vips_concurrency : 1);
    status = new Status();
  });
  return *status;
}

}  // namespace photomap::media
