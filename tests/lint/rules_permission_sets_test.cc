// Positive and negative cases of the rules over what a permission set allows.
#include <catch2/catch.hpp>

#include "compiler/lint/set_analysis.h"
#include "tests/lint/lint_test_util.h"

namespace gatehouse::lint::testing {
namespace {

/// A permission set named `name` with `body` (indented by 4), assigned to DevOps on `account`.
std::string Set(const std::string& name, const std::string& body, const std::string& account = "payments-dev") {
  return "permission_sets:\n  - name: " + name + "\n" + body +
         "assignments:\n  - group: DevOps\n    permission_set: " + name + "\n    accounts: [" + account + "]\n";
}

/// The same set held only by the break-glass group BreakGlass.
std::string BreakGlassSet(const std::string& name, const std::string& body) {
  return "policy:\n  break_glass_groups: [BreakGlass]\npermission_sets:\n  - name: " + name + "\n" + body +
         "assignments:\n  - group: BreakGlass\n    permission_set: " + name + "\n    accounts: [payments-prod]\n";
}

TEST_CASE("session-duration: over max, over privileged_max, within limits, parameters") {
  Linted l = LintText(R"(permission_sets:
  - name: Long
    session_duration: PT12H
  - name: Fine
    session_duration: PT4H
  - name: Priv
    privileged: true
    session_duration: PT2H
)");
  INFO(l.Dump());
  auto found = l.Of("session-duration");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->target == "Long");
  CHECK(found[0]->diag.span.line == 3);
  CHECK(found[0]->diag.span.column == 23);
  CHECK(found[1]->target == "Priv");
  CHECK(found[1]->diag.message.find("privileged") != std::string::npos);

  Linted relaxed = LintText(R"(policy:
  rules:
    session-duration: {max: PT12H, privileged_max: PT2H}
permission_sets:
  - name: Long
    session_duration: PT12H
  - name: Priv
    privileged: true
    session_duration: PT2H
)");
  INFO(relaxed.Dump());
  CHECK(relaxed.Of("session-duration").empty());
  CHECK(relaxed.result.config_errors.items().empty());
}

TEST_CASE("wildcard-actions: `*`, service:* on `*`, NotAction with Allow; scoped service:* is fine") {
  Linted l = LintText(Set("Wild", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: "s3:*"
          Resource: "*"
        - Effect: Allow
          Action: ["dynamodb:*"]
          Resource: "arn:aws:dynamodb:*:111111111111:table/app"
        - Effect: Allow
          NotAction: iam:*
          Resource: "*"
)"));
  INFO(l.Dump());
  auto found = l.Of("wildcard-actions");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->diag.span.line == 7);
  CHECK(found[0]->diag.message.find("every `s3` action") != std::string::npos);
  CHECK(found[1]->diag.span.line == 13);
  CHECK(found[1]->diag.message.find("NotAction") != std::string::npos);
}

TEST_CASE("privilege-escalation: iam:PassRole on * with ec2:RunInstances, not when scoped") {
  const char* policy = R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [s3:GetObject]
          Resource: "*"
        - Effect: Allow
          Action: [iam:PassRole, ec2:RunInstances]
          Resource: "*"
)";
  Linted l = LintText(Set("Deployer", policy));
  INFO(l.Dump());
  auto found = l.Of("privilege-escalation");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.span.line == 9);  // the statement granting iam:PassRole
  CHECK(found[0]->diag.message.find("iam:PassRole + ec2:RunInstances") != std::string::npos);

  Linted scoped = LintText(Set("Deployer", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:PassRole
          Resource: "arn:aws:iam::111111111111:role/app"
        - Effect: Allow
          Action: ec2:RunInstances
          Resource: "*"
)"));
  CHECK(scoped.Of("privilege-escalation").empty());
}

const char* kCreatePolicyVersion = R"(    privileged: true
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: iam:CreatePolicyVersion
          Resource: "arn:aws:iam::*:policy/*"
)";

TEST_CASE("privilege-escalation: privileged: true does not hide an escalation held by an ordinary group") {
  Linted l = LintText(Set("PolicyEditor", kCreatePolicyVersion));
  INFO(l.Dump());
  auto found = l.Of("privilege-escalation");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.severity == Severity::kError);
  CHECK(found[0]->diag.span.line == 7);  // the statement granting iam:CreatePolicyVersion
  CHECK(found[0]->diag.message.find("iam:CreatePolicyVersion") != std::string::npos);
  auto admin = l.Of("admin-only-break-glass");
  REQUIRE(admin.size() == 1);
  CHECK(admin[0]->target == "DevOps/PolicyEditor/payments-dev");
  CHECK(admin[0]->diag.message.find("can escalate to administrator access") != std::string::npos);
}

