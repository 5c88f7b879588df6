#include "runtime/aws/json_client.h"

#include <algorithm>
#include <cstdlib>

namespace gatehouse::aws {

using nlohmann::json;

const ServiceInfo& InfoFor(Service s) {
  static const ServiceInfo kInfos[kServiceCount] = {
      {"identitystore", "AWSIdentityStore", "identitystore", "identitystore", nullptr},
      {"sso-admin", "SWBExternalService", "sso", "sso", nullptr},
      {"organizations", "AWSOrganizationsV20161128", "organizations", "organizations", "us-east-1"},
      {"cloudtrail", "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101", "cloudtrail", "cloudtrail", nullptr, 2},
  };
  return kInfos[static_cast<int>(s)];
}

std::string AwsError::ToString() const {
  std::string s = operation.empty() ? "" : operation + ": ";
  s += type.empty() ? "HTTP " + std::to_string(http_status) : type;
  if (!message.empty()) s += ": " + message;
  return s;
}

RetryClass ClassifyForRetry(const AwsError& e) {
  static const char* kThrottles[] = {"ThrottlingException", "TooManyRequestsException", "Throttling",
                                     "ThrottledException",  "RequestLimitExceeded",     "SlowDown"};
  for (const char* t : kThrottles) {
    if (e.type == t) return RetryClass::kThrottle;
  }
  if (e.http_status == 429) return RetryClass::kThrottle;
  static const char* kTransient[] = {"ConflictException",
                                     "InternalServerException",
                                     "ServiceException",
                                     "InternalFailure",
                                     "ServiceUnavailable",
                                     "ServiceUnavailableException",
                                     "ConcurrentModificationException",
                                     "ConnectionError",
                                     "RequestTimeout",
                                     "RequestTimeoutException"};
  for (const char* t : kTransient) {
    if (e.type == t) return RetryClass::kTransient;
  }
  if (e.http_status >= 500) return RetryClass::kTransient;
  return RetryClass::kNone;
}

AwsError ParseAwsError(long status, const std::string& body, const std::map<std::string, std::string>& headers) {
  AwsError e;
  e.http_status = status;
  auto doc = json::parse(body, nullptr, false);
  if (doc.is_object()) {
    if (doc.contains("__type") && doc["__type"].is_string()) e.type = doc["__type"];
    for (const char* k : {"message", "Message"}) {
      if (doc.contains(k) && doc[k].is_string()) e.message = doc[k];
    }
    if (doc.contains("RetryAfterSeconds") && doc["RetryAfterSeconds"].is_number()) {
      e.retry_after_seconds = doc["RetryAfterSeconds"].get<double>();
    }
  }
  if (e.type.empty()) {
    auto it = headers.find("x-amzn-errortype");
    if (it != headers.end()) e.type = it->second.substr(0, it->second.find(':'));
  }
  if (auto hash = e.type.rfind('#'); hash != std::string::npos) e.type = e.type.substr(hash + 1);
  if (e.retry_after_seconds == 0) {
    auto it = headers.find("retry-after");
    if (it != headers.end()) e.retry_after_seconds = std::atof(it->second.c_str());
  }
  return e;
}

JsonClient::JsonClient(JsonClientOptions options, net::HttpTransport* http, net::CredentialProvider* creds,
                       net::Environment env)
    : options_(std::move(options)), http_(http), creds_(creds), env_(env.WithDefaults()) {
  for (int s = 0; s < kServiceCount; ++s) {
    double quota = InfoFor(static_cast<Service>(s)).max_requests_per_second;
    if (quota <= 0) {
      limiters_[s] = std::make_unique<net::RateLimiter>(options_.requests_per_second, env_.sleep);
      continue;
    }
    // A hard quota (CloudTrail: 2/s): evenly spaced, no burst, 5 % below it
    // so the service's clock and the network's jitter leave it unbroken.
    double rate = std::min(quota * 0.95, options_.requests_per_second);
    limiters_[s] = std::make_unique<net::RateLimiter>(rate, env_.sleep, 1);
  }
}

std::string JsonClient::EndpointFor(Service s) const {
  if (!options_.endpoint_url.empty()) return options_.endpoint_url;
  const ServiceInfo& info = InfoFor(s);
  std::string region = info.fixed_region != nullptr ? info.fixed_region : options_.region;
  return std::string("https://") + info.host_prefix + "." + region + ".amazonaws.com/";
}

std::chrono::milliseconds JsonClient::Backoff(int attempt, const AwsError& e) const {
  auto delay = net::Backoff{options_.backoff_base, options_.backoff_cap}.Delay(attempt, env_.random());
  auto retry_after = std::chrono::milliseconds(static_cast<long>(e.retry_after_seconds * 1000));
  return std::max(delay, retry_after);
}

bool JsonClient::Call(Service service, const std::string& operation, const json& body, json* out, AwsError* err,
                      CallOptions opts) {
  const ServiceInfo& info = InfoFor(service);
  net::HttpRequest req;
  req.url = EndpointFor(service);
  req.headers = {{"Content-Type", "application/x-amz-json-1.1"},
                 {"X-Amz-Target", std::string(info.target_prefix) + "." + operation},
                 {"Accept", "application/json"}};
  req.body = body.is_null() ? "{}" : body.dump();
  std::string region = info.fixed_region != nullptr ? info.fixed_region : options_.region;
  net::RateLimiter& limiter = *limiters_[static_cast<int>(service)];
  std::string what = std::string(info.name) + " " + operation;
  for (int attempt = 0;; ++attempt) {
    net::Credentials creds;
    std::string cred_err;
    if (!creds_->Get(&creds, &cred_err)) {
      *err = AwsError{"CredentialsError", cred_err, 0, 0, what};
      return false;
    }
    req.sign = net::SigV4Params{region, info.signing_name, std::move(creds)};
    limiter.Acquire();
    ++requests_;
    net::HttpResponse resp;
    std::string transport_err;
    AwsError e;
    if (!http_->Send(req, &resp, &transport_err)) {
      e = AwsError{"ConnectionError", transport_err, 0, 0, what};
    } else if (resp.status == 200) {
      limiter.OnSuccess();
      *out = resp.body.empty() ? json::object() : json::parse(resp.body, nullptr, false);
      if (out->is_discarded()) {
        *err = AwsError{"InvalidResponse", "the answer is not JSON", resp.status, 0, what};
        return false;
      }
      return true;
    } else {
      e = ParseAwsError(resp.status, resp.body, resp.headers);
      e.operation = what;
      // A server (or proxy) may quote the request back: never print the credentials.
      const net::Credentials& c = req.sign->credentials;
      e.message = net::RedactSecrets(e.message, {c.secret_access_key, c.session_token, c.access_key_id});
    }
    RetryClass rc = ClassifyForRetry(e);
    if (rc == RetryClass::kThrottle) limiter.OnThrottled();
    bool retry = rc != RetryClass::kNone && attempt + 1 < options_.max_attempts &&
                 !(e.Is("ConflictException") && !opts.retry_conflict);
    if (!retry) {
      *err = e;
      return false;
    }
    ++retries_;
    env_.sleep(Backoff(attempt, e));
  }
}

bool JsonClient::CallAll(Service service, const std::string& operation, json body, const std::string& items_key,
                         std::vector<json>* items, AwsError* err) {
  for (;;) {
    json page;
    if (!Call(service, operation, body, &page, err)) return false;
    if (page.contains(items_key) && page[items_key].is_array()) {
      for (auto& item : page[items_key]) items->push_back(std::move(item));
    }
    if (!page.contains("NextToken") || !page["NextToken"].is_string() || page["NextToken"].get<std::string>().empty()) {
      return true;
    }
    body["NextToken"] = page["NextToken"];
  }
}

}  // namespace gatehouse::aws
