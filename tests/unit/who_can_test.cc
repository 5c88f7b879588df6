// Tests for `who-can` (compiler/who_can.h) over configs loaded through an
// in-memory SourceReader: group and direct paths, filters, unknown customer
// managed policies, documents from document_file, boundaries, the JSON contract.

#include "compiler/who_can.h"

#include <catch2/catch.hpp>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

#include "compiler/check.h"
#include "compiler/compile.h"
#include "compiler/config_loader.h"
#include "compiler/memory_reader.h"
#include "operations/classifier.h"
#include "operations/config_check.h"
#include "temp_dir.h"
#include "views/diagnostics_view.h"
#include "views/who_can_view.h"

using namespace gatehouse;

namespace {

const char* kConfig = R"(
accounts:
  - {id: "111111111111", name: prod, environment: production, ou: Workloads/Prod}
  - {id: "222222222222", name: dev, environment: development, ou: Workloads/Dev}
  - {id: "333333333333", name: audit, environment: production, ou: Security}
users:
  - {user_name: maya}
  - {user_name: bob}
  - {user_name: carol}
groups:
  - {name: Admins, members: [maya]}
  - {name: Readers, members: [bob, maya]}
permission_sets:
  - {name: Admin, managed_policies: [AdministratorAccess]}
  - {name: ReadOnly, managed_policies: [ReadOnlyAccess]}
  - name: Legacy
    customer_managed_policies: [LegacyS3]
  - name: Documented
    customer_managed_policies: [{name: Stopper, path: /ops/, document_file: policies/stopper.json}]
  - name: Bounded
    managed_policies: [AdministratorAccess]
    permissions_boundary: {managed_policy: ReadOnlyAccess}
  - name: CustomBounded
    managed_policies: [AdministratorAccess]
    permissions_boundary: {customer_managed_policy: {name: Edge}}
  - name: DocBounded
    managed_policies: [AdministratorAccess]
    permissions_boundary: {customer_managed_policy: {name: Fence, document_file: policies/fence.json}}
  - name: MfaStop
    inline_policy:
      Version: "2012-10-17"
      Statement:
        - Sid: StopWithMfa
          Effect: Allow
          Action: cloudtrail:StopLogging
          Resource: "*"
          Condition: {Bool: {"aws:MultiFactorAuthPresent": "true"}}
assignments:
  - {group: Admins, permission_set: Admin, accounts: [prod, audit]}
  - {group: Readers, permission_set: ReadOnly, accounts: {all: true}}
  - {user: maya, permission_set: Admin, accounts: [prod]}
  - {user: bob, permission_set: Admin, accounts: [dev]}
  - {user: carol, permission_set: Legacy, accounts: [prod]}
  - {user: carol, permission_set: Documented, accounts: [dev]}
  - {user: carol, permission_set: Bounded, accounts: [audit]}
  - {user: bob, permission_set: CustomBounded, accounts: [audit]}
  - {user: bob, permission_set: DocBounded, accounts: [prod]}
  - {user: carol, permission_set: MfaStop, accounts: [prod]}
)";

const char* kStopper = R"({"Version": "2012-10-17", "Statement": [
  {"Sid": "Stop", "Effect": "Allow", "Action": ["cloudtrail:StopLogging"], "Resource": "arn:aws:cloudtrail:*:*:trail/*"}]})";
const char* kFence = R"({"Version": "2012-10-17", "Statement": [
  {"Effect": "Allow", "NotAction": "cloudtrail:*", "Resource": "*"}]})";

/// kConfig with one more permission set.
std::string WithSet(const std::string& set) {
  std::string text = kConfig;
  return text.insert(text.find("assignments:"), set);
}

struct Fixture {
  Config config;
  DirectoryState state;
  CustomerPolicyDocuments documents;
  Fixture() {
    MemoryReader reader(
        {{"gatehouse.yaml", kConfig}, {"policies/stopper.json", kStopper}, {"policies/fence.json", kFence}});
    SourceFiles sources;
    Diagnostics diags;
    REQUIRE(CheckConfig(reader, &config, &sources, &diags));
    CompiledConfig out;
    CompileOptions opt;
    opt.today = "2026-06-01";
    REQUIRE(CompileConfig(config, opt, &out, &diags));
    state = out.desired;
    documents = CustomerPolicyDocumentsOf(config);
  }
  WhoCanResult Ask(WhoCanQuery q) const {
    WhoCanResult r;
    WhoCanError e;
    REQUIRE(WhoCan(state, documents, q, &r, &e));
    return r;
  }
};

WhoCanQuery Q(const char* action) {
  WhoCanQuery q;
  q.action = action;
  return q;
}

