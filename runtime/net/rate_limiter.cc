#include "runtime/net/rate_limiter.h"

#include <algorithm>

namespace gatehouse::net {

RateLimiter::RateLimiter(double rate_per_second, SleepFn sleep, double burst)
    : max_rate_(std::max(0.1, rate_per_second)),
      rate_(max_rate_),
      tokens_(1),
      burst_(burst),
      last_(std::chrono::steady_clock::now()),
      last_increase_(last_),
      sleep_(std::move(sleep)) {}

void RateLimiter::Acquire() {
  // The end of this call's last wait: time slept counts as passed even when the
  // clock has not moved (a sleep that returns at once, in tests and the fuzzers,
  // instead of spinning on the real clock). A real sleep ends after it, so then
  // the clock decides, as before.
  std::chrono::steady_clock::time_point slept_until{};
  for (;;) {
    std::chrono::milliseconds wait{0};
    {
      std::lock_guard<std::mutex> lock(mu_);
      auto now = std::max({std::chrono::steady_clock::now(), slept_until, last_});
      double elapsed = std::chrono::duration<double>(now - last_).count();
      last_ = now;
      // Burst of at most one second's worth, so a quiet spell cannot release a flood.
      double cap = burst_ > 0 ? std::max(1.0, burst_) : std::max(1.0, rate_);
      tokens_ = std::min(cap, tokens_ + elapsed * rate_);
      if (tokens_ >= 1) {
        tokens_ -= 1;
        return;
      }
      wait = std::chrono::milliseconds(static_cast<long>((1 - tokens_) / rate_ * 1000) + 1);
      slept_until = now + wait;
    }
    sleep_(wait);
  }
}

void RateLimiter::OnThrottled() {
  std::lock_guard<std::mutex> lock(mu_);
  auto now = std::chrono::steady_clock::now();
  // One decrease per second at most: a burst of throttles from requests that
  // were already in flight is one signal, not many.
  if (now - last_decrease_ < std::chrono::seconds(1)) return;
  last_decrease_ = now;
  rate_ = std::max(1.0, rate_ * 0.8);
  tokens_ = std::min(tokens_, 0.0);
}

void RateLimiter::OnSuccess() {
  std::lock_guard<std::mutex> lock(mu_);
  if (rate_ >= max_rate_) return;
  // Win back a tenth of the configured rate per second without throttling.
  auto now = std::chrono::steady_clock::now();
  double since = std::chrono::duration<double>(now - last_increase_).count();
  last_increase_ = now;
  rate_ = std::min(max_rate_, rate_ + std::min(since, 1.0) * max_rate_ / 10);
}

double RateLimiter::rate() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rate_;
}

}  // namespace gatehouse::net
