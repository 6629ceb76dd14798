#include "media/exiv2_guard.h"

#include <spdlog/spdlog.h>

#include <exiv2/exiv2.hpp>
#include <mutex>

namespace photomap::media {
namespace {

thread_local Exiv2LogCapture* t_capture = nullptr;
constexpr size_t kMaxCapturedMessages = 32;

std::mutex& XmpToolkitMutex() {
  static std::mutex mutex;
  return mutex;
}

// The XMP toolkit is not reentrant; exiv2 calls this around every use of it.
void XmpLock(void* /*data*/, bool lock) {
  if (lock) {
    XmpToolkitMutex().lock();
  } else {
    XmpToolkitMutex().unlock();
  }
}

void LogHandler(int level, const char* message) {
  std::string text = message ? message : "";
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  if (t_capture != nullptr) {
    t_capture->Add(std::move(text));
    return;
  }
  spdlog::debug("exiv2 ({}): {}", level, text);
}

}  // namespace

void EnsureExiv2Initialized() {
  static std::once_flag once;
  std::call_once(once, [] {
    Exiv2::LogMsg::setLevel(Exiv2::LogMsg::warn);
    Exiv2::LogMsg::setHandler(LogHandler);
    Exiv2::XmpParser::initialize(XmpLock, nullptr);
    Exiv2::enableBMFF(true);
  });
}

Exiv2LogCapture::Exiv2LogCapture() : previous_(t_capture) { t_capture = this; }

Exiv2LogCapture::~Exiv2LogCapture() { t_capture = previous_; }

void Exiv2LogCapture::Add(std::string message) {
  if (messages_.size() < kMaxCapturedMessages) messages_.push_back(std::move(message));
}

}  // namespace photomap::media