/// "user account set decision" lines of the grants.
std::vector<std::string> Lines(const WhoCanResult& r) {
  std::vector<std::string> out;
  for (const WhoCanGrant& g : r.grants)
    out.push_back(r.User(g.holder) + " " + r.AccountName(g.holder) + " " + r.Set(g).permission_set + " " +
                  iam::DecisionName(r.Set(g).decision));
  return out;
}

}  // namespace

TEST_CASE("who-can cloudtrail:StopLogging: admins, documents, boundaries, conditions, unknown") {
  Fixture f;
  WhoCanResult r = f.Ask(Q("CloudTrail:StopLogging"));
  CHECK(r.action == "cloudtrail:StopLogging");
  CHECK(Lines(r) == std::vector<std::string>{
                        "bob dev Admin allow",  // sorted by user, account id (prod 1…, dev 2…, audit 3…)
                        "carol prod MfaStop conditional",
                        "carol dev Documented allow",
                        "maya prod Admin allow",
                        "maya audit Admin allow",
                    });
  // ReadOnly does not allow it; Bounded is bounded by ReadOnlyAccess; DocBounded's
  // boundary (document_file) allows everything but cloudtrail.
  const WhoCanGrant& maya_prod = r.grants[3];
  CHECK(r.Via(maya_prod.holder) == std::vector<std::string>{"direct", "group:Admins"});
  const auto& because = [&](std::size_t i) -> const std::vector<iam::GrantReason>& {
    return r.sets[r.grants[i].set].because;
  };
  REQUIRE(because(3).size() == 1);
  CHECK(because(3)[0].policy == "arn:aws:iam::aws:policy/AdministratorAccess");
  CHECK(r.sets[maya_prod.set].permission_set == "Admin");
  CHECK(because(2)[0].policy == "/ops/Stopper");
  CHECK(because(2)[0].statement == "Stop");
  CHECK(because(1)[0].policy == "inline");
  CHECK(because(1)[0].statement == "StopWithMfa");
  CHECK(because(1)[0].conditional);
  // Legacy has no document; CustomBounded's boundary has none.
  REQUIRE(r.unknown.size() == 2);
  CHECK(r.unknown[0].permission_set == "CustomBounded");
  CHECK(r.unknown[0].reason == "customer managed permissions boundary /Edge is not in the config");
  CHECK(r.unknown[1].permission_set == "Legacy");
  CHECK(r.unknown[1].reason == "customer managed policy /LegacyS3 is not in the config");
  REQUIRE(r.unknown[1].holders.size() == 1);
  CHECK(r.User(r.unknown[1].holders[0]) == "carol");
  CHECK(r.summary.users == 3);
  CHECK(r.summary.accounts == 3);
  CHECK(r.summary.permission_sets == 3);
}

TEST_CASE("who-can: a read action reaches group holders; a known allow beats an unknown policy") {
  Fixture f;
  WhoCanResult r = f.Ask(Q("cloudtrail:DescribeTrails"));
  std::vector<std::string> lines = Lines(r);
  CHECK(std::count(lines.begin(), lines.end(), "bob audit ReadOnly allow") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "carol audit Bounded allow") == 1);
  CHECK(std::count(lines.begin(), lines.end(), "bob prod DocBounded conditional") == 0);
  for (const WhoCanGrant& g : r.grants)
    if (r.Set(g).permission_set == "ReadOnly") CHECK(r.Via(g.holder) == std::vector<std::string>{"group:Readers"});
  // CustomBounded allows it by its policies, but its boundary is unknown.
  REQUIRE(r.unknown.size() == 2);
  CHECK(r.unknown[0].permission_set == "CustomBounded");
}

TEST_CASE("who-can filters: account, environment, ou") {
  Fixture f;
  WhoCanQuery q = Q("cloudtrail:StopLogging");
  q.accounts = {"prod", "222222222222"};
  CHECK(Lines(f.Ask(q)) == std::vector<std::string>{"bob dev Admin allow", "carol prod MfaStop conditional",
                                                    "carol dev Documented allow", "maya prod Admin allow"});
  q = Q("cloudtrail:StopLogging");
  q.environment = "production";
  CHECK(Lines(f.Ask(q)) ==
        std::vector<std::string>{"carol prod MfaStop conditional", "maya prod Admin allow", "maya audit Admin allow"});
  q.ou = "Workloads/**";
  WhoCanResult r = f.Ask(q);
  CHECK(Lines(r) == std::vector<std::string>{"carol prod MfaStop conditional", "maya prod Admin allow"});
  REQUIRE(r.unknown.size() == 1);  // CustomBounded is held on audit only: out of scope
  CHECK(r.unknown[0].permission_set == "Legacy");
}

