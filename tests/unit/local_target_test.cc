// Tests for the embedded local target (runtime/local/local_target.h): Identity
// Center semantics, atomic writes, and the apply lock.

#include <catch2/catch.hpp>

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/resource.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "runtime/local/atomic_file.h"
#include "runtime/local/local_target.h"
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
  CHECK(err.find(path + " is not valid JSON (truncated or damaged?)") == 0);
  CHECK(err.find("it was not changed") != std::string::npos);
  OpResult r = t.Apply(Create(MakeUser("alice"), ObjectKind::kUser));
  CHECK_FALSE(r.ok);

  std::string other = dir.File("o.json");
  { std::ofstream(other) << "{\"format_version\": \"9\"}"; }
  LocalTarget o(other);
  err.clear();
  CHECK_FALSE(o.Read({}, &s, &err));
  CHECK(err.find(other + " has format_version \"9\", which this version of Gatehouse does not read") == 0);
}

namespace {
/// Reading `text` as a directory file fails with a message that starts with
/// the file's name + `why`; the file is never rewritten, even by a Commit.
void CheckRefused(const std::string& text, const std::string& why) {
  TempDir dir;
  std::string path = dir.File("d.json");
  { std::ofstream(path, std::ios::binary) << text; }
  LocalTarget t(path);
  DirectoryState s;
  std::string err;
  INFO(text.substr(0, 80));
  CHECK_FALSE(t.Read({}, &s, &err));
  CHECK(err.find(path + why) == 0);
  CHECK_FALSE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
  CHECK(t.Commit(&err));
  CHECK(ReadFile(path) == text);
}
}  // namespace

TEST_CASE("local target: a truncated, empty, damaged or newer file is refused and never rewritten", "[local]") {
  TempDir dir;
  std::string good = dir.File("good.json");
  {
    LocalTarget t(good);
    REQUIRE(t.Apply(Create(MakeUser("alice"), ObjectKind::kUser)).ok);
    std::string err;
    REQUIRE(t.Commit(&err));
  }
  std::string text = ReadFile(good);
  for (size_t cut : {size_t{1}, text.size() / 3, text.size() / 2, text.size() - 3})
    CheckRefused(text.substr(0, cut), " is not valid JSON (truncated or damaged?)");
  CheckRefused("", " is empty (truncated?)");
  CheckRefused(std::string(4096, '\0'), " is not valid JSON");
  CheckRefused("[1, 2]", " is not a Gatehouse local directory (no format_version)");
  CheckRefused("{\"format_version\": 2}", " has format_version 2, which this version of Gatehouse does not read");
  CheckRefused("{\"format_version\": \"1\", \"users\": {}}", " is damaged: \"users\" is not a list");
  CheckRefused("{\"format_version\": \"1\", \"groups\": [7]}", " is damaged: an entry of \"groups\" is not an object");
  CheckRefused("{\"format_version\": \"1\", \"users\": [{\"user_name\": 5}]}", " is damaged: ");
}

TEST_CASE("local target: entries that lack their ids read without crashing", "[local]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  {
    std::ofstream(path) << R"({"format_version": "1", "memberships": [{}], "assignments": [{"account_id": 5}],
                              "users": [{"user_name": "bob"}]})";
  }
  LocalTarget t(path);
  DirectoryState s;
  std::string err;
  t.Read({}, &s, &err);  // refused or read: either way, no crash and no write
  t.Apply(Create(MakeUser("alice"), ObjectKind::kUser));
}

TEST_CASE("local target: a full disk during the write leaves the old file intact", "[local]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  std::string err;
  REQUIRE(WriteFileAtomically(path, "{\"old\": true}\n", &err));
  // RLIMIT_FSIZE stands in for a full disk: write() fails with EFBIG (SIGXFSZ
  // ignored) once the temp file reaches 1 KiB.
  struct rlimit old_limit;
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  void (*old_handler)(int) = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old_limit;
  small.rlim_cur = 1024;
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  bool wrote = WriteFileAtomically(path, std::string(64 * 1024, 'x'), &err);
  ::setrlimit(RLIMIT_FSIZE, &old_limit);
  ::signal(SIGXFSZ, old_handler);
  CHECK_FALSE(wrote);
  CHECK(err.find("cannot write " + path + " (it is unchanged): ") == 0);
  CHECK(ReadFile(path) == "{\"old\": true}\n");
  size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.path())) files += e.is_regular_file() ? 1 : 0;
  CHECK(files == 1);  // no temp file left behind
}

