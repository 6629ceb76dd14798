// Process-wide exiv2 set-up and per-call capture of exiv2's log messages.
//
// exiv2 0.27 keeps global state (the XMP toolkit, the BMFF switch, one log handler) whose
// initialisation is not thread-safe; EnsureExiv2Initialized() does it exactly once. Exiv2LogCapture
// collects what exiv2 logs on the current thread while it is alive, so a reader can attach those
// warnings to the file that caused them instead of letting exiv2 print to stderr.
#pragma once

#include <string>
#include <vector>

namespace photomap::media {

// Initialises exiv2 once per process: XMP toolkit (with a mutex as its lock), BMFF support for
// HEIC/AVIF/CR3, and a log handler that routes exiv2's warnings and errors to the active
// Exiv2LogCapture of the calling thread (or to spdlog at debug level when there is none).
// Thread-safe and cheap after the first call.
void EnsureExiv2Initialized();

// While alive, collects exiv2's log messages emitted on this thread (at most 32 are kept).
// Captures nest: the innermost one receives the messages. Not copyable.
class Exiv2LogCapture {
 public:
  Exiv2LogCapture();
  ~Exiv2LogCapture();
  Exiv2LogCapture(const Exiv2LogCapture&) = delete;
  Exiv2LogCapture& operator=(const Exiv2LogCapture&) = delete;

  // Messages captured so far, oldest first, without trailing newlines.
  const std::vector<std::string>& messages() const { return messages_; }
  void Add(std::string message);

 private:
  std::vector<std::string> messages_;
  Exiv2LogCapture* previous_;
};

}  // namespace photomap::media
