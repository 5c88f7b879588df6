#include "runtime/targets.h"

#include "runtime/aws/aws_target.h"
#include "runtime/aws/cloudtrail.h"
#include "runtime/local/local_target.h"
#include "runtime/net/environment.h"
#include "runtime/scim/composite_target.h"
#include "runtime/scim/scim_target.h"

namespace gatehouse {
namespace {

std::unique_ptr<Target> OpenMainTarget(const TargetSpec& spec, const net::Environment& env, std::string* err) {
  if (spec.type == "local") {
    auto local = std::make_unique<LocalTarget>(spec.path);
    local->set_find_accounts(spec.find_accounts_in_identity_center);
    return local;
  }
  if (spec.type == "aws") return aws::MakeAwsTarget(spec, env, err);
  *err = "unknown target type '" + spec.type + "'";
  return nullptr;
}

}  // namespace

std::unique_ptr<Target> OpenTarget(const TargetSpec& spec, std::string* err) {
  net::Environment env = net::Environment::Process();
  if (spec.scim_url.empty()) return OpenMainTarget(spec, env, err);
  // The SCIM side first: a missing token is reported before the main target
  // asks for credentials.
  std::unique_ptr<scim::ScimTarget> users_and_groups = scim::MakeScimTarget(spec, env, err);
  if (!users_and_groups) return nullptr;
  TargetSpec main_spec = spec;
  main_spec.scim_url.clear();
  main_spec.scim_token_env.clear();
  std::unique_ptr<Target> main = OpenMainTarget(main_spec, env, err);
  if (!main) return nullptr;
  // The local target resolves assignment principals from its own file, so it
  // keeps a copy of users and groups; Identity Center's SCIM endpoint writes the
  // identity store the aws target reads, so nothing is copied there.
  bool mirror = spec.type == "local";
  return std::make_unique<scim::CompositeTarget>(std::move(main), std::move(users_and_groups), mirror);
}

EventLookupResult LookupTargetEvents(const TargetSpec& spec, const EventQuery& query, const EventVisitor& visit) {
  if (spec.type != "aws") {
    EventLookupResult result;
    result.ok = false;
    result.error = "CloudTrail lookup needs the aws target (this one is " + spec.type + ")";
    return result;
  }
  return aws::LookupEvents(spec, net::Environment::Process(), query, visit);
}

}  // namespace gatehouse
