// Tests for the diff (compiler/diff.h): which operations a (desired, live,
// settings) triple gives.

#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/diff.h"

using namespace gatehouse;

namespace {

User MakeUser(const std::string& name, const std::string& email = "", const std::string& id = "") {
  User u;
  u.user_name = name;
  u.display_name = name;
  u.email = email;
  u.id = id;
  return u;
}

Group MakeGroup(const std::string& name, const std::string& description = "", const std::string& id = "") {
  return Group{name, description, id};
}

PermissionSet MakeSet(const std::string& name, const std::string& duration = "PT1H", const std::string& arn = "") {
  PermissionSet p;
  p.name = name;
  p.session_duration = duration;
  p.arn = arn;
  return p;
}

Assignment GroupAssignment(const std::string& group, const std::string& set, const std::string& account) {
  return {PrincipalType::kGroup, group, set, account};
}

Assignment UserAssignment(const std::string& user, const std::string& set, const std::string& account) {
  return {PrincipalType::kUser, user, set, account};
}

struct Diffed {
  bool ok = false;
  Plan plan;
  Diagnostics diags;
  /// "create user alice", one per operation, in plan order.
  std::vector<std::string> Lines() const {
    std::vector<std::string> out;
    for (const auto& op : plan.operations)
      out.push_back(std::string(ActionName(op.action)) + " " + ObjectKindName(op.kind) + " " + op.name);
    return out;
  }
};

Diffed Diff(const DirectoryState& desired, const DirectoryState& live, const Settings& settings = {}) {
  Diffed d;
  d.ok = DiffStates(desired, live, settings, &d.plan, &d.diags);
  return d;
}

using Lines = std::vector<std::string>;

/// A live directory with one of everything, service ids set.
DirectoryState SampleLive() {
  DirectoryState s;
  s.users["alice"] = MakeUser("alice", "alice@example.com", "u-1");
  s.users["bob"] = MakeUser("bob", "", "u-2");
  s.groups["DevOps"] = MakeGroup("DevOps", "ops", "g-1");
  s.groups["AWSControlTowerAdmins"] = MakeGroup("AWSControlTowerAdmins", "", "g-2");
  s.memberships = {{"DevOps", "alice"}, {"AWSControlTowerAdmins", "bob"}};
  s.permission_sets["Admin"] = MakeSet("Admin", "PT1H", "arn:aws:sso:::permissionSet/ssoins-x/ps-1");
  s.permission_sets["AWSControlTowerReadOnly"] = MakeSet("AWSControlTowerReadOnly", "PT1H", "arn:ps-2");
  s.assignments = {GroupAssignment("DevOps", "Admin", "111111111111"),
                   GroupAssignment("AWSControlTowerAdmins", "AWSControlTowerReadOnly", "111111111111"),
                   UserAssignment("bob", "Admin", "222222222222")};
  return s;
}

}  // namespace

TEST_CASE("diff: an unchanged state gives an empty plan, service ids aside", "[diff]") {
  DirectoryState live = SampleLive();
  DirectoryState desired = live;
  for (auto& [k, u] : desired.users) u.id.clear();
  for (auto& [k, g] : desired.groups) g.id.clear();
  for (auto& [k, p] : desired.permission_sets) p.arn.clear();
  Diffed d = Diff(desired, live);
  CHECK(d.ok);
  CHECK(d.plan.empty());
  CHECK(d.diags.items().empty());
}

