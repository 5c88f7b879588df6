#include "runtime/net/backoff.h"

#include <algorithm>
#include <cmath>

namespace gatehouse::net {

std::chrono::milliseconds Backoff::Delay(int attempt, double random) const {
  double cap_ms = static_cast<double>(cap.count());
  // Past 2^20 the cap has long been reached; the clamp keeps pow finite.
  double ceiling = std::min(cap_ms, static_cast<double>(base.count()) * std::pow(2.0, std::min(attempt, 20)));
  return floor + std::chrono::milliseconds(static_cast<long>(random * ceiling));
}

}  // namespace gatehouse::net