TEST_CASE("privilege-escalation: a privileged escalation set held only by break-glass groups is fine") {
  Linted l = LintText(BreakGlassSet("PolicyEditor", kCreatePolicyVersion));
  INFO(l.Dump());
  CHECK(l.Of("privilege-escalation").empty());
  CHECK(l.Of("admin-only-break-glass").empty());
  // Without privileged: true the set is still reported: the flag acknowledges the power.
  std::string body = kCreatePolicyVersion;
  Linted unmarked = LintText(BreakGlassSet("PolicyEditor", body.substr(body.find('\n') + 1)));
  CHECK(unmarked.Of("privilege-escalation").size() == 1);
  CHECK(unmarked.Of("admin-only-break-glass").empty());
}

TEST_CASE("admin-only-break-glass: an escalation waived by an exception is not reported again as admin") {
  std::string body = kCreatePolicyVersion;
  std::string yaml = Set("PolicyEditor", body.substr(body.find('\n') + 1)) + R"(policy:
  exceptions:
    - rule: privilege-escalation
      target: PolicyEditor
      reason: reviewed, SEC-1
      expires: 2099-01-31
)";
  Linted l = LintText(yaml);
  INFO(l.Dump());
  CHECK(l.Of("privilege-escalation").empty());
  CHECK(l.Of("admin-only-break-glass").empty());
  CHECK(l.Of("unused-exception").empty());
}

TEST_CASE("privilege-escalation: one ordinary holder among break-glass ones is enough") {
  std::string yaml = BreakGlassSet("PolicyEditor", kCreatePolicyVersion) +
                     "  - user: alice\n    permission_set: PolicyEditor\n    accounts: [payments-dev]\n";
  Linted l = LintText(yaml);
  INFO(l.Dump());
  CHECK(l.Of("privilege-escalation").size() == 1);
  auto admin = l.Of("admin-only-break-glass");
  REQUIRE(admin.size() == 1);
  CHECK(admin[0]->target == "alice/PolicyEditor/payments-dev");
}

TEST_CASE(
    "identity-center-escalation: identitystore:CreateGroupMembership, privileged or not, unless break-glass only") {
  const char* policy = R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [identitystore:CreateGroupMembership]
          Resource: "*"
)";
  Linted l = LintText(Set("HelpDesk", policy));
  INFO(l.Dump());
  auto found = l.Of("identity-center-escalation");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.severity == Severity::kError);
  CHECK(found[0]->diag.span.line == 6);
  Linted marked = LintText(Set("HelpDesk", std::string("    privileged: true\n") + policy));
  CHECK(marked.Of("identity-center-escalation").size() == 1);
  CHECK(marked.Of("admin-only-break-glass").size() == 1);
  Linted ok = LintText(BreakGlassSet("HelpDesk", std::string("    privileged: true\n") + policy));
  INFO(ok.Dump());
  CHECK(ok.Of("identity-center-escalation").empty());
  CHECK(ok.Of("admin-only-break-glass").empty());
  Linted reader = LintText(Set("HelpDesk", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: [identitystore:DescribeUser]
          Resource: "*"
)"));
  CHECK(reader.Of("identity-center-escalation").empty());
}

TEST_CASE("credentials-exposure: sts:AssumeRole on * warns, on one role it does not") {
  Linted l = LintText(Set("Operator", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Resource: "*"
)"));
  INFO(l.Dump());
  auto found = l.Of("credentials-exposure");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.severity == Severity::kWarning);
  Linted scoped = LintText(Set("Operator", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: sts:AssumeRole
          Resource: "arn:aws:iam::111111111111:role/operator"
)"));
  CHECK(scoped.Of("credentials-exposure").empty());
}

TEST_CASE("permissions-management: PowerUserAccess in a set not marked privileged, at the managed policy entry") {
  Linted l = LintText(Set("Developer", "    managed_policies: [job-function/ViewOnlyAccess, PowerUserAccess]\n"));
  INFO(l.Dump());
  auto found = l.Of("permissions-management");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.span.line == 3);
  CHECK(found[0]->diag.span.column == 53);
  Linted viewer = LintText(Set("Viewer", "    managed_policies: [job-function/ViewOnlyAccess]\n"));
  CHECK(viewer.Of("permissions-management").empty());
  Linted priv = LintText(Set("Developer", "    privileged: true\n    managed_policies: [PowerUserAccess]\n"));
  CHECK(priv.Of("permissions-management").empty());
}

TEST_CASE("protect-audit-logs: a write set in production must deny erasing the audit trail") {
  Linted l = LintText(Set("DevOpsProd", "    managed_policies: [PowerUserAccess]\n", "payments-prod"));
  INFO(l.Dump());
  auto found = l.Of("protect-audit-logs");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.message.find("cloudtrail:DeleteTrail") != std::string::npos);
  CHECK(found[0]->diag.span.line == 3);

  Linted denied = LintText(Set("DevOpsProd", R"(    managed_policies: [PowerUserAccess]
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Deny
          Action: [cloudtrail:DeleteTrail, cloudtrail:StopLogging, cloudtrail:UpdateTrail,
                   logs:DeleteLogGroup, logs:DeleteLogStream, config:DeleteConfigurationRecorder,
                   config:StopConfigurationRecorder, config:DeleteDeliveryChannel]
          Resource: "*"
)",
                               "payments-prod"));
  INFO(denied.Dump());
  CHECK(denied.Of("protect-audit-logs").empty());
  Linted dev = LintText(Set("DevOpsDev", "    managed_policies: [PowerUserAccess]\n", "payments-dev"));
  CHECK(dev.Of("protect-audit-logs").empty());
  Linted reader = LintText(Set("Viewer", "    managed_policies: [job-function/ViewOnlyAccess]\n", "payments-prod"));
  CHECK(reader.Of("protect-audit-logs").empty());
}

