// Tests for scoped plans' slices (compiler/scope.h): what a change puts in the
// slice, that a diff of restricted states never leaves it, --only, and the
// slice's JSON form.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/diff.h"
#include "compiler/plan_json.h"
#include "compiler/scope.h"

using namespace gatehouse;

namespace {

/// alice, bob, carol; Devs {alice, bob}, Ops {carol}; sets Dev, Admin; two accounts.
DirectoryState Base() {
  DirectoryState s;
  for (const char* u : {"alice", "bob", "carol"}) s.users[u] = User{u, u, "", "", "", ""};
  for (const char* g : {"Devs", "Ops"}) s.groups[g] = Group{g, "", ""};
  s.memberships = {{"Devs", "alice"}, {"Devs", "bob"}, {"Ops", "carol"}};
  for (const char* p : {"Dev", "Admin"}) {
    PermissionSet ps;
    ps.name = p;
    s.permission_sets[p] = ps;
  }
  s.accounts["111111111111"] = Account{"111111111111", "prod", "", "production", {}};
  s.accounts["222222222222"] = Account{"222222222222", "dev", "", "development", {}};
  s.assignments = {{PrincipalType::kGroup, "Devs", "Dev", "222222222222"},
                   {PrincipalType::kGroup, "Ops", "Admin", "111111111111"},
                   {PrincipalType::kUser, "carol", "Admin", "222222222222"}};
  return s;
}

std::vector<std::string> Lines(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& op : plan.operations)
    out.push_back(std::string(ActionName(op.action)) + " " + ObjectKindName(op.kind) + " " + op.name);
  return out;
}

/// The scoped diff: both sides restricted to the slice.
std::vector<std::string> ScopedDiff(const DirectoryState& desired, const DirectoryState& live, const Scope& scope) {
  Plan plan;
  Diagnostics diags;
  REQUIRE(DiffStates(Restrict(desired, scope), Restrict(live, scope), Settings{}, &plan, &diags));
  return Lines(plan);
}

}  // namespace

TEST_CASE("a membership and a group assignment put exactly them and their dependencies in the slice") {
  DirectoryState before = Base(), after = Base();
  after.memberships.insert({"Ops", "alice"});
  after.assignments.insert({PrincipalType::kGroup, "Devs", "Admin", "111111111111"});
  Scope s = ChangedScope(before, after);
  CHECK(s.memberships == std::set<Membership>{{"Ops", "alice"}});
  CHECK(s.assignments == std::set<Assignment>{{PrincipalType::kGroup, "Devs", "Admin", "111111111111"}});
  CHECK(s.users == std::set<std::string>{"alice"});
  CHECK(s.groups == std::set<std::string>{"Devs", "Ops"});
  CHECK(s.permission_sets == std::set<std::string>{"Admin"});
  CHECK(s.accounts == std::set<std::string>{"111111111111"});
  CHECK(s.whole_users.empty());
  CHECK(s.whole_groups.empty());
  CHECK(s.whole_sets.empty());
  // The live directory still is `before`, with drift outside the slice: the
  // scoped diff shows the two changes only.
  DirectoryState live = before;
  live.users["mallory"] = User{"mallory", "mallory", "", "", "", ""};
  live.memberships.insert({"Devs", "carol"});
  live.assignments.insert({PrincipalType::kUser, "bob", "Dev", "111111111111"});
  CHECK(ScopedDiff(after, live, s) ==
        std::vector<std::string>{"create membership Ops/alice", "create assignment group:Devs/Admin/111111111111"});
}

TEST_CASE("an unchanged config gives an empty slice") { CHECK(ChangedScope(Base(), Base()).empty()); }

TEST_CASE("a removed user is whole: its memberships and assignments are deleted, nothing else") {
  DirectoryState before = Base(), after = Base();
  after.users.erase("carol");
  after.memberships.erase({"Ops", "carol"});
  after.assignments.erase({PrincipalType::kUser, "carol", "Admin", "222222222222"});
  Scope s = ChangedScope(before, after);
  CHECK(s.whole_users == std::set<std::string>{"carol"});
  DirectoryState live = before;
  live.memberships.insert({"Devs", "carol"});  // out-of-band, but carol's: in the slice
  live.memberships.insert({"Devs", "zed"});    // outside the slice: never deleted
  live.assignments.insert({PrincipalType::kGroup, "Devs", "Admin", "222222222222"});
  auto lines = ScopedDiff(after, live, s);
  CHECK(lines == std::vector<std::string>{"delete user carol", "delete membership Devs/carol",
                                          "delete membership Ops/carol",
                                          "delete assignment user:carol/Admin/222222222222"});
}

