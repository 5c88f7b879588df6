#pragma once
/// Runs independent tasks on a few threads; the rate limiters, not the thread
/// count, bound the request rate, so a handful of threads keeps 20 req/s busy
/// despite network latency.

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace gatehouse::aws {

/// Runs every task (each at most once) on up to `threads` threads and returns
/// when all finished. Once a task returns false the remaining ones are
/// skipped; the result is false then. A task that throws fails the run the
/// same way, and its exception is rethrown here once every thread has joined.
inline bool RunParallel(size_t threads, const std::vector<std::function<bool()>>& tasks,
                        const std::function<void(size_t done)>& on_done = {}) {
  std::atomic<size_t> next{0};
  std::atomic<size_t> done{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex error_mu;
  auto worker = [&] {
    for (;;) {
      size_t i = next++;
      if (i >= tasks.size() || failed) return;
      try {
        if (!tasks[i]()) failed = true;
      } catch (...) {
        std::lock_guard<std::mutex> g(error_mu);
        if (!error) error = std::current_exception();
        failed = true;
      }
      size_t d = ++done;
      if (on_done) on_done(d);
    }
  };
  size_t n = std::min(threads == 0 ? 1 : threads, tasks.size());
  std::vector<std::thread> pool;
  for (size_t i = 1; i < n; ++i) pool.emplace_back(worker);
  if (n > 0) worker();
  for (auto& t : pool) t.join();
  if (error) std::rethrow_exception(error);
  return !failed;
}

}  // namespace gatehouse::aws