TEST_CASE("protect-audit-logs: a partial deny names what is missing; the action list is a parameter") {
  std::string body = R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: ["cloudtrail:*"]
          Resource: "*"
        - Effect: Deny
          Action: [cloudtrail:DeleteTrail]
          Resource: "*"
)";
  Linted l = LintText(Set("Trails", body, "payments-prod"));
  INFO(l.Dump());
  auto found = l.Of("protect-audit-logs");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->diag.message.find("cloudtrail:StopLogging") != std::string::npos);
  CHECK(found[0]->diag.message.find("cloudtrail:DeleteTrail,") == std::string::npos);
  Linted custom = LintText("policy:\n  rules:\n    protect-audit-logs: {actions: [cloudtrail:DeleteTrail]}\n" +
                           Set("Trails", body, "payments-prod"));
  INFO(custom.Dump());
  CHECK(custom.Of("protect-audit-logs").empty());
}

TEST_CASE("policy-grammar: analyzer issues at the element's line; a valid policy has none") {
  Linted l = LintText(Set("Reader", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: "*"
        - Effect: allow
          Action: s3:GetObjects
          Resource: "*"
)"));
  INFO(l.Dump());
  auto found = l.Of("policy-grammar");
  REQUIRE(found.size() >= 2);
  CHECK(found[0]->diag.span.line == 9);
  CHECK(found[0]->target == "Reader");
  bool action_line = false;
  for (const Finding* f : found) action_line |= f->diag.span.line == 10;
  CHECK(action_line);
  Linted ok = LintText(Set("Reader", R"(    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Effect: Allow
          Action: s3:GetObject
          Resource: "arn:aws:s3:::reports/*"
)"));
  CHECK(ok.Of("policy-grammar").empty());
}

}  // namespace
}  // namespace gatehouse::lint::testing

namespace gatehouse::lint::testing {
namespace {

PermissionSet Managed(std::vector<std::string> names) {
  PermissionSet ps;
  ps.name = "Set";
  for (const std::string& n : names) ps.managed_policies.insert("arn:aws:iam::aws:policy/" + n);
  return ps;
}

TEST_CASE("privilege classes: AWS's auditor policies are read-only, IAMFullAccess manages permissions") {
  CHECK(ClassifyPermissionSet(Managed({"SecurityAudit"})) == "read-only");
  CHECK(ClassifyPermissionSet(Managed({"job-function/ViewOnlyAccess"})) == "read-only");
  CHECK(ClassifyPermissionSet(Managed({"ReadOnlyAccess"})) == "read-only");
  CHECK(ClassifyPermissionSet(Managed({"SecurityAudit", "job-function/ViewOnlyAccess"})) == "read-only");
  CHECK(ClassifyPermissionSet(Managed({"IAMFullAccess"})) == "permissions-management");
  CHECK(ClassifyPermissionSet(Managed({"PowerUserAccess"})) == "permissions-management");
  CHECK(ClassifyPermissionSet(Managed({"AmazonS3FullAccess"})) == "permissions-management");  // bucket policies
  CHECK(ClassifyPermissionSet(Managed({"AmazonEC2ReadOnlyAccess"})) == "read-only");
  CHECK(ClassifyPermissionSet(Managed({"AdministratorAccess"})) == "admin");
}

TEST_CASE("permissions-management: SecurityAudit is not; ReadOnlyAccess still exposes credentials") {
  Linted audit = LintText(Set("Auditor", "    managed_policies: [SecurityAudit, job-function/ViewOnlyAccess]\n"));
  INFO(audit.Dump());
  CHECK(audit.Of("permissions-management").empty());
  CHECK(audit.Of("credentials-exposure").empty());
  CHECK(audit.Of("admin-only-break-glass").empty());
  Linted reader = LintText(Set("Reader", "    managed_policies: [ReadOnlyAccess]\n"));
  INFO(reader.Dump());
  CHECK(reader.Of("permissions-management").empty());
  CHECK(reader.Of("credentials-exposure").size() == 1);
  Linted iam = LintText(Set("IamAdmin", "    managed_policies: [IAMFullAccess]\n"));
  CHECK(iam.Of("permissions-management").size() == 1);
}

}  // namespace
}  // namespace gatehouse::lint::testing
