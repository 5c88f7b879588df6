#include "compiler/iam/effective_permissions.h"

#include <algorithm>

#include <catch2/catch.hpp>

#include "compiler/iam/managed_policies.h"
#include "compiler/iam/policy_validator.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

const ActionCatalog& Catalog() { return BuiltinCatalog(); }

bool Allows(const EffectivePermissions& p, std::string_view action) {
  auto id = Catalog().Find(action);
  REQUIRE(id.has_value());
  return p.allowed.Contains(*id);
}

bool AllowsUnrestricted(const EffectivePermissions& p, std::string_view action) {
  auto id = Catalog().Find(action);
  REQUIRE(id.has_value());
  return p.unrestricted.Contains(*id);
}

EffectivePermissions OfManaged(std::vector<std::string> names, const json* boundary = nullptr) {
  std::vector<const json*> docs;
  for (const std::string& name : names) {
    const json* doc = FindManagedPolicy(name);
    REQUIRE(doc != nullptr);
    docs.push_back(doc);
  }
  return ComputeEffectivePermissions(docs, boundary);
}

EffectivePermissions Of(const char* policy_json) {
  json doc = json::parse(policy_json);
  return ComputeEffectivePermissions({&doc});
}

TEST_CASE("AdministratorAccess is admin-equivalent") {
  EffectivePermissions admin = OfManaged({"AdministratorAccess"});
  PermissionSummary summary = Summarize(admin);
  CHECK(summary.full_admin);
  CHECK(summary.admin_equivalent);
  CHECK(summary.has_permissions_management);
  CHECK(summary.has_write);
  CHECK_FALSE(summary.read_only);
  CHECK(summary.unrestricted_count == Catalog().size());
}

TEST_CASE("PowerUserAccess can do much but not manage IAM users") {
  EffectivePermissions power = OfManaged({"PowerUserAccess"});
  CHECK_FALSE(Allows(power, "iam:CreateUser"));
  CHECK_FALSE(Allows(power, "iam:AttachUserPolicy"));
  CHECK(Allows(power, "ec2:RunInstances"));
  CHECK(Allows(power, "iam:CreateServiceLinkedRole"));
  PermissionSummary summary = Summarize(power);
  CHECK_FALSE(summary.admin_equivalent);
  CHECK_FALSE(summary.full_admin);
  CHECK(summary.has_write);
}

TEST_CASE("ReadOnlyAccess allows no Write action") {
  EffectivePermissions read = OfManaged({"ReadOnlyAccess"});
  CHECK(Allows(read, "s3:GetObject"));
  CHECK(AllowedActionsAtLevel(read, kWrite).empty());
  CHECK(AllowedActionsAtLevel(read, kPermissionsManagement).empty());
  CHECK_FALSE(AllowedActionsAtLevel(read, kRead).empty());
  PermissionSummary summary = Summarize(read);
  CHECK_FALSE(summary.admin_equivalent);
  CHECK_FALSE(summary.has_write);
}

TEST_CASE("job-function/ViewOnlyAccess is read-only") {
  EffectivePermissions view = OfManaged({"job-function/ViewOnlyAccess"});
  PermissionSummary summary = Summarize(view);
  CHECK(summary.read_only);
  CHECK(summary.allowed_count > 100);
  CHECK_FALSE(summary.has_permissions_management);
  CHECK_FALSE(Allows(view, "s3:GetObject"));
  CHECK(Allows(view, "ec2:DescribeInstances"));
}

TEST_CASE("unconditional Deny on * removes actions, narrower denies do not") {
  EffectivePermissions p = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:DeleteBucket", "Resource": "*"},
      {"Effect": "Deny", "Action": "s3:PutObject", "Resource": "arn:aws:s3:::logs/*"},
      {"Effect": "Deny", "Action": "s3:GetObject", "Resource": "*",
       "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}}]})");
  CHECK_FALSE(Allows(p, "s3:DeleteBucket"));
  CHECK(Allows(p, "s3:PutObject"));
  CHECK(Allows(p, "s3:GetObject"));
  CHECK(AllowsUnrestricted(p, "s3:GetObject"));
  CHECK_FALSE(Allows(p, "ec2:RunInstances"));
  CHECK(Catalog().Names(p.denied) == std::vector<std::string>{"s3:DeleteBucket"});
}

TEST_CASE("a deny in one policy removes what another allows") {
  json deny = json::parse(R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Deny", "NotAction": ["iam:Get*", "iam:List*"], "Resource": "*"}})");
  std::vector<const json*> docs = {FindManagedPolicy("AdministratorAccess"), &deny};
  EffectivePermissions p = ComputeEffectivePermissions(docs);
  CHECK(Allows(p, "iam:GetRole"));
  CHECK_FALSE(Allows(p, "iam:CreateRole"));
  CHECK_FALSE(Allows(p, "s3:GetObject"));
  CHECK_FALSE(Summarize(p).admin_equivalent);
  CHECK(Summarize(p).read_only);
}

