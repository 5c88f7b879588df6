#include "runtime/aws/aws_target.h"

#include <cstdio>

namespace gatehouse::aws {

using nlohmann::json;

AwsTarget::AwsTarget(TargetSpec spec, Environment env, std::unique_ptr<HttpTransport> http,
                     std::unique_ptr<CredentialProvider> creds, JsonClientOptions client_options,
                     AwsTargetOptions options)
    : spec_(std::move(spec)),
      env_(env.WithDefaults()),
      http_(std::move(http)),
      creds_(std::move(creds)),
      client_(std::move(client_options), http_.get(), creds_.get(), env_),
      options_(options) {
  StatusPollerTiming timing;
  timing.initial = options_.poll_initial;
  timing.max = options_.poll_max;
  timing.quiet = options_.poll_quiet;
  timing.timeout = options_.poll_timeout;
  auto instance = [this] { return Instance(); };
  creation_poller_ = std::make_unique<StatusPoller>(
      &client_, env_,
      StatusPollerKind{"ListAccountAssignmentCreationStatus", "AccountAssignmentsCreationStatus",
                       "DescribeAccountAssignmentCreationStatus", "AccountAssignmentCreationRequestId",
                       "AccountAssignmentCreationStatus"},
      instance, timing);
  deletion_poller_ = std::make_unique<StatusPoller>(
      &client_, env_,
      StatusPollerKind{"ListAccountAssignmentDeletionStatus", "AccountAssignmentsDeletionStatus",
                       "DescribeAccountAssignmentDeletionStatus", "AccountAssignmentDeletionRequestId",
                       "AccountAssignmentDeletionStatus"},
      instance, timing);
}

json AwsTarget::Instance() const { return json{{"InstanceArn", spec_.instance_arn}}; }
json AwsTarget::Store() const { return json{{"IdentityStoreId", spec_.identity_store_id}}; }

std::string AwsTarget::Describe() const {
  return "AWS IAM Identity Center " + spec_.instance_arn + " (identity store " + spec_.identity_store_id + ", " +
         spec_.region + ")";
}

bool AwsTarget::Lock(std::string* err) {
  // Identity Center offers no lock primitive; concurrent applies are made safe
  // enough by idempotent operations (create-or-adopt, delete-if-present).
  (void)err;
  apply_start_ = std::chrono::steady_clock::now();
  done_ops_ = 0;
  return true;
}

void AwsTarget::Unlock() {
  if (env_.progress != nullptr && done_ops_ > 0) *env_.progress << "\n";
}

void AwsTarget::Remember(std::map<std::string, std::string>* cache, const std::string& k, const std::string& v) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  (*cache)[k] = v;
}

void AwsTarget::Forget(std::map<std::string, std::string>* cache, const std::string& k) {
  std::lock_guard<std::mutex> lock(cache_mu_);
  cache->erase(k);
}

bool AwsTarget::UserId(const std::string& user_name, std::string* id, AwsError* err) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = user_ids_.find(user_name);
    if (it != user_ids_.end()) {
      *id = it->second;
      return true;
    }
  }
  json body = Store();
  body["AlternateIdentifier"] = {{"UniqueAttribute", {{"AttributePath", "userName"}, {"AttributeValue", user_name}}}};
  json out;
  if (!client_.Call(Service::kIdentityStore, "GetUserId", body, &out, err)) return false;
  *id = out.value("UserId", "");
  Remember(&user_ids_, user_name, *id);
  return true;
}

bool AwsTarget::GroupId(const std::string& name, std::string* id, AwsError* err) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = group_ids_.find(name);
    if (it != group_ids_.end()) {
      *id = it->second;
      return true;
    }
  }
  json body = Store();
  body["AlternateIdentifier"] = {{"UniqueAttribute", {{"AttributePath", "displayName"}, {"AttributeValue", name}}}};
  json out;
  if (!client_.Call(Service::kIdentityStore, "GetGroupId", body, &out, err)) return false;
  *id = out.value("GroupId", "");
  Remember(&group_ids_, name, *id);
  return true;
}

bool AwsTarget::PermissionSetArn(const std::string& name, std::string* arn, AwsError* err) {
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = set_arns_.find(name);
    if (it != set_arns_.end()) {
      *arn = it->second;
      return true;
    }
  }
  if (!FindPermissionSetArn(name, arn, err)) return false;
  if (arn->empty()) {
    *err = AwsError{"ResourceNotFoundException", "permission set `" + name + "` does not exist", 400, 0,
                    "sso-admin DescribePermissionSet"};
    return false;
  }
  return true;
}

