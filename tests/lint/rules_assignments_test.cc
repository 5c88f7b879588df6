// Positive and negative cases of the assignment rules.
#include <catch2/catch.hpp>

#include "tests/lint/lint_test_util.h"

namespace gatehouse::lint::testing {
namespace {

const char* kSets = R"(permission_sets:
  - name: Admin
    managed_policies: [AdministratorAccess]
    privileged: true
  - name: Viewer
    managed_policies: [job-function/ViewOnlyAccess]
  - name: Deployer
    managed_policies: [PowerUserAccess]
)";

TEST_CASE("admin-only-break-glass: admin for a user or an ordinary group, not for break-glass groups") {
  Linted l = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(policy:
  break_glass_groups: [BreakGlass]
assignments:
  - group: BreakGlass
    permission_set: Admin
    accounts: [payments-prod]
  - user: carol
    permission_set: Admin
    accounts: [payments-prod]
  - group: DevOps
    permission_set: Admin
    accounts: [payments-dev]
)"}});
  INFO(l.Dump());
  auto found = l.Of("admin-only-break-glass");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->target == "carol/Admin/payments-prod");
  CHECK(found[0]->diag.span.file == "test.yaml");
  CHECK(found[0]->diag.span.line == 7);
  CHECK(found[0]->diag.severity == Severity::kError);
  CHECK(found[1]->target == "DevOps/Admin/payments-dev");
  CHECK(found[1]->diag.span.line == 10);
}

TEST_CASE(
    "admin-only-break-glass: an inline `*` on `*` is admin too, so is a set that can escalate; a narrower set is not") {
  Linted l = LintText(R"(permission_sets:
  - name: Star
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - {Effect: Allow, Action: "*", Resource: "*"}
  - name: Power
    managed_policies: [PowerUserAccess]
  - name: Viewer
    managed_policies: [job-function/ViewOnlyAccess]
assignments:
  - group: DevOps
    permission_set: Star
    accounts: [payments-dev]
  - group: DevOps
    permission_set: Power
    accounts: [payments-dev]
  - group: DevOps
    permission_set: Viewer
    accounts: [payments-dev]
)");
  INFO(l.Dump());
  auto found = l.Of("admin-only-break-glass");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->target == "DevOps/Star/payments-dev");
  CHECK(found[0]->diag.message.find("which is administrator access") != std::string::npos);
  // PowerUserAccess allows lambda:UpdateFunctionCode on every function: it can run code as any function's role.
  CHECK(found[1]->target == "DevOps/Power/payments-dev");
  CHECK(found[1]->diag.message.find("can escalate to administrator access") != std::string::npos);
}

TEST_CASE("no-user-assignments: a user assignment warns, a group assignment does not") {
  Linted l = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(assignments:
  - user: alice
    permission_set: Viewer
    accounts: [payments-prod, payments-dev]
  - group: DevOps
    permission_set: Viewer
    accounts: [payments-prod]
)"}});
  INFO(l.Dump());
  auto found = l.Of("no-user-assignments");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->diag.severity == Severity::kWarning);
  CHECK(found[0]->diag.span.line == 2);
  CHECK(found[0]->diag.span.column == 11);
  CHECK(found[0]->target == "alice/Viewer/payments-prod");
  CHECK(found[1]->target == "alice/Viewer/payments-dev");
}

TEST_CASE("environment-separation: a write set in production and development, not a read-only one") {
  Linted l = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(assignments:
  - group: DevOps
    permission_set: Deployer
    accounts: {environment: production}
  - group: DevOps
    permission_set: Deployer
    accounts: {environment: development}
  - group: DevOps
    permission_set: Viewer
    accounts: {all: true}
)"}});
  INFO(l.Dump());
  auto found = l.Of("environment-separation");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->target == "Deployer");
  CHECK(found[0]->diag.span.file == "sets.yaml");
  CHECK(found[0]->diag.span.line == 7);
}

TEST_CASE("environment-separation: the production environments are a parameter") {
  Linted l = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(policy:
  rules:
    environment-separation: {level: error, production: [live]}
assignments:
  - group: DevOps
    permission_set: Deployer
    accounts: [payments-prod, payments-dev]
)"}});
  INFO(l.Dump());
  CHECK(l.Of("environment-separation").empty());
}

TEST_CASE("expired-access: an assignment past its date warns at `expires`, a current one does not") {
  Linted l = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(assignments:
  - group: DevOps
    permission_set: Viewer
    accounts: [payments-prod]
    expires: 2026-01-31
    reason: audit
  - group: DevOps
    permission_set: Deployer
    accounts: [payments-dev]
    expires: 2099-01-31
    reason: project
)"}});
  INFO(l.Dump());
  auto found = l.Of("expired-access");
  REQUIRE(found.size() == 1);
  CHECK(found[0]->target == "DevOps/Viewer/payments-prod");
  CHECK(found[0]->diag.span.line == 5);
  CHECK(found[0]->diag.message.find("the plan removes it") != std::string::npos);
}

TEST_CASE("separation-of-duties: groups and permission sets held together") {
  Linted l = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(groups:
  - name: Initiators
    members: [alice, carol]
  - name: Approvers
    members: [bob, alice]
policy:
  rules:
    separation-of-duties:
      pairs:
        - groups: [Initiators, Approvers]
        - permission_sets: [Deployer, Viewer]
assignments:
  - group: DevOps
    permission_set: Deployer
    accounts: [payments-dev]
  - user: alice
    permission_set: Viewer
    accounts: [payments-prod]
  - user: carol
    permission_set: Viewer
    accounts: [payments-prod]
)"}});
  INFO(l.Dump());
  auto found = l.Of("separation-of-duties");
  REQUIRE(found.size() == 2);
  CHECK(found[0]->target == "alice/Initiators/Approvers");
  CHECK(found[0]->diag.span.line == 5);
  CHECK(found[1]->target == "alice/Deployer/Viewer");
  CHECK(found[1]->diag.span.line == 16);
}

TEST_CASE("separation-of-duties: no pairs, no findings; a pair naming an unknown group is a config error") {
  Linted none = Lint({{"sets.yaml", kSets}, {"test.yaml", R"(assignments:
  - group: DevOps
    permission_set: Viewer
    accounts: [payments-prod]
)"}});
  CHECK(none.Of("separation-of-duties").empty());
  Linted bad = LintText(R"(policy:
  rules:
    separation-of-duties:
      pairs:
        - groups: [DevOp, BreakGlass]
)");
  REQUIRE(bad.result.config_errors.items().size() == 1);
  const Diagnostic& d = bad.result.config_errors.items()[0];
  CHECK(d.span.line == 5);
  CHECK(d.message == "group 'DevOp' is not declared; did you mean 'DevOps'?");
}

}  // namespace
}  // namespace gatehouse::lint::testing
