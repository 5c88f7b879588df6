// Hygiene rules, levels and `off`, parameter errors, exceptions.
#include <catch2/catch.hpp>

#include "tests/lint/lint_test_util.h"

namespace gatehouse::lint::testing {
namespace {

const char* kUsed = R"(permission_sets:
  - name: Viewer
    managed_policies: [job-function/ViewOnlyAccess]
  - name: Unused
    managed_policies: [job-function/ViewOnlyAccess]
assignments:
  - group: DevOps
    permission_set: Viewer
    accounts: [payments-prod]
  - group: BreakGlass
    permission_set: Viewer
    accounts: [payments-prod]
)";

TEST_CASE("unused-permission-set: a set no assignment names") {
  Linted l = LintText(kUsed);
  INFO(l.Dump());
  auto found = l.Of("unused-permission-set");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->target == "Unused");
  CHECK(found[0]->diag.span.line == 4);
  CHECK(found[0]->diag.span.column == 11);
}

TEST_CASE("empty-group and user-without-group") {
  Linted l = Lint({{"test.yaml", kUsed}, {"more.yaml", R"(users:
  - user_name: dave
groups:
  - name: Nobody
    members: []
)"}});
  INFO(l.Dump());
  auto empty = l.Of("empty-group");
  REQUIRE(empty.size() == 1);
  CHECK(empty[0]->target == "Nobody");
  CHECK(empty[0]->diag.span.file == "more.yaml");
  CHECK(empty[0]->diag.span.line == 4);
  auto lonely = l.Of("user-without-group");
  REQUIRE(lonely.size() == 1);
  CHECK(lonely[0]->target == "dave");
  CHECK(lonely[0]->diag.severity == Severity::kNote);
  // The base config alone: every group has members, every user a group.
  Linted base = LintText(kUsed);
  CHECK(base.Of("empty-group").empty());
  CHECK(base.Of("user-without-group").empty());
}

TEST_CASE("empty-group is not checked when an IdP owns memberships") {
  Linted l = Lint({{"test.yaml", kUsed}, {"more.yaml", R"(settings:
  identity_source: external
groups:
  - name: Nobody
)"}});
  INFO(l.Dump());
  CHECK(l.Of("empty-group").empty());
}

TEST_CASE("levels: a level alone, a map with level, off") {
  Linted l = LintText(std::string(kUsed) + R"(  - user: alice
    permission_set: Viewer
    accounts: [payments-prod]
policy:
  rules:
    no-user-assignments: error
    unused-permission-set: off
    user-without-group: {level: warning}
)");
  INFO(l.Dump());
  auto user = l.Of("no-user-assignments");
  REQUIRE(user.size() == 1);
  CHECK(user[0]->diag.severity == Severity::kError);
  CHECK(l.Of("unused-permission-set").empty());
  CHECK(l.result.Count(Severity::kError) == 1);
}

TEST_CASE("bad rule parameters are config errors at their line") {
  Linted l = LintText(R"(policy:
  rules:
    session-duration:
      level: error
      maxi: PT4H
      privileged_max: 2 hours
    protect-audit-logs:
      actions: [cloudtrail:DeleteTrails]
    no-user-assignments: {max: 3}
)");
  INFO(l.Dump());
  const auto& errors = l.result.config_errors.items();
  REQUIRE(errors.size() == 4);
  CHECK(errors[0].span.line == 5);
  CHECK(errors[0].message == "rule 'session-duration' has no parameter 'maxi'; did you mean 'max'?");
  CHECK(errors[1].span.line == 6);
  CHECK(errors[2].span.line == 8);
  CHECK(errors[2].help == "did you mean 'cloudtrail:DeleteTrail'?");
  CHECK(errors[3].span.line == 9);
  CHECK(errors[3].help == "it takes only 'level'");
}

const char* kUserAccess = R"(permission_sets:
  - name: Viewer
    managed_policies: [job-function/ViewOnlyAccess]
assignments:
  - user: carol
    permission_set: Viewer
    accounts: [payments-prod, payments-dev]
)";

TEST_CASE("exceptions: a matching one waives, a glob waives several") {
  Linted l = LintText(std::string(kUserAccess) + R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/Viewer/payments-prod
      reason: INC-4711, approved by security
      expires: 2027-01-31
)");
  INFO(l.Dump());
  auto open = l.Of("no-user-assignments");
  REQUIRE(open.size() == 1);
  CHECK(open[0]->target == "carol/Viewer/payments-dev");
  CHECK(l.result.SuppressedCount() == 1);
  CHECK(l.Of("unused-exception").empty());

  Linted glob = LintText(std::string(kUserAccess) + R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/Viewer/*
      reason: contractor, approved by security
      expires: 2027-01-31
)");
  CHECK(glob.Of("no-user-assignments").empty());
  CHECK(glob.result.SuppressedCount() == 2);
}

TEST_CASE("exceptions: an expired one is an error and waives nothing") {
  Linted l = LintText(std::string(kUserAccess) + R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/Viewer/*
      reason: INC-4711
      expires: 2026-01-31
)");
  INFO(l.Dump());
  CHECK(l.Of("no-user-assignments").size() == 2);
  auto expired = l.Of("expired-exception");
  REQUIRE(expired.size() == 1);
  CHECK(expired[0]->diag.severity == Severity::kError);
  CHECK(expired[0]->diag.span.line == 13);
  CHECK(expired[0]->target == "no-user-assignments/carol/Viewer/*");
}

TEST_CASE("exceptions: one that matches nothing is a warning with a suggestion") {
  Linted l = LintText(std::string(kUserAccess) + R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carl/Viewer/payments-prod
      reason: INC-4711
      expires: 2027-01-31
)");
  INFO(l.Dump());
  auto unused = l.Of("unused-exception");
  REQUIRE(unused.size() == 1);
  CHECK(unused[0]->diag.severity == Severity::kWarning);
  CHECK(unused[0]->diag.span.line == 10);
  CHECK(unused[0]->diag.help == "did you mean 'carol/Viewer/payments-prod'?");
}

TEST_CASE("LintConfig returns the findings that are not waived") {
  Linted l = LintText(std::string(kUserAccess) + R"(policy:
  exceptions:
    - rule: no-user-assignments
      target: carol/Viewer/payments-prod
      reason: INC-4711
      expires: 2027-01-31
)");
  std::vector<Diagnostic> diags = LintConfig(l.config, l.compiled, LintOptions{"2026-06-01"});
  size_t user = 0;
  for (const Diagnostic& d : diags) user += d.code == "no-user-assignments";
  CHECK(user == 1);
}

}  // namespace
}  // namespace gatehouse::lint::testing

namespace gatehouse::lint::testing {
namespace {

TEST_CASE("applications: unassigned-application, no-user-assignments and expired-access") {
  Linted l = LintText(R"(applications:
  - name: Salesforce
    assignment_required: true
  - name: Wiki
  - name: Portal
    assignment_required: false
  - name: Jira
assignments:
  - user: alice
    application: Wiki
  - group: DevOps
    application: Jira
    expires: 2026-01-31
)");
  INFO(l.Dump());
  auto unassigned = l.Of("unassigned-application");
  REQUIRE(unassigned.size() == 2);  // Wiki and Portal are used or open; Jira's only assignment expired
  CHECK(unassigned[0]->target == "Salesforce");
  CHECK(unassigned[0]->diag.span.line == 2);
  CHECK(unassigned[1]->target == "Jira");
  CHECK(unassigned[1]->diag.message.find("(Identity Center's default)") != std::string::npos);
  auto direct = l.Of("no-user-assignments");
  REQUIRE(direct.size() == 1);
  CHECK(direct[0]->target == "alice/application:Wiki");
  CHECK(direct[0]->diag.span.line == 9);
  auto expired = l.Of("expired-access");
  REQUIRE(expired.size() == 1);
  CHECK(expired[0]->target == "DevOps/application:Jira");
  CHECK(expired[0]->diag.span.line == 13);
}

}  // namespace
}  // namespace gatehouse::lint::testing
