#include "runtime/aws/aws_target.h"

#include "runtime/aws/scoped_reader.h"

#include "runtime/aws/directory_reader.h"

namespace gatehouse::aws {

using nlohmann::json;

AwsTarget::AwsTarget(TargetSpec spec, net::Environment env, std::unique_ptr<net::HttpTransport> http,
                     std::unique_ptr<net::CredentialProvider> creds, JsonClientOptions client_options,
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

std::string UnexpectedAnswer(const std::exception& e) {
  return std::string("AWS answered with JSON of an unexpected shape (") + e.what() + ")";
}

namespace {

/// Runs a reader; an answer of an unexpected shape is an error, not an abort.
template <typename ReadFn>
bool ReadGuarded(ReadFn read, std::string* err) {
  try {
    return read();
  } catch (const std::exception& e) {
    *err = "cannot read the live directory: " + UnexpectedAnswer(e);
    return false;
  }
}

}  // namespace

json AwsTarget::Instance() const { return json{{"InstanceArn", spec_.instance_arn}}; }
json AwsTarget::Store() const { return json{{"IdentityStoreId", spec_.identity_store_id}}; }

std::string AwsTarget::Describe() const {
  return "AWS IAM Identity Center " + spec_.instance_arn + " (identity store " + spec_.identity_store_id + ", " +
         spec_.region + ")";
}

bool AwsTarget::Lock(std::string* err) {
  // Identity Center offers no lock primitive; concurrent applies are made safe
  // enough by idempotent operations (create-or-adopt, delete-if-present). What an
  // earlier apply (killed, or still running elsewhere) left in progress is waited
  // for before the read, so the plan sees its outcome instead of repeating it.
  try {
    return WaitForInFlight(err);
  } catch (const std::exception& e) {
    *err = UnexpectedAnswer(e);
    return false;
  }
}

void AwsTarget::Unlock() {}

const AwsTarget::PrincipalApi& AwsTarget::ApiFor(PrincipalType type) {
  static const PrincipalApi kUser{"User", "UserId", "userName"};
  static const PrincipalApi kGroup{"Group", "GroupId", "displayName"};
  return type == PrincipalType::kUser ? kUser : kGroup;
}

bool AwsTarget::PrincipalId(PrincipalType type, const std::string& name, std::string* id, AwsError* err) {
  net::IdCache& cache = PrincipalIds(type);
  if (auto known = cache.Find(name)) {
    *id = *known;
    return true;
  }
  const PrincipalApi& api = ApiFor(type);
  json body = Store();
  body["AlternateIdentifier"] = {{"UniqueAttribute", {{"AttributePath", api.attribute}, {"AttributeValue", name}}}};
  json out;
  if (!client_.Call(Service::kIdentityStore, std::string("Get") + api.noun + "Id", body, &out, err)) return false;
  *id = out.value(api.id_field, "");
  cache.Remember(name, *id);
  return true;
}

aws::ReadScope AwsTarget::MakeReadScope() const {
  aws::ReadScope scope;
  scope.instance_arn = spec_.instance_arn;
  scope.identity_store_id = spec_.identity_store_id;
  scope.discover_accounts = spec_.discover_accounts;
  scope.find_accounts_in_identity_center = spec_.find_accounts_in_identity_center;
  scope.environment_tag = spec_.environment_tag;
  scope.parallelism = options_.read_parallelism;
  return scope;
}

void AwsTarget::RememberIds(const LiveIds& ids) {
  auto by_name = [](const std::map<std::string, std::string>& by_id) {
    std::map<std::string, std::string> m;
    for (const auto& [id, name] : by_id) m[name] = id;
    return m;
  };
  user_ids_.Reset(by_name(ids.users));
  group_ids_.Reset(by_name(ids.groups));
  set_arns_.Reset(by_name(ids.sets));
  app_arns_.Reset(by_name(ids.applications));
}

bool AwsTarget::Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) {
  size_t calls_before = client_.requests_sent();
  LiveIds ids;
  if (!ReadGuarded([&] { return DirectoryReader(&client_, MakeReadScope()).Read(accounts_hint, out, &ids, err); }, err))
    return false;
  RememberIds(ids);
  last_read_calls_ = client_.requests_sent() - calls_before;
  return true;
}

bool AwsTarget::ReadScope(const Scope& scope, const std::map<std::string, Account>& accounts_hint, DirectoryState* out,
                          std::string* err) {
  size_t calls_before = client_.requests_sent();
  LiveIds ids;
  if (!ReadGuarded([&] { return ScopedReader(&client_, MakeReadScope()).Read(scope, accounts_hint, out, &ids, err); },
                   err))
    return false;
  RememberIds(ids);
  last_read_calls_ = client_.requests_sent() - calls_before;
  return true;
}

std::string AwsTarget::CallerAccount() {
  net::Credentials creds;
  std::string err;
  if (!creds_->Get(&creds, &err)) return "";
  net::HttpRequest req;
  std::string url = net::GetEnv(env_, "AWS_ENDPOINT_URL_STS").value_or(spec_.endpoint_url);
  req.url = url.empty() ? "https://sts." + spec_.region + ".amazonaws.com/" : url;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}, {"Accept", "text/xml"}};
  req.body = "Action=GetCallerIdentity&Version=2011-06-15";
  req.sign = net::SigV4Params{spec_.region, "sts", creds};
  for (int attempt = 0; attempt < 3; ++attempt) {
    if (attempt > 0) env_.sleep(std::chrono::milliseconds(200 << attempt));
    net::HttpResponse resp;
    if (!http_->Send(req, &resp, &err) || resp.status >= 500 || resp.status == 429) continue;
    if (resp.status != 200) return "";
    size_t open = resp.body.find("<Account>"), close = resp.body.find("</Account>");
    if (open == std::string::npos || close == std::string::npos || close < open) return "";
    return resp.body.substr(open + 9, close - open - 9);
  }
  return "";
}

