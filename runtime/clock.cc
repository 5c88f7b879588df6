#include "runtime/clock.h"

#include <cstdlib>
#include <ctime>

namespace gatehouse {

std::string UtcNow(const char* format) {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::strftime(buf, sizeof buf, format, &tm);
  return buf;
}

int64_t UnixNow() { return static_cast<int64_t>(std::time(nullptr)); }

std::string Today() {
  if (const char* now = std::getenv("GATEHOUSE_NOW"); now && *now) return std::string(now).substr(0, 10);
  return UtcNow("%Y-%m-%d");
}

std::string NowRfc3339() {
  if (const char* now = std::getenv("GATEHOUSE_NOW"); now && *now) {
    std::string s(now);
    return s.size() == 10 ? s + "T00:00:00Z" : s;
  }
  return UtcNow("%Y-%m-%dT%H:%M:%SZ");
}

}  // namespace gatehouse
