#pragma once
/// One path for every AWS JSON 1.1 call (identitystore, sso-admin,
/// organizations, cloudtrail): rate limiting per API family, SigV4, error mapping by
/// `__type`, and retries with jittered exponential backoff on throttling,
/// conflicts, server errors and dropped connections.

#include <atomic>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "runtime/net/backoff.h"
#include "runtime/net/credentials.h"
#include "runtime/net/environment.h"
#include "runtime/net/http_client.h"
#include "runtime/net/rate_limiter.h"

namespace gatehouse::aws {

enum class Service { kIdentityStore, kSsoAdmin, kOrganizations, kCloudTrail };
constexpr int kServiceCount = 4;

struct ServiceInfo {
  const char* name;           ///< "identitystore" (messages)
  const char* target_prefix;  ///< X-Amz-Target prefix
  const char* signing_name;
  const char* host_prefix;   ///< https://{host_prefix}.{region}.amazonaws.com
  const char* fixed_region;  ///< organizations is global, signed for us-east-1
  /// The family's own hard quota, below which the client stays whatever it
  /// is configured with, evenly spaced (CloudTrail LookupEvents: 2 per
  /// second per account and region); 0 = none.
  double max_requests_per_second = 0;
};
const ServiceInfo& InfoFor(Service s);

/// A failed call. `type` is the bare error name ("ThrottlingException"), or
/// "ConnectionError" for transport failures.
struct AwsError {
  std::string type;
  std::string message;
  long http_status = 0;
  double retry_after_seconds = 0;  ///< RetryAfterSeconds, 0 when absent
  std::string operation;           ///< "sso-admin CreatePermissionSet"

  bool Is(const std::string& t) const { return type == t; }
  /// "sso-admin CreatePermissionSet: ConflictException: ..." — no secrets.
  std::string ToString() const;
};

enum class RetryClass { kNone, kThrottle, kTransient };
/// Throttling/TooManyRequests → kThrottle; Conflict, InternalServer, Service,
/// 5xx, connection errors → kTransient; everything else (validation, access
/// denied, not found, ...) → kNone.
RetryClass ClassifyForRetry(const AwsError& e);
/// Parses an error answer: `__type` (any "prefix#" stripped) or the
/// x-amzn-errortype header, `message`/`Message`, RetryAfterSeconds.
AwsError ParseAwsError(long status, const std::string& body, const std::map<std::string, std::string>& headers);

struct JsonClientOptions {
  std::string region;
  std::string endpoint_url;  ///< overrides every service (tests, VPC endpoints)
  double requests_per_second = 20;
  int max_attempts = 10;
  std::chrono::milliseconds backoff_base{100};
  std::chrono::milliseconds backoff_cap{10'000};
};

struct CallOptions {
  bool retry_conflict = true;  ///< false: a ConflictException returns at once
};

class JsonClient {
 public:
  JsonClient(JsonClientOptions options, net::HttpTransport* http, net::CredentialProvider* creds, net::Environment env);

  /// Calls `operation`; on success `out` holds the answer (an object).
  bool Call(Service service, const std::string& operation, const nlohmann::json& body, nlohmann::json* out,
            AwsError* err, CallOptions opts = {});

  /// Calls a list operation until NextToken runs out, appending the
  /// `items_key` arrays of every page to `items`.
  bool CallAll(Service service, const std::string& operation, nlohmann::json body, const std::string& items_key,
               std::vector<nlohmann::json>* items, AwsError* err);

  /// Number of HTTP attempts so far (statistics; tests and README formulas).
  size_t requests_sent() const { return requests_.load(); }
  size_t retries() const { return retries_.load(); }
  const net::Environment& env() const { return env_; }

 private:
  std::string EndpointFor(Service s) const;
  std::chrono::milliseconds Backoff(int attempt, const AwsError& e) const;

  JsonClientOptions options_;
  net::HttpTransport* http_;
  net::CredentialProvider* creds_;
  net::Environment env_;
  std::unique_ptr<net::RateLimiter> limiters_[kServiceCount];
  std::atomic<size_t> requests_{0};
  std::atomic<size_t> retries_{0};
};

}  // namespace gatehouse::aws
