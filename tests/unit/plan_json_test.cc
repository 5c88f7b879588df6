// Tests for the saved plan format (compiler/plan_json.h): round trip and
// refusal of malformed files.

#include <catch2/catch.hpp>

#include <string>

#include "compiler/diff.h"
#include "compiler/plan_json.h"
#include "compiler/state_json.h"
#include "views/plan_summary.h"
#include "views/plan_text.h"

using namespace gatehouse;
using nlohmann::json;

namespace {

/// A plan with every kind and action, service ids, reasons and notes.
Plan SamplePlan() {
  DirectoryState live, desired;
  live.users["old"] = User{"old", "Old", "O", "Ld", "old@example.com", "u-old"};
  live.users["bob"] = User{"bob", "Bob", "", "", "", "u-bob"};
  desired.users["bob"] = User{"bob", "Bobby", "", "", "bob@example.com", ""};
  desired.users["new"] = User{"new", "New", "", "", "", ""};
  live.groups["G"] = Group{"G", "", "g-1"};
  desired.groups["G"] = Group{"G", "changed", ""};
  desired.memberships = {{"G", "new"}};
  live.memberships = {{"G", "old"}};
  PermissionSet full;
  full.name = "Full";
  full.description = "everything";
  full.session_duration = "PT4H";
  full.relay_state = "https://console.aws.amazon.com/";
  full.managed_policies = {"arn:aws:iam::aws:policy/ReadOnlyAccess"};
  full.customer_managed_policies = {{"LimitedS3", "/"}, {"X", "/team/"}};
  full.inline_policy = R"({"Statement":[],"Version":"2012-10-17"})";
  full.permissions_boundary = PermissionsBoundary{"", CustomerManagedPolicy{"Boundary", "/b/"}};
  full.tags = {{"owner", "platform"}};
  desired.permission_sets["Full"] = full;
  PermissionSet mb;
  mb.name = "Managed";
  mb.permissions_boundary = PermissionsBoundary{"arn:aws:iam::aws:policy/PowerUserAccess", {}};
  live.permission_sets["Managed"] = mb;
  live.permission_sets["Managed"].arn = "arn:aws:sso:::permissionSet/ssoins-1/ps-1";
  live.permission_sets["Managed"].outdated_accounts = {"111111111111"};
  desired.permission_sets["Managed"] = mb;
  desired.assignments = {{PrincipalType::kGroup, "G", "Full", "111111111111"}};
  live.assignments = {{PrincipalType::kUser, "old", "Managed", "222222222222"}};
  Plan plan;
  Diagnostics d;
  REQUIRE(DiffStates(desired, live, Settings{}, &plan, &d));
  plan.config_digest = "sha256:aaaa";
  plan.live_fingerprint = StateFingerprint(live);
  plan.notes = {"access of user 'carol' to 'Admin' expired on 2027-01-31; it is removed"};
  AccessChange ch;
  ch.change = AccessChangeKind::kLose;
  ch.user = "old";
  ch.permission_set = "Managed";
  ch.account_id = "222222222222";
  ch.account_name = "dev";
  ch.via = {"direct"};
  ch.privilege = "write";
  AccessChange up;
  up.change = AccessChangeKind::kEscalate;
  up.user = "dave";
  up.permission_set = "Managed";
  up.account_id = "222222222222";
  up.account_name = "dev";
  up.via = {"G"};
  up.privilege = "admin";
  up.privilege_before = "read-only";
  up.notable_actions_gained = {"iam:CreateAccessKey", "iam:PassRole"};
  up.notable_actions_lost = {"sso:GetRoleCredentials"};
  plan.access_changes = {up, ch};
  return plan;
}

bool SameOperations(const Plan& a, const Plan& b) {
  if (a.operations.size() != b.operations.size()) return false;
  for (size_t i = 0; i < a.operations.size(); ++i) {
    const Operation& x = a.operations[i];
    const Operation& y = b.operations[i];
    auto dump = [](const std::optional<Object>& o) { return o ? ObjectToJson(*o).dump() : std::string("null"); };
    if (x.kind != y.kind || x.action != y.action || x.name != y.name || x.depends_on != y.depends_on ||
        x.reason != y.reason || dump(x.before) != dump(y.before) || dump(x.after) != dump(y.after))
      return false;
  }
  return true;
}

std::string Refusal(const json& j) {
  Plan p;
  std::string err;
  bool ok = PlanFromJson(j, &p, &err);
  CHECK_FALSE(ok);
  CHECK_FALSE(err.empty());
  return err;
}

}  // namespace

