#include "compiler/iam/risky_actions.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "compiler/iam/embedded_data.h"
#include "compiler/iam/managed_policies.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

EffectivePermissions Of(const char* policy_json) {
  json doc = json::parse(policy_json);
  return ComputeEffectivePermissions({&doc});
}

std::vector<std::string> Ids(const std::vector<RiskMatch>& matches) {
  std::vector<std::string> ids;
  for (const RiskMatch& m : matches) ids.push_back(m.pattern->id);
  return ids;
}

bool HasId(const std::vector<RiskMatch>& matches, const std::string& id) {
  std::vector<std::string> ids = Ids(matches);
  return std::find(ids.begin(), ids.end(), id) != ids.end();
}

TEST_CASE("the risk data parses and every pattern names real actions") {
  const RiskCatalog& risks = BuiltinRiskCatalog();
  CHECK(risks.patterns().size() > 40);
  // Actions the catalog does not know (e.g. portal-only APIs) are listed here
  // so a data refresh that renames one is noticed.
  CHECK(risks.UnmatchedRequirements() == std::vector<std::string>{"sso-get-role-credentials: sso:GetRoleCredentials"});
}

TEST_CASE("iam:PassRole on * with a compute service is an escalation") {
  EffectivePermissions p = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]})");
  std::vector<RiskMatch> found = FindPrivilegeEscalations(p);
  REQUIRE(Ids(found) == std::vector<std::string>{"pass-role-ec2"});
  CHECK(found[0].actions == std::vector<std::vector<std::string>>{{"iam:PassRole"}, {"ec2:RunInstances"}});
  CHECK(found[0].AllActions() == std::vector<std::string>{"ec2:RunInstances", "iam:PassRole"});
}

TEST_CASE("iam:PassRole limited to some roles, or without its partner, is not") {
  EffectivePermissions scoped = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app"},
      {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": "*"}]})");
  CHECK(FindPrivilegeEscalations(scoped).empty());
  EffectivePermissions half = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction"], "Resource": "*"}]})");
  CHECK(FindPrivilegeEscalations(half).empty());
  EffectivePermissions both = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["iam:PassRole", "lambda:CreateFunction", "lambda:InvokeFunction"],
       "Resource": "*"}]})");
  CHECK(Ids(FindPrivilegeEscalations(both)) == std::vector<std::string>{"pass-role-lambda-invoke"});
}

TEST_CASE("single-action escalations are found through wildcards") {
  EffectivePermissions p = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "iam:Attach*", "Resource": "arn:aws:iam::*:user/*"}]})");
  std::vector<RiskMatch> found = FindPrivilegeEscalations(p);
  CHECK(HasId(found, "attach-user-policy"));
  CHECK(HasId(found, "attach-role-policy"));
  CHECK_FALSE(HasId(found, "create-access-key"));
}

TEST_CASE("read-only sets have no escalation and admin has them all") {
  std::vector<const json*> view = {FindManagedPolicy("job-function/ViewOnlyAccess")};
  EffectivePermissions ro = ComputeEffectivePermissions(view);
  CHECK(FindPrivilegeEscalations(ro).empty());
  CHECK(FindIdentityCenterEscalations(ro).empty());
  CHECK(FindCredentialsExposures(ro).empty());

  std::vector<const json*> admin = {FindManagedPolicy("AdministratorAccess")};
  EffectivePermissions all = ComputeEffectivePermissions(admin);
  std::size_t escalation_patterns = 0;
  for (const RiskPattern& p : BuiltinRiskCatalog().patterns())
    escalation_patterns += p.category == kPrivilegeEscalation;
  CHECK(FindPrivilegeEscalations(all).size() == escalation_patterns);
}

TEST_CASE("Identity Center self-escalation is detected") {
  EffectivePermissions p = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["sso:CreateAccountAssignment", "identitystore:CreateGroupMembership",
                                     "organizations:Describe*"], "Resource": "*"}]})");
  std::vector<RiskMatch> found = FindIdentityCenterEscalations(p);
  CHECK(HasId(found, "create-account-assignment"));
  CHECK(HasId(found, "create-group-membership"));
  CHECK_FALSE(HasId(found, "organizations-write"));  // reading the organization is fine

  EffectivePermissions power = ComputeEffectivePermissions({FindManagedPolicy("PowerUserAccess")});
  CHECK(HasId(FindIdentityCenterEscalations(power), "create-account-assignment"));
  CHECK_FALSE(HasId(FindIdentityCenterEscalations(power), "organizations-write"));
}

TEST_CASE("credentials exposure needs sts:AssumeRole on *") {
  EffectivePermissions star = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["sts:AssumeRole", "ecr:GetAuthorizationToken"], "Resource": "*"}]})");
  std::vector<RiskMatch> found = FindCredentialsExposures(star);
  CHECK(HasId(found, "assume-role-any"));
  CHECK(HasId(found, "ecr-get-authorization-token"));
  EffectivePermissions scoped = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "arn:aws:iam::123456789012:role/x"}]})");
  CHECK(FindCredentialsExposures(scoped).empty());
}

TEST_CASE("a deny removes an escalation") {
  json admin_doc = *FindManagedPolicy("AdministratorAccess");
  json deny = json::parse(R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"}})");
  EffectivePermissions p = ComputeEffectivePermissions({&admin_doc, &deny});
  for (const RiskMatch& m : FindPrivilegeEscalations(p)) CHECK(m.pattern->id.rfind("pass-role", 0) != 0);
  CHECK(HasId(FindPrivilegeEscalations(p), "attach-role-policy"));
}

TEST_CASE("malformed risk data is rejected") {
  RiskCatalog out;
  std::string err;
  CHECK_FALSE(RiskCatalog::FromJson("[]", BuiltinCatalog(), &out, &err));
  CHECK_FALSE(RiskCatalog::FromJson(R"({"categories": [{"id": "x", "patterns": [{"id": "p", "actions": []}]}]})",
                                    BuiltinCatalog(), &out, &err));
  CHECK(RiskCatalog::FromJson(R"({"categories": [{"id": "x", "patterns": [{"id": "p", "actions": ["s3:Get*"]}]}]})",
                              BuiltinCatalog(), &out, &err));
}

TEST_CASE("access level overrides all apply and keep AWS read-only policies read-only") {
  ActionCatalog raw;
  std::string err;
  REQUIRE(ActionCatalog::FromJson(EmbeddedActionsJson(), &raw, &err));
  std::vector<std::string> unknown;
  REQUIRE(raw.ApplyLevelOverrides(EmbeddedAccessLevelOverridesJson(), &unknown, &err));
  CHECK(unknown.empty());
  CHECK(BuiltinCatalog().action(*BuiltinCatalog().Find("iot:ListSubscriptions")).levels == kList);
}

}  // namespace
}  // namespace gatehouse::iam
