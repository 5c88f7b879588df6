#include "runtime/clock.h"

#include <cstdlib>
#include <ctime>

namespace gatehouse {

std::string Today() {
  if (const char* now = std::getenv("GATEHOUSE_NOW"); now && *now) return std::string(now).substr(0, 10);
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

}  // namespace gatehouse
