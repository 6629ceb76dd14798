// WalkPool: the threads of one directory walk. They share a LIFO stack of directories: each
// worker takes one, visits it (the album walker lists and stats it) and pushes the subdirectories
// it finds. The walk ends when the stack is empty and no visit is running, or on Stop(). The
// calling thread is worker 0, so callbacks that must stay on the caller (progress) can run there.
// One pool serves one Run(); Push, Stop and stopped are thread-safe.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <string>
#include <vector>

namespace photomap::scan {

class WalkPool {
 public:
  // visit(worker, dir) handles one directory on worker `worker` (0 = the calling thread). It must
  // not throw: on a worker thread that would end the process.
  using Visit = std::function<void(int worker, std::string dir)>;

  // Requires: threads >= 1 (the calling thread included).
  explicit WalkPool(int threads);
  WalkPool(const WalkPool&) = delete;
  WalkPool& operator=(const WalkPool&) = delete;

  // The number of workers Run uses, the calling thread included.
  int threads() const { return threads_; }

  // Adds a directory to visit. Callable before Run and from inside a visit.
  void Push(std::string dir);

  // Hands out no more directories; visits already running finish (they should poll stopped()),
  // then Run returns. Callable from any thread.
  void Stop();
  bool stopped() const { return stopped_.load(std::memory_order_relaxed); }

  // Runs `visit` on every pushed directory, on threads()-1 new threads plus the calling thread,
  // and returns when all are joined. While the calling thread waits for work it calls
  // `caller_idle` (may be empty) about every `idle_tick`. A thread that cannot be started is left
  // out (the others do its share). Requires: called once.
  void Run(const Visit& visit, const std::function<void()>& caller_idle,
           std::chrono::milliseconds idle_tick);

 private:
  // The worker loop: take a directory, visit it, repeat until the walk is over.
  void Work(int worker, const Visit& visit, const std::function<void()>* caller_idle,
            std::chrono::milliseconds idle_tick);

  const int threads_;
  std::atomic<bool> stopped_{false};
  std::mutex mu_;
  std::condition_variable cv_;      // signalled on Push, on the last visit ending, on Stop
  std::vector<std::string> stack_;  // guarded by mu_
  int running_ = 0;                 // visits in progress; guarded by mu_
};

}  // namespace photomap::scan
