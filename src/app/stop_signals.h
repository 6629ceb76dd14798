// StopSignals: turns SIGINT and SIGTERM into a callback run on one dedicated thread, while the
// object lives. Works whichever thread the kernel delivers the signal to (libraries such as
// OpenBLAS start threads before main, so masking signals in main cannot cover them): the handler
// only writes the signal number to a pipe, and the thread reads it and runs the callback.
// One instance at a time per process.
#pragma once

#include <functional>
#include <thread>

namespace photomap::app {

class StopSignals {
 public:
  explicit StopSignals(std::function<void(int signal)> on_signal);
  ~StopSignals();
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  std::function<void(int)> on_signal_;
  int pipe_[2] = {-1, -1};
  std::thread thread_;
};

}  // namespace photomap::app