TEST_CASE("admin minus a few denied actions stays admin-equivalent") {
  json deny = json::parse(R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Deny", "Action": ["cloudtrail:StopLogging", "cloudtrail:DeleteTrail"], "Resource": "*"}})");
  std::vector<const json*> docs = {FindManagedPolicy("AdministratorAccess"), &deny};
  PermissionSummary summary = Summarize(ComputeEffectivePermissions(docs));
  CHECK(summary.admin_equivalent);
  CHECK_FALSE(summary.full_admin);
}

TEST_CASE("resources and conditions limit unrestricted access, never allowed access") {
  EffectivePermissions p = Of(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::123456789012:role/app"},
      {"Effect": "Allow", "Action": "sts:AssumeRole", "Resource": "*",
       "Condition": {"StringEquals": {"aws:ResourceTag/team": "a"}}},
      {"Effect": "Allow", "Action": "ec2:RunInstances", "Resource": ["arn:aws:ec2:*:*:instance/*", "*"]}]})");
  CHECK(Allows(p, "iam:PassRole"));
  CHECK_FALSE(AllowsUnrestricted(p, "iam:PassRole"));
  CHECK(Allows(p, "sts:AssumeRole"));
  CHECK_FALSE(AllowsUnrestricted(p, "sts:AssumeRole"));
  CHECK(AllowsUnrestricted(p, "ec2:RunInstances"));
}

TEST_CASE("a boundary intersects what the policies allow") {
  json boundary = json::parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": ["s3:*", "ec2:Describe*"], "Resource": "*"},
      {"Effect": "Allow", "Action": "iam:PassRole", "Resource": "arn:aws:iam::*:role/app-*"}]})");
  EffectivePermissions p = OfManaged({"AdministratorAccess"}, &boundary);
  CHECK(Allows(p, "s3:PutObject"));
  CHECK(Allows(p, "ec2:DescribeInstances"));
  CHECK_FALSE(Allows(p, "ec2:RunInstances"));
  CHECK(Allows(p, "iam:PassRole"));
  CHECK_FALSE(AllowsUnrestricted(p, "iam:PassRole"));
  CHECK_FALSE(Summarize(p).admin_equivalent);

  json deny_boundary = json::parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "*", "Resource": "*"},
      {"Effect": "Deny", "Action": "iam:*", "Resource": "*"}]})");
  EffectivePermissions q = OfManaged({"AdministratorAccess"}, &deny_boundary);
  CHECK_FALSE(Allows(q, "iam:CreateUser"));
  CHECK(Allows(q, "ec2:RunInstances"));
  CHECK(q.denied.Contains(*Catalog().Find("iam:CreateUser")));
}

TEST_CASE("NotAction with Allow grants everything else") {
  EffectivePermissions p = Of(R"({"Version": "2012-10-17", "Statement":
      {"Effect": "Allow", "NotAction": ["iam:*", "organizations:*"], "Resource": "*"}})");
  CHECK_FALSE(Allows(p, "iam:CreateUser"));
  CHECK_FALSE(Allows(p, "organizations:LeaveOrganization"));
  CHECK(AllowsUnrestricted(p, "s3:DeleteBucket"));
  CHECK(AllowsUnrestricted(p, "sso:CreateAccountAssignment"));
  CHECK_FALSE(Summarize(p).admin_equivalent);
}

TEST_CASE("malformed statements grant nothing") {
  EffectivePermissions p = Of(R"({"Statement": [
      {"Effect": "allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Allow", "Action": "s3:*"},
      {"Effect": "Allow", "Action": "ec2:*", "NotAction": "ec2:Run*", "Resource": "*"},
      "junk"]})");
  CHECK(p.allowed.Empty());
  CHECK(Summarize(p).read_only);
  CHECK(ComputeEffectivePermissions({}).allowed.Empty());
}

TEST_CASE("statements allowing an action are located") {
  json doc = json::parse(R"({"Version": "2012-10-17", "Statement": [
      {"Effect": "Allow", "Action": "s3:*", "Resource": "*"},
      {"Effect": "Allow", "Action": ["ec2:*", "iam:Pass*"], "Resource": "*"},
      {"Effect": "Deny", "Action": "iam:PassRole", "Resource": "*"},
      {"Effect": "Allow", "NotAction": "s3:*", "Resource": "*"}]})");
  CHECK(StatementsAllowing(doc, "iam:PassRole") ==
        std::vector<JsonPath>{{"Statement", std::size_t{1}}, {"Statement", std::size_t{3}}});
  CHECK(StatementsAllowing(doc, "s3:GetObject") == std::vector<JsonPath>{{"Statement", std::size_t{0}}});
}

TEST_CASE("AWS managed policies have no grammar errors besides retired actions") {
  // Guards the validator against false positives on real-world documents.
  for (const ManagedPolicy& policy : AllManagedPolicies()) {
    for (const PolicyIssue& issue : ValidatePolicy(policy.document)) {
      if (issue.severity != IssueSeverity::kError) continue;
      INFO(policy.name << ": " << issue.code << " " << issue.message);
      CHECK((issue.code == "unknown-action" || issue.code == "unknown-service"));
    }
  }
}

}  // namespace
}  // namespace gatehouse::iam