TEST_CASE("local target: temp files of killed writers are removed by the next write", "[local]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  std::string dead = path + ".tmp.999999999", live = path + ".tmp.1";
  { std::ofstream(dead) << "{ half"; }
  { std::ofstream(live) << "{ half"; }  // pid 1 is alive
  std::string err;
  REQUIRE(WriteFileAtomically(path, "{}\n", &err));
  CHECK_FALSE(fs::exists(dead));
  CHECK(fs::exists(live));
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

TEST_CASE("local target: a lock left by a killed apply is taken over and its holder named", "[local][lock]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  // A killed holder leaves its pid in the file; the kernel already dropped its flock.
  { std::ofstream(path + ".lock") << "4242\n"; }
  LocalTarget next(path);
  std::string err;
  REQUIRE(next.Lock(&err));
  CHECK(next.LockNote().find("took over the lock " + path + ".lock left by pid 4242") == 0);
  // A live holder still refuses, and is named.
  LocalTarget second(path);
  CHECK_FALSE(second.Lock(&err));
  CHECK(err.find("(pid " + std::to_string(getpid()) + ")") != std::string::npos);
  next.Unlock();
  LocalTarget third(path);
  REQUIRE(third.Lock(&err));
  CHECK(third.LockNote().empty());  // released cleanly: nothing to say
}

TEST_CASE("local target: an inline policy Identity Center would refuse fails the operation, as in AWS", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  PermissionSet bad = MakeSet("Bad");
  bad.inline_policy =
      R"({"Statement":[{"Action":"s3:GetObject","Effect":"allow","Resource":"*"}],"Version":"2012-10-17"})";
  OpResult r = t.Apply(Create(bad, ObjectKind::kPermissionSet));
  CHECK_FALSE(r.ok);
  CHECK(r.error.find("inline policy of permission set 'Bad' would be refused by AWS") != std::string::npos);
  CHECK(r.error.find("Effect") != std::string::npos);
  CHECK(ReadState(t).permission_sets.empty());  // nothing created

  PermissionSet good = MakeSet("Good");
  good.inline_policy =
      R"({"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"})";
  REQUIRE(t.Apply(Create(good, ObjectKind::kPermissionSet)).ok);
  // An update that would make it refused fails too and keeps the accepted policy.
  Operation upd;
  upd.kind = ObjectKind::kPermissionSet;
  upd.action = Action::kUpdate;
  upd.before = ReadState(t).permission_sets.at("Good");
  PermissionSet changed = std::get<PermissionSet>(*upd.before);
  changed.inline_policy = R"({"Statement":[{"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"})";
  upd.after = changed;
  CHECK_FALSE(t.Apply(upd).ok);
  CHECK(ReadState(t).permission_sets.at("Good").inline_policy == good.inline_policy);
}

TEST_CASE("local target: import finds the accounts its assignments use, named by id", "[local]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  REQUIRE(t.Apply(Create(Group{"G", "", ""}, ObjectKind::kGroup)).ok);
  REQUIRE(t.Apply(Create(MakeSet("PS"), ObjectKind::kPermissionSet)).ok);
  REQUIRE(t.Apply(Create(GA("G", "PS", "222222222222"), ObjectKind::kAssignment)).ok);
  CHECK(ReadState(t).accounts.empty());  // planning: only the declared accounts
  t.set_find_accounts(true);
  DirectoryState s = ReadState(t);
  REQUIRE(s.accounts.count("222222222222") == 1);
  CHECK(s.accounts.at("222222222222").name == "222222222222");
}

TEST_CASE("local target: the read-only fast path reads exactly what the ordinary read does", "[local]") {
  TempDir dir;
  std::string path = dir.File("d.json");
  {
    LocalTarget t(path);
    for (const char* u : {"alice", "bob", "carol"}) REQUIRE(t.Apply(Create(MakeUser(u), ObjectKind::kUser)).ok);
    REQUIRE(t.Apply(Create(Group{"Admins", "Café \"admins\"", ""}, ObjectKind::kGroup)).ok);
    REQUIRE(t.Apply(Create(Group{"Devs", "", ""}, ObjectKind::kGroup)).ok);
    REQUIRE(t.Apply(Create(Membership{"Admins", "alice"}, ObjectKind::kMembership)).ok);
    REQUIRE(t.Apply(Create(Membership{"Devs", "bob"}, ObjectKind::kMembership)).ok);
    PermissionSet ps = MakeSet("Admin");
    ps.managed_policies = {"arn:aws:iam::aws:policy/AdministratorAccess"};
    ps.inline_policy = R"({"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";
    ps.tags = {{"team", "platform"}};
    ps.session_duration = "PT4H";
    REQUIRE(t.Apply(Create(ps, ObjectKind::kPermissionSet)).ok);
    REQUIRE(t.Apply(Create(GA("Admins", "Admin"), ObjectKind::kAssignment)).ok);
    REQUIRE(t.Apply(Create(Assignment{PrincipalType::kUser, "carol", "Admin", "222222222222"}, ObjectKind::kAssignment))
                .ok);
    REQUIRE(t.Apply(Create(Application{"Grafana", false, ""}, ObjectKind::kApplication)).ok);
    REQUIRE(t.Apply(Create(ApplicationAssignment{PrincipalType::kGroup, "Devs", "Grafana"},
                           ObjectKind::kApplicationAssignment))
                .ok);
    std::string err;
    REQUIRE(t.Commit(&err));
  }
  for (bool find_accounts : {false, true}) {
    LocalTarget unlocked(path), locked(path);
    unlocked.set_find_accounts(find_accounts);
    locked.set_find_accounts(find_accounts);
    std::string err;
    REQUIRE(locked.Lock(&err));  // holding the lock: the ordinary read (the document is kept for apply)
    DirectoryState fast = ReadState(unlocked), ordinary = ReadState(locked);
    CHECK(fast.users.size() == 3);
    CHECK(fast.memberships.size() == 2);
    CHECK(fast.assignments.size() == 2);
    CHECK(fast.application_assignments.size() == 1);
    CHECK(fast.permission_sets.at("Admin").tags.at("team") == "platform");
    CHECK(fast == ordinary);
    locked.Unlock();
  }
  // After the unlocked read, the same target still applies and commits what it holds.
  LocalTarget t(path);
  ReadState(t);
  REQUIRE(t.Apply(Create(MakeUser("dave"), ObjectKind::kUser)).ok);
  std::string err;
  REQUIRE(t.Commit(&err));
  LocalTarget again(path);
  DirectoryState s = ReadState(again);
  CHECK(s.users.count("dave") == 1);
  CHECK(s.memberships.size() == 2);
}
