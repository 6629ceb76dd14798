#include "scan/walk_pool.h"

#include <system_error>
#include <thread>
#include <utility>

namespace photomap::scan {

WalkPool::WalkPool(int threads) : threads_(threads < 1 ? 1 : threads) {}

void WalkPool::Push(std::string dir) {
  {
    std::lock_guard lock(mu_);
    stack_.push_back(std::move(dir));
  }
  cv_.notify_one();
}

void WalkPool::Stop() {
  {
    // Set under the lock so that a worker between its check and its wait cannot miss it.
    std::lock_guard lock(mu_);
    stopped_.store(true, std::memory_order_relaxed);
  }
  cv_.notify_all();
}

void WalkPool::Run(const Visit& visit, const std::function<void()>& caller_idle,
                   std::chrono::milliseconds idle_tick) {
  bool any_directory = false;
  {
    std::lock_guard lock(mu_);
    any_directory = !stack_.empty();
  }
  std::vector<std::thread> extra;
  // Without a directory nothing can ever be pushed, so no thread is worth starting.
  for (int i = 1; any_directory && i < threads_; ++i) {
    try {
      extra.emplace_back([this, i, &visit, idle_tick] { Work(i, visit, nullptr, idle_tick); });
    } catch (const std::system_error&) {
      break;  // out of threads: the ones running (at least the caller) finish the walk
    }
  }
  Work(0, visit, caller_idle ? &caller_idle : nullptr, idle_tick);
  for (std::thread& t : extra) t.join();
}

void WalkPool::Work(int worker, const Visit& visit, const std::function<void()>* caller_idle,
                    std::chrono::milliseconds idle_tick) {
  std::unique_lock lock(mu_);
  for (;;) {
    if (stopped()) return;
    if (!stack_.empty()) {
      std::string dir = std::move(stack_.back());
      stack_.pop_back();
      ++running_;
      lock.unlock();
      visit(worker, std::move(dir));
      lock.lock();
      // The last visit of a finished walk wakes the waiting workers so that they can leave.
      if (--running_ == 0 && stack_.empty()) cv_.notify_all();
      continue;
    }
    if (running_ == 0) return;  // nothing queued and nothing running: nothing can be pushed
    if (caller_idle == nullptr) {
      cv_.wait(lock);
      continue;
    }
    cv_.wait_for(lock, idle_tick);
    lock.unlock();
    (*caller_idle)();
    lock.lock();
  }
}

}  // namespace photomap::scan
