#include "media/av_log.h"

extern "C" {
#include <libavutil/error.h>
#include <libavutil/log.h>
}

#include <spdlog/spdlog.h>

#include <cstdarg>
#include <mutex>

namespace photomap::media {
namespace {

thread_local AvLogCapture* t_capture = nullptr;
constexpr size_t kMaxCaptured = 16;

void LogCallback(void* /*avcl*/, int level, const char* fmt, va_list args) {
  if (level > AV_LOG_WARNING) return;  // info, verbose, debug: dropped
  char line[1024];
  int print_prefix = 1;
  va_list copy;
  va_copy(copy, args);
  // No context: the "[mov,mp4 @ 0x...]" prefix carries a pointer, useless to a user.
  av_log_format_line2(nullptr, level, fmt, copy, line, sizeof(line), &print_prefix);
  va_end(copy);
  std::string text(line);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (level <= AV_LOG_ERROR && t_capture != nullptr) {
    t_capture->Add(text);
    return;
  }
  spdlog::debug("libav: {}", text);
}

}  // namespace

void EnsureAvLogInstalled() {
  static std::once_flag once;
  std::call_once(once, [] { av_log_set_callback(LogCallback); });
}

AvLogCapture::AvLogCapture() : previous_(t_capture) { t_capture = this; }

AvLogCapture::~AvLogCapture() { t_capture = previous_; }

void AvLogCapture::Add(std::string message) {
  if (messages_.size() < kMaxCaptured) messages_.push_back(std::move(message));
}

std::string AvLogCapture::Joined() const {
  std::string out;
  for (const std::string& m : messages_) out += (out.empty() ? "" : "; ") + m;
  return out;
}

std::string AvErrorText(int errnum) {
  char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
  av_strerror(errnum, buffer, sizeof(buffer));
  return buffer;
}

}  // namespace photomap::media
