#pragma once
/// A token bucket per API family (AWS quotas are per family: 20 TPS for
/// sso-admin, per API for identitystore). It adapts: a throttle answer
/// multiplies the rate by 0.8 (floor 1/s, at most one decrease per second),
/// each success wins back up to a tenth of the configured rate per second
/// until it is reached again (AIMD, like the SDKs' "adaptive" retry mode).

#include <chrono>
#include <functional>
#include <mutex>

namespace gatehouse::net {

class RateLimiter {
 public:
  using SleepFn = std::function<void(std::chrono::milliseconds)>;
  /// `burst`: how many requests may go out at once after a quiet spell; 0 =
  /// a second's worth (at least 1).
  RateLimiter(double rate_per_second, SleepFn sleep, double burst = 0);

  /// Blocks until a request may go out.
  void Acquire();
  void OnThrottled();
  void OnSuccess();
  double rate() const;

 private:
  mutable std::mutex mu_;
  double max_rate_;
  double rate_;
  double tokens_;
  double burst_;  ///< 0: a second's worth of the current rate
  std::chrono::steady_clock::time_point last_;
  std::chrono::steady_clock::time_point last_increase_;
  std::chrono::steady_clock::time_point last_decrease_{};
  SleepFn sleep_;
};

}  // namespace gatehouse::net
