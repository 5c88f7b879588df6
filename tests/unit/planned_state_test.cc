// A plan's access changes compare the live directory with what it will hold
// once the plan is applied (operations/access_changes.h PlannedState): what the
// plan leaves in place (settings.ignore, mode: additive) is not shown as lost.
#include <catch2/catch.hpp>

#include <string>

#include "compiler/diff.h"
#include "operations/access_changes.h"

using namespace gatehouse;

namespace {

/// Devs (alice, bob) hold Reader on one account; bob is also in Ops, which holds Admin.
DirectoryState Live() {
  DirectoryState s;
  for (const char* u : {"alice", "bob"}) s.users[u].user_name = u;
  for (const char* g : {"Devs", "Ops"}) s.groups[g].name = g;
  s.memberships = {{"Devs", "alice"}, {"Devs", "bob"}, {"Ops", "bob"}};
  s.accounts["111111111111"] = Account{"111111111111", "payments-prod", "", "production", {}};
  s.permission_sets["Reader"].name = "Reader";
  s.permission_sets["Admin"].name = "Admin";
  s.assignments = {{PrincipalType::kGroup, "Devs", "Reader", "111111111111"},
                   {PrincipalType::kGroup, "Ops", "Admin", "111111111111"}};
  return s;
}

/// The config declares Devs with alice only, and not Ops.
DirectoryState Desired() {
  DirectoryState s = Live();
  s.users.erase("bob");
  s.groups.erase("Ops");
  s.memberships = {{"Devs", "alice"}};
  s.permission_sets.erase("Admin");
  s.assignments = {{PrincipalType::kGroup, "Devs", "Reader", "111111111111"}};
  return s;
}

std::string Described(const DirectoryState& live, const DirectoryState& desired, const Settings& settings) {
  Plan plan;
  Diagnostics diags;
  REQUIRE(DiffStates(desired, live, settings, &plan, &diags));
  auto kept = PlannedState(live, desired, plan);
  std::string out;
  for (const AccessChange& c : ChangedAccess(live, kept ? *kept : desired))
    out += std::string(AccessChangeKindName(c.change)) + " " + c.user + " " + c.permission_set + "\n";
  return out;
}

}  // namespace

TEST_CASE("planned state: without ignore the plan's losses are all shown", "[plan][access]") {
  CHECK(Described(Live(), Desired(), Settings{}) == "lose bob Admin\nlose bob Reader\n");
}

TEST_CASE("planned state: an ignored user keeps what the plan leaves alone", "[plan][access]") {
  Settings s;
  s.ignore_users = {"bob"};
  s.ignore_groups = {"Ops"};
  s.ignore_permission_sets = {"Admin"};
  CHECK(Described(Live(), Desired(), s).empty());
}

TEST_CASE("planned state: additive mode deletes nothing, so nobody loses access", "[plan][access]") {
  Settings s;
  s.additive = true;
  CHECK(Described(Live(), Desired(), s).empty());
  DirectoryState more = Desired();
  more.memberships.insert({"Devs", "carol"});
  more.users["carol"].user_name = "carol";
  CHECK(Described(Live(), more, s) == "gain carol Reader\n");
}

TEST_CASE("planned state: a plan that removes everything desired lacks needs no copy", "[plan][access]") {
  Plan plan;
  Diagnostics diags;
  REQUIRE(DiffStates(Desired(), Live(), Settings{}, &plan, &diags));
  CHECK(PlannedState(Live(), Desired(), plan) == nullptr);
}
