// ParallelFor (compiler/parallel.h): every piece once, and a piece's exception
// reaches the caller instead of ending the process from a worker thread.

#include <catch2/catch.hpp>

#include <atomic>
#include <stdexcept>
#include <vector>

#include "compiler/parallel.h"

using gatehouse::ParallelFor;

TEST_CASE("ParallelFor runs every piece exactly once", "[parallel]") {
  std::vector<std::atomic<int>> runs(10000);
  ParallelFor(runs.size(), [&](size_t i) { runs[i]++; });
  for (const auto& r : runs) CHECK(r.load() == 1);
  ParallelFor(0, [](size_t) { FAIL("no piece to run"); });
}

TEST_CASE("ParallelFor rethrows a piece's exception on the calling thread", "[parallel]") {
  std::atomic<int> ran{0};
  auto throwing = [&](size_t i) {
    ran++;
    if (i == 7) throw std::runtime_error("piece 7 failed");
  };
  CHECK_THROWS_WITH(ParallelFor(1000, throwing), "piece 7 failed");
  CHECK(ran.load() >= 1);
  // Every piece throwing: one exception comes out, the call still returns.
  CHECK_THROWS_AS(ParallelFor(64, [](size_t) { throw std::logic_error("all"); }), std::logic_error);
}
