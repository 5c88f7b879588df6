// The PR comment puts the findings about this change first and folds the rest
// (issue 9 item 7).
#include <catch2/catch.hpp>

#include "compiler/lint/plan_findings.h"
#include "views/plan_markdown.h"

using namespace gatehouse;

namespace {

lint::Finding Found(const std::string& rule, const std::string& target, Severity severity = Severity::kWarning) {
  lint::Finding f;
  f.diag.severity = severity;
  f.diag.code = rule;
  f.diag.message = "about " + target;
  f.diag.span = SourceSpan{"config.yaml", 3, 1, 1};
  f.target = target;
  return f;
}

Operation Op(ObjectKind kind, Action action, Object value) {
  Operation op;
  op.kind = kind;
  op.action = action;
  op.after = std::move(value);
  return op;
}

/// Updates set Deployer, assigns group DevOps ReadOnly on payments-prod, adds bob to QA.
Plan SamplePlan() {
  Plan plan;
  PermissionSet deployer;
  deployer.name = "Deployer";
  plan.operations.push_back(Op(ObjectKind::kPermissionSet, Action::kUpdate, deployer));
  plan.operations.back().before = deployer;
  plan.operations.push_back(Op(ObjectKind::kAssignment, Action::kCreate,
                               Assignment{PrincipalType::kGroup, "DevOps", "ReadOnly", "111111111111"}));
  plan.operations.push_back(Op(ObjectKind::kMembership, Action::kCreate, Membership{"QA", "bob"}));
  return plan;
}

std::map<std::string, Account> Accounts() {
  return {{"111111111111", Account{"111111111111", "payments-prod", "", "production", {}}}};
}

}  // namespace

TEST_CASE("findings whose target names an object the plan touches are about the plan") {
  lint::PlanTouches t(SamplePlan(), Accounts());
  CHECK(t.About("Deployer"));                                           // the set updated
  CHECK(t.About("ReadOnly"));                                           // a set newly assigned
  CHECK(t.About("DevOps"));                                             // the group given an assignment
  CHECK(t.About("QA"));                                                 // a group whose members change
  CHECK(t.About("bob"));                                                // a user added to a group
  CHECK(t.About("DevOps/ReadOnly/payments-prod"));                      // the assignment, by account name
  CHECK(t.About("DevOps/ReadOnly/111111111111"));                       // ... or id
  CHECK(t.About("carol/Deployer/payments-dev"));                        // another assignment of the changed set
  CHECK(t.About("no-user-assignments/DevOps/ReadOnly/payments-prod"));  // an exception's target
  CHECK(t.About("bob/PaymentInitiators/PaymentApprovers"));             // separation of duties of bob
  CHECK_FALSE(t.About("AdministratorAccess"));
  CHECK_FALSE(t.About("carol/ReadOnly/payments-dev"));  // the set is only assigned elsewhere
  CHECK_FALSE(t.About("alice"));
  CHECK_FALSE(t.About(""));
}

TEST_CASE("SplitFindings drops waived findings and keeps each part's order") {
  std::vector<lint::Finding> findings = {Found("unused-permission-set", "Legacy"),
                                         Found("session-duration", "Deployer"), Found("empty-group", "Nobody"),
                                         Found("no-wildcard-actions", "ReadOnly")};
  findings.push_back(Found("admin-only-break-glass", "Deployer"));
  findings.back().suppressed = true;
  lint::PlanFindings split = lint::SplitFindings(findings, SamplePlan(), Accounts());
  REQUIRE(split.about_plan.size() == 2);
  CHECK(split.about_plan[0].code == "session-duration");
  CHECK(split.about_plan[1].code == "no-wildcard-actions");
  REQUIRE(split.rest.size() == 2);
  CHECK(split.rest[0].code == "unused-permission-set");
  CHECK(split.rest[1].code == "empty-group");
}

TEST_CASE("plan markdown lists this change's findings first and folds the rest") {
  lint::PlanFindings split =
      lint::SplitFindings({Found("unused-permission-set", "Legacy", Severity::kError),
                           Found("session-duration", "Deployer"), Found("empty-group", "Nobody")},
                          SamplePlan(), Accounts());
  MarkdownOptions mo;
  mo.findings = &split.about_plan;
  mo.other_findings = &split.rest;
  std::string md = RenderPlanMarkdown(SamplePlan(), mo);
  CHECK(md.find("Lint: 1 error, 2 warnings, 0 notes.") != std::string::npos);
  size_t header = md.find("#### Lint findings\n\n- ⚠️ **warning** `session-duration` about Deployer");
  size_t fold = md.find(
      "<details><summary>2 findings about the rest of the configuration</summary>\n\n- ❌ **error** "
      "`unused-permission-set` about Legacy");
  size_t empty = md.find("`empty-group` about Nobody (`config.yaml:3`)\n\n</details>\n\n");
  REQUIRE(header != std::string::npos);
  REQUIRE(fold != std::string::npos);
  CHECK(header < fold);
  CHECK(fold < empty);
  CHECK(empty != std::string::npos);
}

TEST_CASE("plan markdown with no finding about the change says so above the fold") {
  std::vector<Diagnostic> none, rest = {Found("empty-group", "Nobody").diag};
  MarkdownOptions mo;
  mo.findings = &none;
  mo.other_findings = &rest;
  std::string md = RenderPlanMarkdown(SamplePlan(), mo);
  CHECK(md.find("#### Lint findings\n\nNone about the objects this plan changes.\n\n"
                "<details><summary>1 finding about the rest of the configuration</summary>") != std::string::npos);
}