TEST_CASE("plan json: a plan survives PlanToJson -> PlanFromJson", "[plan_json]") {
  Plan plan = SamplePlan();
  REQUIRE(plan.operations.size() >= 8);
  json j = PlanToJson(plan);
  // Through text, as a saved file would be.
  json reparsed = json::parse(j.dump(2));
  Plan back;
  std::string err;
  REQUIRE(PlanFromJson(reparsed, &back, &err));
  CHECK(SameOperations(plan, back));
  CHECK(back.config_digest == "sha256:aaaa");
  CHECK(back.live_fingerprint == plan.live_fingerprint);
  CHECK(back.notes == plan.notes);
  REQUIRE(back.access_changes.size() == 2);
  const AccessChange& up = back.access_changes[0];
  CHECK(up.change == AccessChangeKind::kEscalate);
  CHECK(up.privilege == "admin");
  CHECK(up.privilege_before == "read-only");
  CHECK(up.via == std::vector<std::string>{"G"});
  CHECK(up.notable_actions_gained == std::vector<std::string>{"iam:CreateAccessKey", "iam:PassRole"});
  CHECK(up.notable_actions_lost == std::vector<std::string>{"sso:GetRoleCredentials"});
  CHECK(back.access_changes[1].change == AccessChangeKind::kLose);
  CHECK(back.access_changes[1].via == std::vector<std::string>{"direct"});
  CHECK(back.access_changes[1].privilege == "write");
  // Only escalate/deescalate entries carry the before class and notable actions.
  CHECK(j["access_changes"][0]["change"] == "escalate");
  CHECK(j["access_changes"][0]["privilege_before"] == "read-only");
  CHECK_FALSE(j["access_changes"][1].contains("privilege_before"));
  CHECK_FALSE(j["access_changes"][1].contains("notable_actions_gained"));
  // Typed values come back equal, service ids included.
  for (size_t i = 0; i < plan.operations.size(); ++i) {
    CHECK(plan.operations[i].before == back.operations[i].before);
    CHECK(plan.operations[i].after == back.operations[i].after);
  }
  CHECK(PlanToJson(back) == j);
}

TEST_CASE("plan json: the contract's fields are present", "[plan_json]") {
  Plan plan = SamplePlan();
  json j = PlanToJson(plan, nullptr);
  CHECK(j.at("format_version") == "1");
  CHECK(j.at("summary").at("create").get<int>() + j.at("summary").at("update").get<int>() +
            j.at("summary").at("delete").get<int>() + j.at("summary").at("replace").get<int>() ==
        static_cast<int>(plan.operations.size()));
  bool saw_assignment = false, saw_membership = false;
  for (const auto& c : j.at("changes")) {
    CHECK(c.contains("kind"));
    CHECK(c.contains("action"));
    CHECK(c.contains("name"));
    CHECK(c.contains("before"));
    CHECK(c.contains("after"));
    CHECK(c.at("depends_on").is_array());
    const json& v = c.at("after").is_null() ? c.at("before") : c.at("after");
    if (c.at("kind") == "assignment") {
      saw_assignment = true;
      CHECK((v.at("principal_type") == "USER" || v.at("principal_type") == "GROUP"));
      CHECK(v.contains("principal"));
      CHECK(v.contains("permission_set"));
      CHECK(v.contains("account_id"));
    }
    if (c.at("kind") == "membership") {
      saw_membership = true;
      CHECK(v.contains("group"));
      CHECK(v.contains("user"));
    }
  }
  CHECK(saw_assignment);
  CHECK(saw_membership);
}

