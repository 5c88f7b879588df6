#pragma once
/// The one retry delay of the network layer: exponential backoff with full
/// jitter (a uniform draw below the ceiling), which spreads the retries of
/// parallel workers apart instead of letting them retry in lockstep.

#include <chrono>

namespace gatehouse::net {

struct Backoff {
  std::chrono::milliseconds base{100};    ///< ceiling of the first retry
  std::chrono::milliseconds cap{10'000};  ///< the ceiling never grows past this
  std::chrono::milliseconds floor{0};     ///< added to every delay

  /// The delay before retry number `attempt` (0 = the first retry):
  /// floor + random × min(cap, base × 2^attempt). `random` is uniform in [0, 1).
  std::chrono::milliseconds Delay(int attempt, double random) const;
};

}  // namespace gatehouse::net