AdminIdentity AwsTarget::Administrator() {
  AdminIdentity who;
  who.caller_account = CallerAccount();
  json out;
  AwsError e;
  if (client_.Call(Service::kOrganizations, "DescribeOrganization", json::object(), &out, &e) &&
      out.contains("Organization") && out["Organization"].is_object() &&
      out["Organization"].value("MasterAccountId", json()).is_string())
    who.management_account = out["Organization"]["MasterAccountId"].get<std::string>();
  return who;
}

bool AwsTarget::PermissionSetArn(const std::string& name, std::string* arn, AwsError* err) {
  if (auto known = set_arns_.Find(name)) {
    *arn = *known;
    return true;
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
  if (auto cached = set_arns_.Find(name)) {
    *arn = *cached;
    return true;
  }
  std::set<std::string> known = set_arns_.Ids();
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
    set_arns_.Remember(found, candidate);
    if (found == name) *arn = candidate;
  }
  return true;
}

bool OpenAwsSession(const TargetSpec& spec, const net::Environment& env, AwsSession* out, std::string* err) {
  TargetSpec& s = out->spec;
  s = spec;
  if (s.region.empty()) s.region = net::GetEnv(env, "AWS_REGION").value_or("");
  if (s.region.empty()) s.region = net::GetEnv(env, "AWS_DEFAULT_REGION").value_or("");
  if (s.region.empty()) {
    *err = "the aws target needs a region (target.region in the config, or AWS_REGION)";
    return false;
  }
  if (!s.endpoint_url.empty() && !net::ValidateEndpointUrl(s.endpoint_url, err)) return false;
  if (s.requests_per_second <= 0) s.requests_per_second = 20;
  out->http = std::make_unique<net::CurlHttpClient>();
  net::StsOptions sts;
  sts.region = s.region;
  sts.endpoint_url = net::GetEnv(env, "AWS_ENDPOINT_URL_STS").value_or(s.endpoint_url);
  if (!sts.endpoint_url.empty() && !net::ValidateEndpointUrl(sts.endpoint_url, err)) return false;
  out->creds = net::MakeDefaultCredentialProvider(s.profile, env, out->http.get(), sts, err);
  if (!out->creds) return false;
  out->client_options.region = s.region;
  out->client_options.endpoint_url = s.endpoint_url;
  out->client_options.requests_per_second = s.requests_per_second;
  return true;
}

std::unique_ptr<Target> MakeAwsTarget(const TargetSpec& spec, const net::Environment& env_in, std::string* err) {
  net::Environment env = env_in.WithDefaults();
  AwsSession session;
  if (!OpenAwsSession(spec, env, &session, err)) return nullptr;
  TargetSpec s = session.spec;
  auto target =
      std::make_unique<AwsTarget>(s, env, std::move(session.http), std::move(session.creds), session.client_options);
  bool need_instance = s.instance_arn.empty() || s.identity_store_id.empty();
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