TEST_CASE("diff: create, update and delete for users and groups", "[diff]") {
  DirectoryState live, desired;
  live.users["bob"] = MakeUser("bob", "old@example.com", "u-bob");
  live.users["carol"] = MakeUser("carol", "", "u-carol");
  live.groups["Old"] = MakeGroup("Old", "", "g-old");
  live.groups["Same"] = MakeGroup("Same", "d", "g-same");
  live.groups["Changed"] = MakeGroup("Changed", "before", "g-ch");
  desired.users["alice"] = MakeUser("alice");
  desired.users["bob"] = MakeUser("bob", "new@example.com");
  desired.groups["Same"] = MakeGroup("Same", "d");
  desired.groups["Changed"] = MakeGroup("Changed", "after");
  desired.groups["New"] = MakeGroup("New");
  Diffed d = Diff(desired, live);
  REQUIRE(d.ok);
  CHECK(d.Lines() == Lines{"create user alice", "update user bob", "delete user carol", "update group Changed",
                           "create group New", "delete group Old"});
  const Operation& upd = d.plan.operations[1];
  REQUIRE(upd.before);
  REQUIRE(upd.after);
  CHECK(std::get<User>(*upd.before).email == "old@example.com");
  CHECK(std::get<User>(*upd.after).email == "new@example.com");
  CHECK(std::get<User>(*upd.after).id == "u-bob");  // the update carries the live id
  CHECK_FALSE(d.plan.operations[0].before);
  CHECK_FALSE(d.plan.operations[2].after);
}

TEST_CASE("diff: memberships are created and deleted, never updated", "[diff]") {
  DirectoryState live, desired;
  for (auto* s : {&live, &desired}) {
    s->users["a"] = MakeUser("a");
    s->users["b"] = MakeUser("b");
    s->groups["G"] = MakeGroup("G");
  }
  live.memberships = {{"G", "a"}};
  desired.memberships = {{"G", "b"}};
  Diffed d = Diff(desired, live);
  CHECK(d.Lines() == Lines{"create membership G/b", "delete membership G/a"});
}

TEST_CASE("diff: permission sets, including out-of-date provisioning", "[diff]") {
  DirectoryState live, desired;
  live.permission_sets["Keep"] = MakeSet("Keep", "PT1H", "arn:keep");
  live.permission_sets["Longer"] = MakeSet("Longer", "PT1H", "arn:longer");
  live.permission_sets["Gone"] = MakeSet("Gone", "PT1H", "arn:gone");
  live.permission_sets["Stale"] = MakeSet("Stale", "PT1H", "arn:stale");
  live.permission_sets["Stale"].outdated_accounts = {"111111111111", "222222222222"};
  desired.permission_sets["Keep"] = MakeSet("Keep");
  desired.permission_sets["Longer"] = MakeSet("Longer", "PT4H");
  desired.permission_sets["New"] = MakeSet("New");
  desired.permission_sets["Stale"] = MakeSet("Stale");
  Diffed d = Diff(desired, live);
  CHECK(d.Lines() == Lines{"update permission_set Longer", "create permission_set New", "update permission_set Stale",
                           "delete permission_set Gone"});
  CHECK(std::get<PermissionSet>(*d.plan.operations[0].after).arn == "arn:longer");
  CHECK(std::get<PermissionSet>(*d.plan.operations[0].after).session_duration == "PT4H");
  CHECK(d.plan.operations[2].reason == "not provisioned with its latest policies on 2 account(s)");
  CHECK(d.plan.operations[0].reason.empty());
}

TEST_CASE("diff: assignments are created and deleted with readable names", "[diff]") {
  DirectoryState live, desired;
  live.assignments = {GroupAssignment("G", "S", "111111111111")};
  desired.assignments = {UserAssignment("alice", "S", "111111111111")};
  desired.users["alice"] = MakeUser("alice");
  live.users["alice"] = MakeUser("alice");
  desired.groups["G"] = live.groups["G"] = MakeGroup("G");
  desired.permission_sets["S"] = live.permission_sets["S"] = MakeSet("S");
  Diffed d = Diff(desired, live);
  CHECK(d.Lines() == Lines{"create assignment user:alice/S/111111111111", "delete assignment group:G/S/111111111111"});
}

TEST_CASE("diff: mode additive never deletes", "[diff]") {
  DirectoryState live = SampleLive();
  DirectoryState desired;
  desired.users["alice"] = MakeUser("alice", "changed@example.com");
  desired.users["dave"] = MakeUser("dave");
  desired.groups["DevOps"] = MakeGroup("DevOps", "ops");
  desired.permission_sets["Admin"] = MakeSet("Admin");
  desired.memberships = {{"DevOps", "dave"}};
  desired.assignments = {GroupAssignment("DevOps", "Admin", "333333333333")};
  Settings s;
  s.additive = true;
  Diffed d = Diff(desired, live, s);
  REQUIRE(d.ok);
  CHECK(d.Lines() == Lines{"update user alice", "create user dave", "create membership DevOps/dave",
                           "create assignment group:DevOps/Admin/333333333333"});
  for (const auto& op : d.plan.operations) CHECK(op.action != Action::kDelete);
  // The same without additive deletes what is undeclared.
  Diffed auth = Diff(desired, live);
  size_t deletes = 0;
  for (const auto& op : auth.plan.operations) deletes += op.action == Action::kDelete;
  CHECK(deletes > 0);
}

