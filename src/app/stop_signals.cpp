#include "app/stop_signals.h"

#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

namespace photomap::app {
namespace {

volatile sig_atomic_t g_write_fd = -1;

void OnSignal(int sig) {
  const int saved_errno = errno;
  const unsigned char byte = static_cast<unsigned char>(sig);
  if (g_write_fd >= 0) (void)!::write(g_write_fd, &byte, 1);
  errno = saved_errno;
}

void SetHandler(int sig, void (*handler)(int)) {
  struct sigaction action {};
  action.sa_handler = handler;
  sigemptyset(&action.sa_mask);
  action.sa_flags = SA_RESTART;
  ::sigaction(sig, &action, nullptr);
}

}  // namespace

StopSignals::StopSignals(std::function<void(int)> on_signal) : on_signal_(std::move(on_signal)) {
  if (::pipe2(pipe_, O_CLOEXEC) != 0) return;  // without a pipe the default actions stay
  g_write_fd = pipe_[1];
  SetHandler(SIGINT, OnSignal);
  SetHandler(SIGTERM, OnSignal);
  thread_ = std::thread([this] {
    unsigned char byte = 0;
    while (true) {
      ssize_t n = ::read(pipe_[0], &byte, 1);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0 || byte == 0) return;  // 0 = the destructor asks the thread to finish
      on_signal_(byte);
    }
  });
}

StopSignals::~StopSignals() {
  if (pipe_[1] < 0) return;
  SetHandler(SIGINT, SIG_DFL);
  SetHandler(SIGTERM, SIG_DFL);
  g_write_fd = -1;
  const unsigned char stop = 0;
  (void)!::write(pipe_[1], &stop, 1);
  if (thread_.joinable()) thread_.join();
  ::close(pipe_[0]);
  ::close(pipe_[1]);
}

}  // namespace photomap::app