TEST_CASE("a removed permission set takes every assignment of it, live ones included") {
  DirectoryState before = Base(), after = Base();
  after.permission_sets.erase("Admin");
  after.assignments.erase({PrincipalType::kGroup, "Ops", "Admin", "111111111111"});
  after.assignments.erase({PrincipalType::kUser, "carol", "Admin", "222222222222"});
  Scope s = ChangedScope(before, after);
  CHECK(s.whole_sets == std::set<std::string>{"Admin"});
  DirectoryState live = before;
  live.assignments.insert({PrincipalType::kUser, "bob", "Admin", "111111111111"});
  auto lines = ScopedDiff(after, live, s);
  CHECK(lines == std::vector<std::string>{"delete permission_set Admin",
                                          "delete assignment user:bob/Admin/111111111111",
                                          "delete assignment user:carol/Admin/222222222222",
                                          "delete assignment group:Ops/Admin/111111111111"});
}

TEST_CASE("selector expansion is compared, so an account's new environment changes its assignments") {
  DirectoryState before = Base(), after = Base();
  after.accounts["222222222222"].environment = "production";
  after.assignments.insert({PrincipalType::kGroup, "Ops", "Admin", "222222222222"});
  Scope s = ChangedScope(before, after);
  CHECK(s.accounts == std::set<std::string>{"222222222222"});
  CHECK(s.assignments.size() == 1);
}

TEST_CASE("--only names objects by hand") {
  DirectoryState d = Base();
  Scope s;
  std::string err;
  REQUIRE(AddOnly("membership:Devs/alice", d, &s, &err));
  REQUIRE(AddOnly("assignment:group:Ops/Admin/prod", d, &s, &err));
  REQUIRE(AddOnly("group:Ops", d, &s, &err));
  AddDependencies(d, &s);
  CHECK(s.assignments.count({PrincipalType::kGroup, "Ops", "Admin", "111111111111"}));  // account by name
  CHECK(s.memberships.count({"Ops", "carol"}));  // the whole group's desired members
  CHECK(s.users == std::set<std::string>{"alice", "carol"});
  CHECK_FALSE(AddOnly("group", d, &s, &err));
  CHECK_FALSE(AddOnly("team:x", d, &s, &err));
  CHECK(err.find("unknown kind 'team'") != std::string::npos);
  CHECK_FALSE(AddOnly("membership:Devs", d, &s, &err));
  CHECK_FALSE(AddOnly("assignment:Ops/Admin/prod", d, &s, &err));
  CHECK_FALSE(AddOnly("account:nowhere", d, &s, &err));
  REQUIRE(AddOnly("account:dev", d, &s, &err));
  CHECK(s.assignments.count({PrincipalType::kUser, "carol", "Admin", "222222222222"}));
}

TEST_CASE("set hints are accounts the config assigns the set on outside the slice") {
  DirectoryState d = Base();
  Scope s;
  s.assignments.insert({PrincipalType::kGroup, "Devs", "Admin", "111111111111"});
  AddDependencies(d, &s);
  AddSetHints(d, &s);
  // carol holds one set on 222222222222, Ops one on 111111111111: both are hints.
  CHECK(s.set_hints["Admin"] == std::vector<Assignment>{{PrincipalType::kUser, "carol", "Admin", "222222222222"},
                                                        {PrincipalType::kGroup, "Ops", "Admin", "111111111111"}});
}

TEST_CASE("overlay replaces the slice of a state, keeps the rest") {
  DirectoryState desired = Base(), live = Base();
  Scope s;
  s.memberships.insert({"Ops", "alice"});
  AddDependencies(desired, &s);
  desired.memberships.insert({"Ops", "alice"});
  DirectoryState view = Overlay(desired, Restrict(live, s), s);
  CHECK_FALSE(view.memberships.count({"Ops", "alice"}));
  CHECK(view.memberships.count({"Devs", "bob"}));
  CHECK(view.assignments == desired.assignments);
  CHECK(CountObjects(Restrict(live, s)) == 2);  // alice and Ops
}

TEST_CASE("a slice survives the plan JSON") {
  DirectoryState before = Base(), after = Base();
  after.users.erase("bob");
  after.memberships.erase({"Devs", "bob"});
  after.assignments.insert({PrincipalType::kGroup, "Devs", "Admin", "111111111111"});
  Plan plan;
  plan.config_digest = plan.live_fingerprint = "sha256:" + std::string(64, '0');
  plan.scope = std::make_shared<Scope>(ChangedScope(before, after));
  AddSetHints(before, &*plan.scope);
  plan.scope->origin = "changed from HEAD";
  plan.objects_read = 7;
  nlohmann::json j = PlanToJson(plan);
  CHECK(j["scope"]["scoped"] == true);
  CHECK(j["scope"]["drift_elsewhere_checked"] == false);
  Plan back;
  std::string err;
  REQUIRE(PlanFromJson(j, &back, &err));
  REQUIRE(back.scope);
  CHECK(*back.scope == *plan.scope);
  CHECK(back.objects_read == 7);
  Plan full;
  full.config_digest = full.live_fingerprint = plan.config_digest;
  CHECK_FALSE(PlanToJson(full).contains("scope"));
}
