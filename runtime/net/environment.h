#pragma once
/// The process surroundings the network layer and its clients depend on,
/// injected so tests can replace them: environment variables, the home
/// directory, the clock, sleep and randomness (retry jitter).

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace gatehouse::net {

struct Environment {
  /// Environment variable lookup; nullopt when unset.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string home;  ///< for ~/.aws/credentials and ~/.aws/config
  std::function<std::chrono::system_clock::time_point()> now;
  std::function<void(std::chrono::milliseconds)> sleep;
  std::function<double()> random;  ///< uniform in [0, 1)

  /// The real process: ::getenv, $HOME, system clock, thread sleep, a seeded PRNG.
  static Environment Process();
  /// Fills unset members from Process() so callers may set only what they replace.
  Environment WithDefaults() const;
};

/// Reads `name` from `env.getenv`; empty values count as unset.
std::optional<std::string> GetEnv(const Environment& env, const std::string& name);

}  // namespace gatehouse::net