TEST_CASE("who-can --resource: ARNs match case-sensitively") {
  Fixture f;
  WhoCanQuery q = Q("cloudtrail:StopLogging");
  q.resource = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/main";
  std::vector<std::string> lines = Lines(f.Ask(q));
  CHECK(std::count(lines.begin(), lines.end(), "carol dev Documented allow") == 1);
  q.resource = "arn:aws:cloudtrail:eu-west-1:111111111111:Trail/main";
  lines = Lines(f.Ask(q));
  CHECK(std::count(lines.begin(), lines.end(), "carol dev Documented allow") == 0);
  CHECK(std::count(lines.begin(), lines.end(), "maya prod Admin allow") == 1);
}

TEST_CASE("who-can errors: unknown action with did-you-mean, unknown account") {
  Fixture f;
  WhoCanResult r;
  WhoCanError e;
  CHECK_FALSE(WhoCan(f.state, f.documents, Q("cloudtrail:StopLoging"), &r, &e));
  CHECK(e.help == "did you mean 'cloudtrail:StopLogging'?");
  WhoCanQuery q = Q("cloudtrail:StopLogging");
  q.accounts = {"prd"};
  CHECK_FALSE(WhoCan(f.state, f.documents, q, &r, &e));
  CHECK(e.message == "unknown account 'prd'");
}

TEST_CASE("who-can evaluates a permission set on its own") {
  PermissionSet ps;
  ps.customer_managed_policies = {{"Missing", "/"}};
  ps.managed_policies = {"arn:aws:iam::aws:policy/ReadOnlyAccess"};
  SetOutcome o = EvaluatePermissionSet(ps, {}, {"s3:GetObject", std::nullopt});
  CHECK(o.kind == SetOutcome::kGranted);  // already allowed by ReadOnlyAccess
  o = EvaluatePermissionSet(ps, {}, {"s3:PutObject", std::nullopt});
  CHECK(o.kind == SetOutcome::kUnknown);
  CHECK(o.unknown == std::vector<std::string>{"/Missing"});
  ps.inline_policy = R"({"Statement":[{"Effect":"Deny","Action":"s3:*","Resource":"*"}]})";
  CHECK(EvaluatePermissionSet(ps, {}, {"s3:PutObject", std::nullopt}).kind == SetOutcome::kDenied);
}

TEST_CASE("customer managed policy documents: loaded, analysed, and two documents must agree") {
  Fixture f;
  REQUIRE(f.documents.size() == 2);
  CHECK(f.documents.count(CustomerManagedPolicy{"Stopper", "/ops/"}) == 1);
  std::string other = WithSet(
      "  - name: Again\n    customer_managed_policies:\n"
      "      - {name: Stopper, path: /ops/, document_file: policies/fence.json}\n");
  MemoryReader reader(
      {{"gatehouse.yaml", other}, {"policies/stopper.json", kStopper}, {"policies/fence.json", kFence}});
  Config config;
  SourceFiles sources;
  Diagnostics diags;
  CHECK_FALSE(CheckConfig(reader, &config, &sources, &diags));
  CHECK(RenderDiagnostics(diags, sources, false).find("is given two different documents") != std::string::npos);
  std::string outside = WithSet(
      "  - name: Out\n    customer_managed_policies:\n"
      "      - {name: X, document_file: ../x.json}\n");
  MemoryReader reader2(
      {{"gatehouse.yaml", outside}, {"policies/stopper.json", kStopper}, {"policies/fence.json", kFence}});
  Diagnostics diags2;
  Config config2;
  CHECK_FALSE(CheckConfig(reader2, &config2, &sources, &diags2));
  CHECK(RenderDiagnostics(diags2, sources, false).find("document_file '../x.json' is outside the config directory") !=
        std::string::npos);
}

TEST_CASE("who-can JSON follows schemas/who-can.schema.json") {
  Fixture f;
  WhoCanResult r = f.Ask(Q("cloudtrail:StopLogging"));
  std::ostringstream text;
  PickWhoCanView("json")(WhoCanView{&r, "configuration"}, text);
  nlohmann::json j = nlohmann::json::parse(text.str());
  CHECK(j["format_version"] == "1");
  CHECK(j["resource"].is_null());
  CHECK(j["grants"][0]["decision"] == "allow");
  CHECK(j["unknown"][1]["reason"] == "customer managed policy /LegacyS3 is not in the config");
  gatehouse::testing::TempDir dir;
  std::string path = dir.File("who-can.json");
  std::ofstream(path) << j.dump(2);
  std::string src = GATEHOUSE_SOURCE_DIR;
  std::string cmd = "python3 " + src + "/tests/schema/schema_check.py valid " + src + "/schemas/who-can.schema.json " +
                    path + " >/dev/null";
  CHECK(std::system(cmd.c_str()) == 0);
}

