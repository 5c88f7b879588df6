// Tests for the embedded local target (runtime/local_target.h): Identity
// Center semantics, atomic writes, and the apply lock.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/local_target.h"
#include "tests/unit/temp_dir.h"

using namespace gatehouse;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using testing::TempDir;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

Operation Create(Object v, ObjectKind kind) {
  Operation op;
  op.kind = kind;
  op.action = Action::kCreate;
  op.after = std::move(v);
  return op;
}
Operation Delete(Object v, ObjectKind kind) {
  Operation op;
  op.kind = kind;
  op.action = Action::kDelete;
  op.before = std::move(v);
  return op;
}

User MakeUser(const std::string& n) { return User{n, n, "", "", "", ""}; }
PermissionSet MakeSet(const std::string& n) {
  PermissionSet p;
  p.name = n;
  return p;
}
Assignment GA(const std::string& g, const std::string& p, const std::string& acc = "111111111111") {
  return {PrincipalType::kGroup, g, p, acc};
}

DirectoryState ReadState(LocalTarget& t) {
  DirectoryState s;
  std::string err;
  REQUIRE(t.Read({}, &s, &err));
  return s;
}

const std::regex kUuid("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");

}  // namespace

TEST_CASE("local target: a missing file reads as an empty directory", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("none/directory.json"));
  DirectoryState s = ReadState(t);
  CHECK(s.users.empty());
  CHECK(s.permission_sets.empty());
  CHECK_FALSE(fs::exists(dir.File("none/directory.json")));  // reading writes nothing
}

