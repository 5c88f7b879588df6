#pragma once
/// The SCIM 2.0 protocol client (RFC 7644): bearer authentication, JSON
/// requests, error mapping, retries with backoff, and list paging in both
/// styles (index: startIndex/totalResults; cursor: cursor/nextCursor, as
/// Identity Center's SCIM endpoint pages).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "runtime/aws/environment.h"
#include "runtime/aws/http_client.h"

namespace gatehouse::scim {

struct ScimOptions {
  std::string base_url;   ///< ".../scim/v2" (a trailing slash is dropped)
  std::string token;      ///< bearer token; never printed
  std::string token_env;  ///< the variable it came from, for messages
  int page_size = 100;    ///< `count` per list page (Identity Center: 1..100)
  int max_attempts = 8;   ///< for 429, 5xx and transport failures
};

/// One SCIM exchange after retries.
struct ScimResponse {
  long status = 0;      ///< 0 when the transport failed
  nlohmann::json body;  ///< parsed body (null when empty or not JSON)
  std::string error;    ///< user-facing message when !ok(); never contains the token
  bool ok() const { return status >= 200 && status < 300; }
};

class ScimClient {
 public:
  /// `transport` must outlive the client. `env` supplies sleep and jitter.
  ScimClient(ScimOptions options, aws::HttpTransport* transport, aws::Environment env);

  /// Sends one request (path relative to the base URL, query already encoded),
  /// retrying 429 (Retry-After honoured), 5xx and transport failures with
  /// full-jitter backoff. Thread-safe.
  ScimResponse Call(const std::string& method, const std::string& path_and_query,
                    const nlohmann::json* body = nullptr) const;

  /// Lists every resource of `resource` ("Users", "Groups") matching `filter`
  /// (empty = all), following pages. False with `err` on failure.
  bool List(const std::string& resource, const std::string& filter, std::vector<nlohmann::json>* out,
            std::string* err) const;

  const ScimOptions& options() const { return options_; }

 private:
  ScimOptions options_;
  aws::HttpTransport* transport_;
  aws::Environment env_;
};

/// `userName eq "x"` with the value's quotes and backslashes escaped (RFC 7644 §3.4.2.2).
std::string EqFilter(const std::string& attribute, const std::string& value);

/// Percent-encodes a query parameter value.
std::string QueryEscape(const std::string& s);

/// The message for a failed exchange: status, what it means, the provider's
/// `detail`/`scimType`, and for 401 a hint about the token variable.
std::string ErrorMessage(long status, const nlohmann::json& body, const std::string& request,
                         const std::string& token_env);

}  // namespace gatehouse::scim
