#include "runtime/net/environment.h"

#include <cstdlib>
#include <memory>
#include <mutex>
#include <random>
#include <thread>

namespace gatehouse::net {

Environment Environment::Process() {
  Environment e;
  e.getenv = [](const std::string& name) -> std::optional<std::string> {
    const char* v = std::getenv(name.c_str());
    if (v == nullptr) return std::nullopt;
    return std::string(v);
  };
  const char* home = std::getenv("HOME");
  e.home = home != nullptr ? home : "";
  e.now = [] { return std::chrono::system_clock::now(); };
  e.sleep = [](std::chrono::milliseconds d) { std::this_thread::sleep_for(d); };
  struct Rng {
    std::mutex mu;
    std::mt19937_64 gen{std::random_device{}()};
  };
  auto rng = std::make_shared<Rng>();
  e.random = [rng] {
    std::lock_guard<std::mutex> lock(rng->mu);
    return std::uniform_real_distribution<double>(0.0, 1.0)(rng->gen);
  };
  return e;
}

Environment Environment::WithDefaults() const {
  Environment d = Process();
  Environment e = *this;
  if (!e.getenv) e.getenv = d.getenv;
  if (e.home.empty() && !getenv) e.home = d.home;
  if (!e.now) e.now = d.now;
  if (!e.sleep) e.sleep = d.sleep;
  if (!e.random) e.random = d.random;
  return e;
}

std::optional<std::string> GetEnv(const Environment& env, const std::string& name) {
  if (!env.getenv) return std::nullopt;
  auto v = env.getenv(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

}  // namespace gatehouse::net