TEST_CASE("plan json: account names are added for assignments when known", "[plan_json]") {
  Plan plan = SamplePlan();
  std::map<std::string, Account> accounts = {{"111111111111", Account{"111111111111", "prod", "", "", {}}}};
  json j = PlanToJson(plan, &accounts);
  int named = 0;
  for (const auto& c : j.at("changes"))
    if (c.at("kind") == "assignment" && !c.at("after").is_null() && c.at("after").contains("account_name")) {
      CHECK(c.at("after").at("account_name") == "prod");
      ++named;
    }
  CHECK(named == 1);
  // The extra field does not break reading the plan back.
  Plan back;
  std::string err;
  CHECK(PlanFromJson(j, &back, &err));
}

TEST_CASE("plan json: malformed plan files are refused with a message", "[plan_json]") {
  json good = PlanToJson(SamplePlan());

  CHECK(Refusal(json::array()) == "not a Gatehouse plan file (format_version \"1\" expected)");
  json v2 = good;
  v2["format_version"] = "2";
  CHECK(Refusal(v2) == "not a Gatehouse plan file (format_version \"1\" expected)");
  json noversion = good;
  noversion.erase("format_version");
  CHECK(Refusal(noversion).find("format_version") != std::string::npos);

  json nochanges = good;
  nochanges.erase("changes");
  CHECK(Refusal(nochanges).rfind("malformed plan file: ", 0) == 0);

  json nodigest = good;
  nodigest.erase("config_digest");
  CHECK(Refusal(nodigest).rfind("malformed plan file: ", 0) == 0);

  json badkind = good;
  badkind["changes"][0]["kind"] = "robot";
  CHECK(Refusal(badkind) == "unknown change kind or action in plan");

  json badaction = good;
  badaction["changes"][0]["action"] = "explode";
  CHECK(Refusal(badaction) == "unknown change kind or action in plan");

  json noafter = good;
  for (auto& c : noafter["changes"])
    if (c["action"] == "create") {
      c["after"] = nullptr;
      break;
    }
  CHECK(Refusal(noafter).find("lacks its before or after value") != std::string::npos);

  json baddep = good;
  baddep["changes"][0]["depends_on"] = {999};
  CHECK(Refusal(baddep).find("depends on a change that is not in the plan") != std::string::npos);

  json wrongtype = good;
  wrongtype["changes"][0]["depends_on"] = "zero";
  CHECK(Refusal(wrongtype).rfind("malformed plan file: ", 0) == 0);

  json badprincipal = good;
  for (auto& c : badprincipal["changes"])
    if (c["kind"] == "assignment" && !c["after"].is_null()) c["after"]["principal_type"] = "ROBOT";
  CHECK(Refusal(badprincipal).rfind("malformed plan file: ", 0) == 0);

  json afternotobject = good;
  REQUIRE(!afternotobject["changes"][0]["after"].is_null());
  afternotobject["changes"][0]["after"] = 42;
  CHECK(Refusal(afternotobject).rfind("malformed plan file: ", 0) == 0);
}

TEST_CASE("plan json: text rendering and summary", "[plan_json]") {
  Plan plan = SamplePlan();
  std::string text = RenderPlanText(plan, TextOptions{false});
  CHECK(text.find("  + user new\n") != std::string::npos);
  CHECK(text.find("  - user old\n") != std::string::npos);
  CHECK(text.find("  ~ user bob\n") != std::string::npos);
  CHECK(text.find("      display_name: \"Bob\" -> \"Bobby\"\n") != std::string::npos);
  CHECK(text.find("# not provisioned with its latest policies on 1 account(s)") != std::string::npos);
  CHECK(text.find("u-bob") == std::string::npos);  // service ids are not shown
  CHECK(text.find("\033[") == std::string::npos);  // no colour when off
  PlanSummary s = Summarize(plan);
  CHECK(PlanSummaryLine(plan, SummaryStyle::kText) == "Plan: " + std::to_string(s.create) + " to create, " +
                                                          std::to_string(s.update) + " to update, " +
                                                          std::to_string(s.del) + " to delete, 0 to replace.");
  CHECK(PlanSummaryLine(Plan{}, SummaryStyle::kText) == "No changes. The live directory matches the configuration.");
}