TEST_CASE("local target: ids are UUIDs and permission set ARNs have the AWS shape", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  REQUIRE(t.Apply(Create(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  REQUIRE(t.Apply(Create(MakeSet("PS2"), ObjectKind::kPermissionSet)).ok);
  DirectoryState s = ReadState(t);
  CHECK(std::regex_match(s.users.at("alice").id, kUuid));
  CHECK(std::regex_match(s.groups.at("G").id, kUuid));
  CHECK(s.users.at("alice").id != s.groups.at("G").id);
  const std::regex arn(R"(arn:aws:sso:::permissionSet/ssoins-[0-9a-z]{16,}/ps-[0-9a-f]{16})");
  CHECK(std::regex_match(s.permission_sets.at("PS").arn, arn));
  CHECK(std::regex_match(s.permission_sets.at("PS2").arn, arn));
  CHECK(s.permission_sets.at("PS").arn != s.permission_sets.at("PS2").arn);
}

TEST_CASE("local target: injected ids are used", "[local]") {
  TempDir dir;
  int n = 0;
  LocalTarget t(dir.File("d.json"), [&] { return "00000000-0000-4000-8000-00000000000" + std::to_string(++n); });
  REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  REQUIRE(t.Apply(Create(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  DirectoryState s = ReadState(t);
  CHECK(s.users.at("alice").id == "00000000-0000-4000-8000-000000000001");
  CHECK(s.permission_sets.at("PS").arn == "arn:aws:sso:::permissionSet/ssoins-local00000000000/ps-0000000000004000");
}

TEST_CASE("local target: a permission set cannot be deleted while assigned", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  REQUIRE(t.Apply(Create(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  REQUIRE(t.Apply(Create(GA("G", "PS"), ObjectKind::kAssignment)).ok);
  OpResult r = t.Apply(Delete(MakeSet("PS"), ObjectKind::kPermissionSet));
  CHECK_FALSE(r.ok);
  CHECK(r.error == "permission set 'PS' still has assignments (ConflictException)");
  CHECK(ReadState(t).permission_sets.count("PS") == 1);
  REQUIRE(t.Apply(Delete(GA("G", "PS"), ObjectKind::kAssignment)).ok);
  CHECK(t.Apply(Delete(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  CHECK(ReadState(t).permission_sets.empty());
}

TEST_CASE("local target: references to missing objects fail with messages", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  OpResult m = t.Apply(Create(Membership{"G", "ghost"}, ObjectKind::kMembership));
  CHECK_FALSE(m.ok);
  CHECK(m.error == "user 'ghost' does not exist, so it cannot join group 'G'");
  REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  OpResult mg = t.Apply(Create(Membership{"Nope", "alice"}, ObjectKind::kMembership));
  CHECK_FALSE(mg.ok);
  CHECK(mg.error == "group 'Nope' does not exist");
  OpResult a = t.Apply(Create(GA("G", "Missing"), ObjectKind::kAssignment));
  CHECK_FALSE(a.ok);
  CHECK(a.error == "permission set 'Missing' does not exist");
  REQUIRE(t.Apply(Create(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  OpResult ap = t.Apply(Create(GA("Nobody", "PS"), ObjectKind::kAssignment));
  CHECK_FALSE(ap.ok);
  CHECK(ap.error == "group 'Nobody' does not exist");
  Operation upd;
  upd.kind = ObjectKind::kUser;
  upd.action = Action::kUpdate;
  upd.before = upd.after = MakeUser("zed");
  OpResult u = t.Apply(upd);
  CHECK_FALSE(u.ok);
  CHECK(u.error == "user 'zed' does not exist");
  DirectoryState s = ReadState(t);
  CHECK(s.memberships.empty());
  CHECK(s.assignments.empty());
}

TEST_CASE("local target: creating what exists and deleting what is gone succeed (rerun safety)", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  std::string id = ReadState(t).users.at("alice").id;
  User changed = MakeUser("alice");
  changed.email = "a@example.com";
  REQUIRE(t.Apply(Create(changed, ObjectKind::kUser)).ok);
  DirectoryState s = ReadState(t);
  CHECK(s.users.size() == 1);
  CHECK(s.users.at("alice").id == id);  // same object, not a second one
  CHECK(s.users.at("alice").email == "a@example.com");
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  REQUIRE(t.Apply(Create(Membership{"G", "alice"}, ObjectKind::kMembership)).ok);
  REQUIRE(t.Apply(Create(Membership{"G", "alice"}, ObjectKind::kMembership)).ok);
  CHECK(ReadState(t).memberships.size() == 1);
  CHECK(t.Apply(Delete(MakeUser("nobody"), ObjectKind::kUser)).ok);
  CHECK(t.Apply(Delete(Membership{"G", "nobody"}, ObjectKind::kMembership)).ok);
  CHECK(t.Apply(Delete(GA("G", "None"), ObjectKind::kAssignment)).ok);
  CHECK(t.Apply(Delete(MakeSet("None"), ObjectKind::kPermissionSet)).ok);
}

TEST_CASE("local target: deleting a user removes its memberships", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  REQUIRE(t.Apply(Create(Membership{"G", "alice"}, ObjectKind::kMembership)).ok);
  REQUIRE(t.Apply(Delete(MakeUser("alice"), ObjectKind::kUser)).ok);
  DirectoryState s = ReadState(t);
  CHECK(s.users.empty());
  CHECK(s.memberships.empty());
  REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  CHECK(ReadState(t).memberships.empty());  // a new alice is not in the old one's groups
}

TEST_CASE("local target: an out-of-date permission set is read as such and an update provisions it", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  REQUIRE(t.Apply(Create(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  REQUIRE(t.Apply(Create(GA("G", "PS", "111111111111"), ObjectKind::kAssignment)).ok);
  REQUIRE(t.Apply(Create(GA("G", "PS", "222222222222"), ObjectKind::kAssignment)).ok);
  std::string err;
  REQUIRE(t.MarkOutdated("PS", &err));
  CHECK(ReadState(t).permission_sets.at("PS").outdated_accounts ==
        std::set<std::string>{"111111111111", "222222222222"});
  CHECK_FALSE(t.MarkOutdated("Nope", &err));
  Operation upd;
  upd.kind = ObjectKind::kPermissionSet;
  upd.action = Action::kUpdate;
  upd.before = ReadState(t).permission_sets.at("PS");
  upd.after = upd.before;
  REQUIRE(t.Apply(upd).ok);
  CHECK(ReadState(t).permission_sets.at("PS").outdated_accounts.empty());
}

TEST_CASE("local target: nothing is written before Commit; Commit writes valid JSON atomically", "[local]") {
  TempDir dir;
  std::string path = dir.File("sub/directory.json");
  {
    LocalTarget t(path);
    REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
    CHECK_FALSE(fs::exists(path));
    std::string err;
    REQUIRE(t.Commit(&err));
  }
  REQUIRE(fs::exists(path));
  json doc = json::parse(ReadFile(path));  // throws when invalid
  CHECK(doc.at("format_version") == "1");
  CHECK(doc.at("users").size() == 1);
  for (const auto& e : fs::directory_iterator(fs::path(path).parent_path()))
    CHECK(e.path().filename().string().find(".tmp") == std::string::npos);
  // A second target sees the committed state.
  LocalTarget again(path);
  CHECK(ReadState(again).users.count("alice") == 1);
}

TEST_CASE("local target: WriteFileAtomically replaces the file and leaves no temp file", "[local]") {
  TempDir dir;
  std::string path = dir.File("x.json");
  std::string err;
  REQUIRE(WriteFileAtomically(path, "{\"a\":1}\n", &err));
  REQUIRE(WriteFileAtomically(path, "{\"a\":2}\n", &err));
  CHECK(ReadFile(path) == "{\"a\":2}\n");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) {
    (void)e;
    ++files;
  }
  CHECK(files == 1);
  // An unwritable place fails with a message instead of throwing.
  CHECK_FALSE(WriteFileAtomically(dir.File("x.json/inside"), "x", &err));
  CHECK_FALSE(err.empty());
}

TEST_CASE("local target: a damaged or foreign file is refused with a message", "[local]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  { std::ofstream(path) << "{ not json"; }
  LocalTarget t(path);
  DirectoryState s;
  std::string err;
  CHECK_FALSE(t.Read({}, &s, &err));
  CHECK(err.find(path + " is not valid JSON") == 0);
  OpResult r = t.Apply(Create(MakeUser("alice"), ObjectKind::kUser));
  CHECK_FALSE(r.ok);

  std::string other = dir.File("o.json");
  { std::ofstream(other) << "{\"format_version\": \"9\"}"; }
  LocalTarget o(other);
  err.clear();
  CHECK_FALSE(o.Read({}, &s, &err));
  CHECK(err == other + " is not a Gatehouse local directory (format_version \"1\" expected)");
}

TEST_CASE("local target: the lock excludes a second apply until released", "[local][lock]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  LocalTarget first(path);
  LocalTarget second(path);
  std::string err;
  REQUIRE(first.Lock(&err));
  CHECK_FALSE(second.Lock(&err));
  CHECK(err.find("another apply is running on " + path) == 0);
  CHECK(err.find("wait for it to finish") != std::string::npos);
  first.Unlock();
  err.clear();
  CHECK(second.Lock(&err));
  CHECK(err.empty());
  second.Unlock();
}

TEST_CASE("local target: destroying a target releases its lock", "[local][lock]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  std::string err;
  {
    LocalTarget holder(path);
    REQUIRE(holder.Lock(&err));
  }
  LocalTarget next(path);
  CHECK(next.Lock(&err));
}

TEST_CASE("local target: the lock message does not name a pid that no longer holds the lock", "[local][lock]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  std::string err;
  {
    LocalTarget earlier(path);
    REQUIRE(earlier.Lock(&err));
    earlier.Unlock();
  }
  // Another tool (flock(1) in a script) now holds the lock without writing a pid.
  int fd = ::open((path + ".lock").c_str(), O_RDWR | O_CLOEXEC);
  REQUIRE(fd >= 0);
  REQUIRE(::flock(fd, LOCK_EX | LOCK_NB) == 0);
  LocalTarget second(path);
  CHECK_FALSE(second.Lock(&err));
  CHECK(err.find("another apply is running on " + path) == 0);
  CHECK(err.find("(pid ") == std::string::npos);
  ::close(fd);
}