bool AwsTarget::FindPermissionSetArn(const std::string& name, std::string* arn, AwsError* err) {
  // SSO Admin cannot look a set up by name: list the ARNs and describe the ones
  // we do not know yet. Serialized so parallel misses scan once.
  std::lock_guard<std::mutex> scan(set_lookup_mu_);
  std::set<std::string> known;
  {
    std::lock_guard<std::mutex> lock(cache_mu_);
    auto it = set_arns_.find(name);
    if (it != set_arns_.end()) {
      *arn = it->second;
      return true;
    }
    for (const auto& [n, a] : set_arns_) known.insert(a);
  }
  json body = Instance();
  body["MaxResults"] = 100;
  std::vector<json> arns;
  if (!client_.CallAll(Service::kSsoAdmin, "ListPermissionSets", body, "PermissionSets", &arns, err)) {
    return false;
  }
  arn->clear();
  for (const auto& a : arns) {
    std::string candidate = a.get<std::string>();
    if (known.count(candidate) != 0) continue;
    json req = Instance();
    req["PermissionSetArn"] = candidate;
    json out;
    if (!client_.Call(Service::kSsoAdmin, "DescribePermissionSet", req, &out, err)) {
      if (err->Is("ResourceNotFoundException")) continue;
      return false;
    }
    std::string found = out["PermissionSet"].value("Name", "");
    Remember(&set_arns_, found, candidate);
    if (found == name) *arn = candidate;
  }
  return true;
}

void AwsTarget::ReportProgress() {
  size_t done = ++done_ops_;
  if (env_.progress == nullptr) return;
  std::lock_guard<std::mutex> lock(progress_mu_);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - apply_start_).count();
  double rate = secs > 0 ? done / secs : 0;
  char line[160];
  size_t total = planned_ops_;
  if (total > 0 && rate > 0) {
    double eta = done < total ? (total - done) / rate : 0;
    std::snprintf(line, sizeof line, "\rapplying: %zu/%zu operations, %.1f/s, ETA %.0fs   ", done, total, rate, eta);
  } else {
    std::snprintf(line, sizeof line, "\rapplying: %zu operations, %.1f/s   ", done, rate);
  }
  *env_.progress << line << std::flush;
}

std::unique_ptr<Target> MakeAwsTarget(const TargetSpec& spec, const Environment& env_in, std::string* err) {
  Environment env = env_in.WithDefaults();
  TargetSpec s = spec;
  if (s.region.empty()) s.region = GetEnv(env, "AWS_REGION").value_or("");
  if (s.region.empty()) s.region = GetEnv(env, "AWS_DEFAULT_REGION").value_or("");
  if (s.region.empty()) {
    *err = "the aws target needs a region (target.region in the config, or AWS_REGION)";
    return nullptr;
  }
  if (!s.endpoint_url.empty() && !ValidateEndpointUrl(s.endpoint_url, err)) return nullptr;
  if (s.requests_per_second <= 0) s.requests_per_second = 20;
  auto http = std::make_unique<CurlHttpClient>();
  StsOptions sts;
  sts.region = s.region;
  sts.endpoint_url = GetEnv(env, "AWS_ENDPOINT_URL_STS").value_or(s.endpoint_url);
  if (!sts.endpoint_url.empty() && !ValidateEndpointUrl(sts.endpoint_url, err)) return nullptr;
  auto creds = MakeDefaultCredentialProvider(s.profile, env, http.get(), sts, err);
  if (!creds) return nullptr;
  JsonClientOptions co;
  co.region = s.region;
  co.endpoint_url = s.endpoint_url;
  co.requests_per_second = s.requests_per_second;
  bool need_instance = s.instance_arn.empty() || s.identity_store_id.empty();
  auto target = std::make_unique<AwsTarget>(s, env, std::move(http), std::move(creds), co);
  if (need_instance) {
    std::vector<json> instances;
    AwsError e;
    if (!target->client().CallAll(Service::kSsoAdmin, "ListInstances", json::object(), "Instances", &instances, &e)) {
      *err = "cannot find the Identity Center instance: " + e.ToString();
      return nullptr;
    }
    if (instances.size() != 1) {
      *err = "found " + std::to_string(instances.size()) +
             " Identity Center instances; set target.instance_arn and target.identity_store_id";
      return nullptr;
    }
    if (s.instance_arn.empty()) s.instance_arn = instances[0].value("InstanceArn", "");
    if (s.identity_store_id.empty()) s.identity_store_id = instances[0].value("IdentityStoreId", "");
    target->set_instance(s.instance_arn, s.identity_store_id);
  }
  return target;
}

}  // namespace gatehouse::aws
