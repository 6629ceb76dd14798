// Routes libav's log to photomap and lets one call collect the messages libav prints while it
// runs on the current thread (so "moov atom not found" reaches the user instead of stderr).
// av_log_set_callback is process-global; EnsureAvLogInstalled() sets it once.
#pragma once

#include <string>
#include <vector>

namespace photomap::media {

// Installs photomap's libav log callback once per process. Thread-safe.
void EnsureAvLogInstalled();

// While alive, collects libav messages of level error or worse logged on this thread (up to 16).
// Messages from libav's own worker threads are not captured. Not copyable.
class AvLogCapture {
 public:
  AvLogCapture();
  ~AvLogCapture();
  AvLogCapture(const AvLogCapture&) = delete;
  AvLogCapture& operator=(const AvLogCapture&) = delete;

  const std::vector<std::string>& messages() const { return messages_; }
  void Add(std::string message);
  // Returns the messages joined with "; ", or "" when there are none.
  std::string Joined() const;

 private:
  std::vector<std::string> messages_;
  AvLogCapture* previous_;
};

// Returns libav's text for an AVERROR code, e.g. "Invalid data found when processing input".
std::string AvErrorText(int errnum);

}  // namespace photomap::media
