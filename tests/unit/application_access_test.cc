// A plan says who gains or loses an Identity Center application (issue 12):
// via a group, directly, or everyone when assignment_required flips; the
// applications the config does not declare are left as they are.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/access.h"
#include "compiler/plan_json.h"
#include "operations/access_changes.h"
#include "views/plan_markdown.h"
#include "views/plan_text.h"

using namespace gatehouse;

namespace {

/// Sales (alice, bob) may use Salesforce; carol uses Jira directly; Wiki is open to everyone.
DirectoryState Live() {
  DirectoryState s;
  for (const char* u : {"alice", "bob", "carol"}) s.users[u].user_name = u;
  s.groups["Sales"].name = "Sales";
  s.memberships = {{"Sales", "alice"}, {"Sales", "bob"}};
  s.applications["Salesforce"] = Application{"Salesforce", true, ""};
  s.applications["Jira"] = Application{"Jira", true, ""};
  s.applications["Wiki"] = Application{"Wiki", false, ""};
  s.application_assignments = {{PrincipalType::kGroup, "Sales", "Salesforce"}, {PrincipalType::kUser, "carol", "Jira"}};
  return s;
}

/// The config: declares Salesforce (assignment_required left alone) and Wiki.
DirectoryState Desired() {
  DirectoryState s = Live();
  s.applications.erase("Jira");
  s.applications["Salesforce"].assignment_required.reset();
  s.applications["Wiki"].assignment_required.reset();
  s.application_assignments.erase({PrincipalType::kUser, "carol", "Jira"});
  return s;
}

std::vector<std::string> Described(const std::vector<AccessChange>& changes) {
  std::vector<std::string> out;
  for (const auto& c : changes) out.push_back(DescribeAccessChange(c));
  return out;
}

}  // namespace

TEST_CASE("application access: a converged config with undeclared applications changes nothing",
          "[applications][access]") {
  CHECK(ChangedAccess(Live(), Desired()).empty());
}

TEST_CASE("application access: joining a group and a direct assignment are gains; a removal is a loss",
          "[applications][access]") {
  DirectoryState desired = Desired();
  desired.memberships.insert({"Sales", "carol"});  // carol gains Salesforce via Sales
  desired.application_assignments.erase({PrincipalType::kGroup, "Sales", "Salesforce"});
  desired.application_assignments.insert({PrincipalType::kUser, "alice", "Salesforce"});
  auto changes = ChangedAccess(Live(), desired);
  // alice keeps it (directly now); carol gains nothing: Sales no longer holds Salesforce.
  CHECK(Described(changes) == std::vector<std::string>{"bob loses application Salesforce via group Sales"});
  desired.application_assignments.insert({PrincipalType::kGroup, "Sales", "Salesforce"});
  changes = ChangedAccess(Live(), desired);
  REQUIRE(changes.size() == 1);
  CHECK(changes[0].user == "carol");
  CHECK(changes[0].application == "Salesforce");
  CHECK(changes[0].gained());
  CHECK(changes[0].via == std::vector<std::string>{"Sales"});
  CHECK(changes[0].permission_set.empty());
  CHECK(changes[0].account_id.empty());
}

TEST_CASE("application access: requiring an assignment takes it from everyone not assigned", "[applications][access]") {
  DirectoryState desired = Desired();
  desired.applications["Wiki"].assignment_required = true;
  desired.application_assignments.insert({PrincipalType::kUser, "bob", "Wiki"});
  CHECK(Described(ChangedAccess(Live(), desired)) ==
        std::vector<std::string>{"alice loses application Wiki via everyone (no assignment required)",
                                 "carol loses application Wiki via everyone (no assignment required)"});
  // And the reverse: everyone gains it, but bob, who had it, gains nothing.
  DirectoryState live = Live();
  live.applications["Wiki"].assignment_required = true;
  live.application_assignments.insert({PrincipalType::kUser, "bob", "Wiki"});
  desired.applications["Wiki"].assignment_required = false;
  auto changes = ChangedAccess(live, desired);
  REQUIRE(changes.size() == 2);
  CHECK(changes[0].user == "alice");
  CHECK(changes[1].user == "carol");
  CHECK(changes[1].via == std::vector<std::string>{"everyone"});
}

TEST_CASE("application access: a user joining a group reaches the undeclared applications it holds",
          "[applications][access]") {
  DirectoryState live = Live(), desired = Desired();
  live.application_assignments.insert({PrincipalType::kGroup, "Sales", "Jira"});
  desired.memberships.insert({"Sales", "carol"});
  auto changes = ChangedAccess(live, desired);
  // carol held Jira directly already: only Salesforce is new.
  CHECK(Described(changes) == std::vector<std::string>{"carol gains application Salesforce via group Sales"});
}

TEST_CASE("application access: rendered in text, Markdown and a separate JSON array that reads back",
          "[applications][access][plan]") {
  Plan plan;
  AccessChange account;
  account.user = "alice";
  account.permission_set = "ReadOnly";
  account.account_id = "111111111111";
  account.via = {"Sales"};
  AccessChange app;
  app.change = AccessChangeKind::kLose;
  app.user = "bob";
  app.application = "Salesforce";
  app.via = {"direct"};
  plan.access_changes = {account, app};
  CHECK(RenderPlanText(plan, {}).find("- bob loses application Salesforce via direct assignment") != std::string::npos);
  CHECK(RenderPlanMarkdown(plan, {}).find("| 🔴 loses | bob | application Salesforce | — | direct |") !=
        std::string::npos);
  auto j = PlanToJson(plan);
  REQUIRE(j["access_changes"].size() == 1);
  CHECK(j["application_access_changes"] ==
        nlohmann::json::parse(R"([{"change":"lose","user":"bob","application":"Salesforce","via":["direct"]}])"));
  Plan back;
  std::string err;
  REQUIRE(PlanFromJson(j, &back, &err));
  REQUIRE(back.access_changes.size() == 2);
  CHECK(back.access_changes[1].application == "Salesforce");
  CHECK(back.access_changes[1].change == AccessChangeKind::kLose);
  CHECK_FALSE(PlanToJson(Plan{}).contains("application_access_changes"));
}