TEST_CASE("diff: settings.ignore spares matching live objects and what hangs off them", "[diff]") {
  DirectoryState live = SampleLive();
  DirectoryState desired;
  desired.users["alice"] = MakeUser("alice", "alice@example.com");
  desired.users["bob"] = MakeUser("bob");
  desired.groups["DevOps"] = MakeGroup("DevOps", "ops");
  desired.memberships = {{"DevOps", "alice"}};
  desired.permission_sets["Admin"] = MakeSet("Admin");
  desired.assignments = {GroupAssignment("DevOps", "Admin", "111111111111")};

  Settings none;
  Diffed all = Diff(desired, live, none);
  CHECK(all.Lines() == Lines{"delete group AWSControlTowerAdmins", "delete membership AWSControlTowerAdmins/bob",
                             "delete permission_set AWSControlTowerReadOnly",
                             "delete assignment user:bob/Admin/222222222222",
                             "delete assignment group:AWSControlTowerAdmins/AWSControlTowerReadOnly/111111111111"});

  Settings s;
  s.ignore_groups = {"AWSControlTower*"};
  s.ignore_permission_sets = {"AWSControlTower*"};
  Diffed d = Diff(desired, live, s);
  REQUIRE(d.ok);
  CHECK(d.Lines() == Lines{"delete assignment user:bob/Admin/222222222222"});

  CHECK(IsIgnored(s, ObjectKind::kGroup, "AWSControlTowerAdmins"));
  CHECK_FALSE(IsIgnored(s, ObjectKind::kGroup, "DevOps"));
  CHECK_FALSE(IsIgnored(s, ObjectKind::kUser, "AWSControlTowerAdmins"));
}

TEST_CASE("diff: ignore does not stop creating or updating a declared object", "[diff]") {
  DirectoryState live, desired;
  live.groups["AWSControlTowerAdmins"] = MakeGroup("AWSControlTowerAdmins", "old", "g-1");
  desired.groups["AWSControlTowerAdmins"] = MakeGroup("AWSControlTowerAdmins", "new");
  desired.groups["AWSControlTowerNew"] = MakeGroup("AWSControlTowerNew");
  Settings s;
  s.ignore_groups = {"AWSControlTower*"};
  CHECK(Diff(desired, live, s).Lines() ==
        Lines{"update group AWSControlTowerAdmins", "create group AWSControlTowerNew"});
}

TEST_CASE("diff: identity_source external never touches users and groups", "[diff][external]") {
  DirectoryState live = SampleLive();
  DirectoryState desired;
  desired.users["alice"] = MakeUser("alice", "different@example.com");  // differs, still no update
  desired.groups["DevOps"] = MakeGroup("DevOps", "other description");
  desired.permission_sets["Admin"] = MakeSet("Admin");
  desired.permission_sets["AWSControlTowerReadOnly"] = MakeSet("AWSControlTowerReadOnly");
  desired.assignments = {GroupAssignment("DevOps", "Admin", "111111111111"),
                         GroupAssignment("DevOps", "Admin", "222222222222"),
                         GroupAssignment("AWSControlTowerAdmins", "AWSControlTowerReadOnly", "111111111111")};
  Settings s;
  s.external_identity = true;
  Diffed d = Diff(desired, live, s);
  REQUIRE(d.ok);
  CHECK(d.diags.items().empty());
  for (const auto& op : d.plan.operations) {
    CHECK(op.kind != ObjectKind::kUser);
    CHECK(op.kind != ObjectKind::kGroup);
    CHECK(op.kind != ObjectKind::kMembership);
  }
  CHECK(d.Lines() ==
        Lines{"create assignment group:DevOps/Admin/222222222222", "delete assignment user:bob/Admin/222222222222"});
}

