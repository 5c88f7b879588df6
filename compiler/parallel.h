#pragma once
/// Runs independent pieces of work on up to one thread per core. Pure
/// computation only: the pieces must not share mutable state.

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

namespace gatehouse {

/// Calls work(i) for every i in [0, n), each once, on up to one thread per core
/// (at most 8; the calling thread is one of them), and returns when all are done.
/// An exception thrown by a piece stops the remaining pieces and is rethrown
/// here, on the calling thread, as a serial loop would (a thread that let it
/// escape would end the process).
template <typename Work>
void ParallelFor(size_t n, Work work) {
  std::atomic<size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_mutex;
  auto run = [&]() {
    for (size_t i; (i = next.fetch_add(1)) < n;) {
      try {
        work(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(failure_mutex);
        if (!failure) failure = std::current_exception();
        next.store(n);  // no new pieces
      }
    }
  };
  size_t threads = std::min<size_t>({std::max(1u, std::thread::hardware_concurrency()), 8, n});
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(run);
  run();
  for (auto& th : pool) th.join();
  if (failure) std::rethrow_exception(failure);
}

}  // namespace gatehouse
