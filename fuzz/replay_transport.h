#pragma once
// A transport for the response fuzzers: each request is answered by the next
// segment of the fuzz input, so one input plays a whole conversation. Segments
// are separated by kSegmentSeparator; a segment's first byte picks the HTTP
// status (kStatuses[byte % size]), the rest is the body. When the input runs
// out, every request gets `fallback` (an empty JSON object by default), which
// ends paging and polling. One in 16 segments whose first byte is 'X' is a
// dropped connection instead.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/net/environment.h"
#include "runtime/net/http_client.h"

namespace gatehouse::fuzz {

inline constexpr std::string_view kSegmentSeparator = "\n#--\n";

class ReplayTransport : public net::HttpTransport {
 public:
  ReplayTransport(const uint8_t* data, size_t size, std::string fallback = "{}")
      : rest_(reinterpret_cast<const char*>(data), size), fallback_(std::move(fallback)) {}

  bool Send(const net::HttpRequest&, net::HttpResponse* resp, std::string* err) override {
    if (++calls_ > 2000) rest_ = {};  // bound one input's conversation
    if (rest_.empty()) {
      resp->status = 200;
      resp->body = fallback_;
      return true;
    }
    size_t end = rest_.find(kSegmentSeparator);
    std::string_view seg = rest_.substr(0, end);
    rest_ = end == std::string_view::npos ? std::string_view{} : rest_.substr(end + kSegmentSeparator.size());
    static constexpr long kStatuses[] = {200, 200, 200, 200, 400, 404, 409, 429,
                                         500, 503, 401, 403, 200, 200, 302, 200};
    if (seg.empty()) {
      resp->status = 200;
      resp->body.clear();
      return true;
    }
    if (seg[0] == 'X') {
      *err = "Connection reset by peer";
      return false;
    }
    resp->status = kStatuses[static_cast<unsigned char>(seg[0]) % 16];
    resp->body = std::string(seg.substr(1));
    return true;
  }

 private:
  std::string_view rest_;
  std::string fallback_;
  size_t calls_ = 0;
};

/// Surroundings without time: sleeps return at once, the clock is fixed.
inline net::Environment InstantEnvironment() {
  net::Environment e;
  e.getenv = [](const std::string&) -> std::optional<std::string> { return std::nullopt; };
  e.home = "/nonexistent";
  e.now = [] { return std::chrono::system_clock::from_time_t(1'800'000'000); };
  e.sleep = [](std::chrono::milliseconds) {};
  e.random = [] { return 0.5; };
  return e;
}

}  // namespace gatehouse::fuzz
