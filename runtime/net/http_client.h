#pragma once
/// HTTPS for the AWS target, on libcurl: pooled easy handles (connection
/// reuse across calls and threads), TLS verification always on, timeouts,
/// proxy variables honoured (libcurl's defaults), and SigV4 signing through
/// libcurl's CURLOPT_AWS_SIGV4. libcurl 7.88 signs every header we send
/// (content-type, host, x-amz-date, x-amz-target, x-amz-security-token) and
/// the body hash; tests/aws verifies that against botocore.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace gatehouse::net {

/// AWS credentials. Never printed: `source` says where they came from.
struct Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  ///< empty for long-term keys
  std::optional<std::chrono::system_clock::time_point> expiration;
  std::string source;  ///< "environment", "profile `dev` in /home/x/.aws/credentials", ...
};

/// `text` with every occurrence of each non-empty secret replaced by
/// "[redacted]": for messages that quote a server's answer, which may echo
/// what was sent (a session token, a bearer token).
std::string RedactSecrets(std::string text, const std::vector<std::string>& secrets);

struct SigV4Params {
  std::string region;
  std::string service;  ///< signing name: "sso", "identitystore", "sts", ...
  Credentials credentials;
};

struct HttpRequest {
  std::string url;
  std::string method = "POST";
  std::vector<std::pair<std::string, std::string>> headers;  ///< "Content-Type", ...
  std::string body;
  std::optional<SigV4Params> sign;  ///< unsigned when empty
};

struct HttpResponse {
  long status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  ///< names lowercased
};

/// The seam between AWS clients and the network; tests swap in a fake.
class HttpTransport {
 public:
  virtual ~HttpTransport() = default;
  /// False (with `err`) only for transport failures (DNS, connect, TLS,
  /// timeout, reset); any HTTP status is a successful exchange.
  virtual bool Send(const HttpRequest& req, HttpResponse* resp, std::string* err) = 0;
};

struct HttpOptions {
  long connect_timeout_ms = 10'000;
  long total_timeout_ms = 60'000;
};

/// libcurl transport. Thread-safe: each Send borrows an easy handle from a
/// pool, so connections stay alive between calls of the same thread or others.
class CurlHttpClient : public HttpTransport {
 public:
  explicit CurlHttpClient(HttpOptions options = {});
  ~CurlHttpClient() override;
  CurlHttpClient(const CurlHttpClient&) = delete;
  CurlHttpClient& operator=(const CurlHttpClient&) = delete;

  bool Send(const HttpRequest& req, HttpResponse* resp, std::string* err) override;

 private:
  void* Acquire();
  void Release(void* handle);

  HttpOptions options_;
  std::mutex mu_;
  std::vector<void*> idle_;  ///< CURL* handles, reused for their connection caches
};

/// Accepts https:// URLs, and http:// only for loopback hosts (127.0.0.1,
/// localhost, ::1) so local fakes work but credentials never cross a network
/// in clear text.
bool ValidateEndpointUrl(const std::string& url, std::string* err);

/// The host[:port] part of an http(s) URL ("" when malformed).
std::string UrlHost(const std::string& url);

/// application/x-www-form-urlencoded escaping (RFC 3986 unreserved kept).
std::string FormEncode(const std::string& s);

}  // namespace gatehouse::net