TEST_CASE("diff: identity_source external with a missing group is an error naming it", "[diff][external]") {
  DirectoryState live = SampleLive();
  DirectoryState desired;
  desired.groups["DevOps"] = MakeGroup("DevOps", "ops");
  desired.permission_sets["Admin"] = MakeSet("Admin");
  // Auditors is referenced but neither declared nor live; Ghost is declared but not live.
  desired.groups["Ghost"] = MakeGroup("Ghost");
  desired.assignments = {GroupAssignment("Auditors", "Admin", "111111111111"),
                         GroupAssignment("Auditors", "Admin", "222222222222"),
                         GroupAssignment("DevOps", "Admin", "111111111111")};
  Settings s;
  s.external_identity = true;
  Diffed d = Diff(desired, live, s);
  CHECK_FALSE(d.ok);
  REQUIRE(d.diags.ErrorCount() == 2);  // Auditors reported once, not per assignment
  CHECK(d.diags.items()[0].message ==
        "group 'Ghost' does not exist in the live directory, and identity_source is external");
  CHECK(d.diags.items()[1].message ==
        "group 'Auditors' does not exist in the live directory, and identity_source is external");
  for (const auto& op : d.plan.operations) CHECK(op.kind != ObjectKind::kGroup);
}

TEST_CASE("diff: an external missing user is an error too", "[diff][external]") {
  DirectoryState live, desired;
  desired.permission_sets["S"] = live.permission_sets["S"] = MakeSet("S");
  desired.assignments = {UserAssignment("zed", "S", "111111111111")};
  Settings s;
  s.external_identity = true;
  Diffed d = Diff(desired, live, s);
  CHECK_FALSE(d.ok);
  REQUIRE(d.diags.ErrorCount() == 1);
  CHECK(d.diags.items()[0].message ==
        "user 'zed' does not exist in the live directory, and identity_source is external");
}

TEST_CASE("diff: DiffStates links dependencies", "[diff]") {
  DirectoryState live, desired;
  desired.groups["G"] = MakeGroup("G");
  desired.permission_sets["S"] = MakeSet("S");
  desired.assignments = {GroupAssignment("G", "S", "111111111111")};
  Diffed d = Diff(desired, live);
  REQUIRE(d.Lines() == Lines{"create group G", "create permission_set S", "create assignment group:G/S/111111111111"});
  CHECK(d.plan.operations[2].depends_on == std::vector<size_t>{0, 1});
}

TEST_CASE("diff: an ignored principal's assignment to a deleted permission set is deleted too", "[diff]") {
  // Regression: the assignment was spared because its group is ignored, so the
  // permission set's deletion always failed (a set cannot be deleted while assigned).
  DirectoryState live, desired;
  live.groups["AWSControlTowerAdmins"] = MakeGroup("AWSControlTowerAdmins", "", "g-1");
  live.users["ct-user"] = MakeUser("ct-user", "", "u-1");
  live.permission_sets["Old"] = MakeSet("Old", "PT1H", "arn:old");
  live.permission_sets["Kept"] = MakeSet("Kept", "PT1H", "arn:kept");
  live.assignments = {GroupAssignment("AWSControlTowerAdmins", "Old", "111111111111"),
                      UserAssignment("ct-user", "Old", "111111111111"),
                      GroupAssignment("AWSControlTowerAdmins", "Kept", "111111111111")};
  desired.permission_sets["Kept"] = MakeSet("Kept");
  Settings s;
  s.ignore_groups = {"AWSControlTower*"};
  s.ignore_users = {"ct-*"};
  Diffed d = Diff(desired, live, s);
  REQUIRE(d.ok);
  REQUIRE(d.Lines() == Lines{"delete permission_set Old", "delete assignment user:ct-user/Old/111111111111",
                             "delete assignment group:AWSControlTowerAdmins/Old/111111111111"});
  CHECK(d.plan.operations[0].depends_on == std::vector<size_t>{1, 2});
}
