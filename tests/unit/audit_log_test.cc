// Tests for the audit log (runtime/audit_log.h): one JSON line per executed
// operation, with an injected clock.

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/diff.h"
#include "runtime/audit_log.h"
#include "runtime/executor.h"
#include "runtime/local/local_target.h"
#include "tests/unit/temp_dir.h"

using namespace gatehouse;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

using testing::TempDir;

std::vector<std::string> Lines(const std::string& path) {
  std::ifstream in(path);
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) out.push_back(line);
  return out;
}

}  // namespace

TEST_CASE("audit log: one JSON line per record, with the injected time", "[audit]") {
  TempDir dir;
  std::string path = dir.File("nested/.gatehouse/audit.jsonl");
  int tick = 0;
  AuditLog log(path, "local directory d.json", [&] { return "2026-11-28T10:04:5" + std::to_string(tick++) + "Z"; });
  Operation create;
  create.kind = ObjectKind::kUser;
  create.action = Action::kCreate;
  create.name = "alice";
  Operation del;
  del.kind = ObjectKind::kAssignment;
  del.action = Action::kDelete;
  del.name = "group:G/PS/111111111111";
  std::string err;
  REQUIRE(log.Record(create, OperationReport{0, Outcome::kSucceeded, ""}, &err));
  REQUIRE(log.Record(del, OperationReport{1, Outcome::kFailed, "ConflictException"}, &err));
  REQUIRE(log.Record(create, OperationReport{0, Outcome::kSkipped, "skipped: upstream"}, &err));
  auto lines = Lines(path);
  REQUIRE(lines.size() == 3);
  json a = json::parse(lines[0]);
  CHECK(a == json{{"time", "2026-11-28T10:04:50Z"},
                  {"target", "local directory d.json"},
                  {"operation", "create"},
                  {"kind", "user"},
                  {"object", "alice"},
                  {"outcome", "succeeded"}});
  json b = json::parse(lines[1]);
  CHECK(b.at("time") == "2026-11-28T10:04:51Z");
  CHECK(b.at("operation") == "delete");
  CHECK(b.at("kind") == "assignment");
  CHECK(b.at("object") == "group:G/PS/111111111111");
  CHECK(b.at("outcome") == "failed");
  CHECK(b.at("error") == "ConflictException");
  CHECK(json::parse(lines[2]).at("outcome") == "skipped");

  // A second log on the same file appends.
  AuditLog more(path, "t", [] { return "2027-01-01T00:00:00Z"; });
  REQUIRE(more.Record(create, OperationReport{}, &err));
  CHECK(Lines(path).size() == 4);
}

TEST_CASE("audit log: an apply records every executed operation once", "[audit]") {
  TempDir dir;
  DirectoryState desired;
  desired.users["alice"] = User{"alice", "Alice", "", "", "", ""};
  desired.groups["G"] = Group{"G", "", ""};
  desired.memberships = {{"G", "alice"}};
  PermissionSet p;
  p.name = "PS";
  desired.permission_sets["PS"] = p;
  desired.assignments = {{PrincipalType::kGroup, "G", "PS", "111111111111"}};
  Plan plan;
  Diagnostics d;
  REQUIRE(DiffStates(desired, DirectoryState{}, Settings{}, &plan, &d));
  REQUIRE(plan.operations.size() == 5);

  LocalTarget target(dir.File("d.json"));
  AuditLog log(dir.File("audit.jsonl"), target.Describe(), [] { return "2026-11-28T10:04:52Z"; });
  ExecutorOptions eo;
  eo.parallelism = 4;
  int record_failures = 0;  // counted, not asserted: on_done runs on worker threads
  eo.on_done = [&](const Operation& op, const OperationReport& r) {
    std::string err;
    if (!log.Record(op, r, &err)) ++record_failures;
  };
  ApplyReport report;
  std::string err;
  REQUIRE(Execute(plan, target, eo, &report, &err));
  REQUIRE(report.ok());
  CHECK(record_failures == 0);
  auto lines = Lines(dir.File("audit.jsonl"));
  REQUIRE(lines.size() == 5);
  std::multiset<std::string> objects;
  for (const auto& l : lines) {
    json j = json::parse(l);
    CHECK(j.at("time") == "2026-11-28T10:04:52Z");
    CHECK(j.at("operation") == "create");
    CHECK(j.at("outcome") == "succeeded");
    CHECK(j.at("target") == "local directory " + dir.File("d.json"));
    CHECK_FALSE(j.contains("error"));
    objects.insert(j.at("object").get<std::string>());
  }
  CHECK(objects == std::multiset<std::string>{"alice", "G", "G/alice", "PS", "group:G/PS/111111111111"});
}

TEST_CASE("audit log: an unwritable log fails with a message", "[audit]") {
  TempDir dir;
  fs::create_directories(dir.File("adir"));
  AuditLog log(dir.File("adir"), "t", nullptr);
  Operation op;
  std::string err;
  CHECK_FALSE(log.Record(op, OperationReport{}, &err));
  CHECK(err == "cannot open audit log " + dir.File("adir"));
}

TEST_CASE("audit log: the default clock is ISO-8601 UTC", "[audit]") {
  CHECK(std::regex_match(UtcNow(), std::regex(R"(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z)")));
}