// Speed (issue 11: one query over 50,000 users, 1,500 accounts, 500 sets in < 2 s), on a
// synthetic directory: 2,000 groups of 25 users, each assigned 3 sets on 40 accounts
// (240,000 assignments, ~6 million access paths), 100 direct assignments.
//   gatehouse_tests "[.bench]"
TEST_CASE("who-can over a large organization", "[.bench]") {
  DirectoryState s;
  const std::vector<std::string> policies = {
      "AdministratorAccess",         "PowerUserAccess",   "ReadOnlyAccess", "SecurityAudit",
      "job-function/ViewOnlyAccess", "AmazonS3FullAccess"};
  auto id = [](int n) {
    std::string d = std::to_string(100000000000LL + n);
    return d;
  };
  for (int a = 0; a < 1500; ++a)
    s.accounts[id(a)] = Account{id(a), "acct" + std::to_string(a), "Workloads", a % 3 ? "dev" : "production", {}};
  for (int u = 0; u < 50000; ++u) s.users["user" + std::to_string(u)].user_name = "user" + std::to_string(u);
  for (int p = 0; p < 500; ++p) {
    PermissionSet& ps = s.permission_sets["Set" + std::to_string(p)];
    ps.name = "Set" + std::to_string(p);
    ps.managed_policies.insert("arn:aws:iam::aws:policy/" + policies[p % policies.size()]);
    ps.inline_policy = R"({"Statement":[{"Effect":"Allow","Action":["s3:Get*","ec2:Describe*"],"Resource":"*"}]})";
  }
  for (int g = 0; g < 2000; ++g) {
    std::string group = "Group" + std::to_string(g);
    for (int m = 0; m < 25; ++m) s.memberships.insert({group, "user" + std::to_string(g * 25 + m)});
    for (int k = 0; k < 3; ++k)
      for (int a = 0; a < 40; ++a)
        s.assignments.insert(
            {PrincipalType::kGroup, group, "Set" + std::to_string((g * 3 + k) % 500), id((g * 7 + a * 37) % 1500)});
  }
  for (int u = 0; u < 100; ++u)
    s.assignments.insert({PrincipalType::kUser, "user" + std::to_string(u * 13), "Set0", id(u)});
  for (const char* action : {"cloudtrail:StopLogging", "iam:CreateUser", "s3:GetObject"}) {
    auto start = std::chrono::steady_clock::now();
    WhoCanResult r;
    WhoCanError e;
    REQUIRE(WhoCan(s, {}, Q(action), &r, &e));
    double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::cout << action << ": " << r.grants.size() << " grants, " << r.summary.users << " users: " << secs << " s\n";
    CHECK(secs < 2.0);
  }
}

namespace {

/// An ostream that discards what it is given (the output's cost without the disk's).
class NullBuffer : public std::streambuf {
 protected:
  int overflow(int c) override { return c; }
  std::streamsize xsputn(const char*, std::streamsize n) override { return n; }
};

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace

// Speed on the org of `make bench` (bench/gen_config.py, scale 1: 50,000 users,
// 1,500 accounts, 500 sets, ~1.69 million effective grants): the config is loaded
// and compiled once (not timed: that is `validate`'s cost), then each query is
// timed as `who-can` runs it — evaluate the sets, classify the granting ones, join,
// and stream the JSON — wall and CPU time (the machine is shared).
//   python3 bench/gen_config.py /tmp/org && GATEHOUSE_BENCH_ORG=/tmp/org gatehouse_tests "[.bench]"
TEST_CASE("who-can over the bench org", "[.bench]") {
  const char* dir = std::getenv("GATEHOUSE_BENCH_ORG");
  if (dir == nullptr) return;
  ConfigRequest req;
  req.dir = dir;
  req.today = "2026-06-01";
  CheckedConfig checked = CheckConfig(req);
  REQUIRE(checked.ok());
  CompiledConfig compiled;
  Diagnostics diags;
  REQUIRE(CompileChecked(checked, req.today, &compiled, &diags));
  CustomerPolicyDocuments documents = CustomerPolicyDocumentsOf(checked.config);
  for (const char* action : {"s3:GetObject", "iam:CreateUser", "cloudtrail:StopLogging", "ec2:RunInstances"}) {
    auto start = std::chrono::steady_clock::now();
    std::clock_t cpu = std::clock();
    WhoCanResult r;
    WhoCanError e;
    REQUIRE(WhoCan(compiled.desired, documents, Q(action), &r, &e, DefaultClassifier(documents)));
    double answer = Since(start);
    NullBuffer null;
    std::ostream out(&null);
    RenderWhoCanJson(WhoCanView{&r, "configuration"}, out);
    double total = Since(start), cpu_secs = double(std::clock() - cpu) / CLOCKS_PER_SEC;
    std::cout << action << ": " << r.grants.size() << " grants, " << r.summary.users << " users: answer " << answer
              << " s, with JSON " << total << " s wall, " << cpu_secs << " s CPU\n";
    CHECK(cpu_secs < 2.0);
  }
}
