// Reconciliation property test and failure isolation: plans computed by
// DiffStates, executed by Execute against a LocalTarget, must converge and must
// never run an operation before everything it depends on succeeded.

#include <catch2/catch.hpp>

#include <stdlib.h>

#include <atomic>
#include <cctype>
#include <chrono>
#include <filesystem>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "compiler/diff.h"
#include "compiler/plan_json.h"
#include "compiler/state_json.h"
#include "runtime/executor.h"
#include "runtime/local_target.h"
#include "tests/unit/temp_dir.h"

using namespace gatehouse;
namespace fs = std::filesystem;

namespace {

using testing::TempDir;

/// Wraps a target; checks that every operation starts only after all its
/// depends_on finished successfully, records outcomes, and fails chosen operations.
class RecordingTarget : public Target {
 public:
  RecordingTarget(Target& inner, const Plan& plan) : inner_(inner), plan_(plan), state_(plan.operations.size(), 0) {}

  bool Read(const std::map<std::string, Account>& hint, DirectoryState* out, std::string* err) override {
    return inner_.Read(hint, out, err);
  }
  bool Lock(std::string* err) override { return inner_.Lock(err); }
  void Unlock() override { inner_.Unlock(); }
  bool Commit(std::string* err) override { return inner_.Commit(err); }
  std::string Describe() const override { return "recording " + inner_.Describe(); }

  OpResult Apply(const Operation& op) override {
    size_t i = IndexOf(op);
    if (i >= state_.size()) {
      std::lock_guard<std::mutex> g(mu_);
      violations_.push_back("operation " + op.name + " is not one of the plan's");
      return OpResult{false, "unknown operation"};
    }
    {
      std::lock_guard<std::mutex> g(mu_);
      if (state_[i] != 0) violations_.push_back("operation " + op.name + " ran twice");
      state_[i] = 1;  // running
      for (size_t d : op.depends_on)
        if (state_[d] != 2)
          violations_.push_back(std::string(ActionName(op.action)) + " " + op.name + " started before " +
                                ActionName(plan_.operations[d].action) + " " + plan_.operations[d].name + " succeeded");
      in_flight_++;
      max_in_flight_ = std::max(max_in_flight_, in_flight_);
    }
    OpResult r;
    if (fail_.count(op.name)) {
      r = OpResult{false, "injected failure"};
    } else {
      r = inner_.Apply(op);
    }
    std::lock_guard<std::mutex> g(mu_);
    if (!r.ok && !fail_.count(op.name)) inner_failures_.push_back(op.name + ": " + r.error);
    in_flight_--;
    state_[i] = r.ok ? 2 : 3;
    applied_.push_back(i);
    return r;
  }

  /// Operations named here fail without reaching the inner target.
  void FailOperation(const std::string& name) { fail_.insert(name); }

  std::vector<std::string> violations_;
  std::vector<std::string> inner_failures_;  ///< operations the inner target refused
  std::vector<size_t> applied_;              ///< indices in the order Apply was called
  int max_in_flight_ = 0;

 private:
  size_t IndexOf(const Operation& op) const {
    // The executor hands out references into plan.operations.
    // Catch2 assertions are not thread-safe, so a stray reference is reported as a violation.
    const Operation* base = plan_.operations.data();
    if (&op < base || &op >= base + plan_.operations.size()) return state_.size();
    return static_cast<size_t>(&op - base);
  }
  Target& inner_;
  const Plan& plan_;
  std::mutex mu_;
  std::vector<int> state_;  // 0 waiting, 1 running, 2 succeeded, 3 failed
  int in_flight_ = 0;
  std::set<std::string> fail_;  // written before Execute, read-only during it
};

std::map<std::string, Account> Accounts() {
  std::map<std::string, Account> out;
  for (int i = 1; i <= 4; ++i) {
    std::string id(12, static_cast<char>('0' + i));
    out[id] = Account{id, "acct" + std::to_string(i), "", "", {}};
  }
  return out;
}

template <class T>
const T& Pick(std::mt19937& rng, const std::vector<T>& from) {
  return from[rng() % from.size()];
}

bool Chance(std::mt19937& rng, int percent) { return static_cast<int>(rng() % 100) < percent; }

/// A random directory over small name pools, so desired and live overlap.
/// With `case_renames`, a name is sometimes spelled with a capital first letter,
/// so desired and live differ by case only (left out with additive mode or
/// ignore globs: there an undeleted old spelling and the new one share one slot).
DirectoryState RandomState(std::mt19937& rng, bool case_renames = false) {
  static const std::vector<std::string> kUsers = {"alice", "bob", "carol", "dave", "erin", "frank", "grace"};
  static const std::vector<std::string> kGroups = {"Admins", "DevOps", "Auditors", "AWSControlTowerAdmins", "Data"};
  static const std::vector<std::string> kSets = {"Admin", "ReadOnly", "Deploy", "AWSControlTowerRO", "Billing"};
  static const std::vector<std::string> kWords = {"", "one", "two", "Platform team"};
  static const std::vector<std::string> kDurations = {"PT1H", "PT2H", "PT4H", "PT12H"};
  static const std::vector<std::string> kManaged = {"arn:aws:iam::aws:policy/ReadOnlyAccess",
                                                    "arn:aws:iam::aws:policy/PowerUserAccess",
                                                    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"};
  static const std::vector<std::string> kInline = {
      "", R"({"Statement":[{"Action":"s3:GetObject","Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"})",
      R"({"Statement":[{"Action":["logs:DeleteLogGroup"],"Effect":"Deny","Resource":"*"}],"Version":"2012-10-17"})"};
  DirectoryState s;
  s.accounts = Accounts();
  // Sometimes the same name with a capital first letter: a rename by case.
  auto spelled = [&](std::string n) {
    if (!case_renames) return n;
    if (Chance(rng, 15))
      n[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(n[0])));
    else if (Chance(rng, 15))
      n[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
    return n;
  };
  for (const auto& base : kUsers) {
    if (!Chance(rng, 60)) continue;
    std::string n = spelled(base);
    User u;
    u.user_name = n;
    u.display_name = Chance(rng, 50) ? n : n + " " + Pick(rng, kWords);
    u.given_name = Pick(rng, kWords);
    u.family_name = Pick(rng, kWords);
    u.email = Chance(rng, 50) ? n + "@example.com" : "";
    s.users[n] = u;
  }
  for (const auto& base : kGroups) {
    if (!Chance(rng, 60)) continue;
    std::string n = spelled(base);
    s.groups[n] = Group{n, Pick(rng, kWords), ""};
  }
  for (const auto& [g, gv] : s.groups)
    for (const auto& [u, uv] : s.users)
      if (Chance(rng, 30)) s.memberships.insert({g, u});
  for (const auto& n : kSets) {
    if (!Chance(rng, 60)) continue;
    PermissionSet p;
    p.name = n;
    p.description = Pick(rng, kWords);
    p.session_duration = Pick(rng, kDurations);
    p.relay_state = Chance(rng, 20) ? "https://console.aws.amazon.com/ec2/" : "";
    for (const auto& m : kManaged)
      if (Chance(rng, 30)) p.managed_policies.insert(m);
    if (Chance(rng, 20)) p.customer_managed_policies.insert({"LimitedS3", "/"});
    if (Chance(rng, 10)) p.customer_managed_policies.insert({"Other", "/team/"});
    p.inline_policy = Pick(rng, kInline);
    if (Chance(rng, 15))
      p.permissions_boundary = PermissionsBoundary{"arn:aws:iam::aws:policy/PowerUserAccess", {}};
    else if (Chance(rng, 10))
      p.permissions_boundary = PermissionsBoundary{"", CustomerManagedPolicy{"Boundary", "/"}};
    if (Chance(rng, 30)) p.tags["owner"] = Pick(rng, kWords);
    s.permission_sets[n] = p;
  }
  for (const auto& [pn, pv] : s.permission_sets)
    for (const auto& [id, acc] : s.accounts) {
      for (const auto& [g, gv] : s.groups)
        if (Chance(rng, 15)) s.assignments.insert({PrincipalType::kGroup, g, pn, id});
      for (const auto& [u, uv] : s.users)
        if (Chance(rng, 5)) s.assignments.insert({PrincipalType::kUser, u, pn, id});
    }
  return s;
}

Settings RandomSettings(std::mt19937& rng) {
  Settings s;
  s.additive = Chance(rng, 25);
  static const std::vector<std::string> kGlobs = {"AWSControlTower*", "*Admin*", "D*", "?ata", "Billing", "*"};
  if (Chance(rng, 40))
    for (int k = rng() % 3; k > 0; --k) s.ignore_groups.push_back(Pick(rng, kGlobs));
  if (Chance(rng, 40))
    for (int k = rng() % 3; k > 0; --k) s.ignore_permission_sets.push_back(Pick(rng, kGlobs));
  if (Chance(rng, 15)) s.ignore_users.push_back(Pick(rng, std::vector<std::string>{"a*", "bob", "*e*"}));
  return s;
}

/// Plans `desired` against `target` with `settings`.
Plan PlanAgainst(LocalTarget& target, const DirectoryState& desired, const Settings& settings, DirectoryState* live) {
  std::string err;
  REQUIRE(target.Read(Accounts(), live, &err));
  Plan plan;
  Diagnostics diags;
  REQUIRE(DiffStates(desired, *live, settings, &plan, &diags));
  return plan;
}

/// Seeds a fresh local directory file with `state` through the normal path.
void Seed(const std::string& path, const DirectoryState& state) {
  LocalTarget t(path);
  DirectoryState live;
  Plan plan = PlanAgainst(t, state, Settings{}, &live);
  ApplyReport report;
  std::string err;
  REQUIRE(Execute(plan, t, ExecutorOptions{1, nullptr}, &report, &err));
  REQUIRE(report.ok());
  REQUIRE(t.Commit(&err));
}

std::string Describe(const Plan& plan) {
  std::string out;
  for (const auto& op : plan.operations)
    out += std::string("  ") + ActionName(op.action) + " " + ObjectKindName(op.kind) + " " + op.name + "\n";
  return out;
}

/// Whether every object of `before` (by key) is still in `after`.
bool Superset(const DirectoryState& after, const DirectoryState& before) {
  for (const auto& [k, v] : before.users)
    if (!after.users.count(k)) return false;
  for (const auto& [k, v] : before.groups)
    if (!after.groups.count(k)) return false;
  for (const auto& [k, v] : before.permission_sets)
    if (!after.permission_sets.count(k)) return false;
  for (const auto& m : before.memberships)
    if (!after.memberships.count(m)) return false;
  for (const auto& a : before.assignments)
    if (!after.assignments.count(a)) return false;
  return true;
}

}  // namespace

TEST_CASE("reconcile: random (desired, live) pairs converge in one apply", "[reconcile][property]") {
  const int kCases = 240;
  std::mt19937 rng(20261128);
  int nonempty = 0, with_deletes = 0, additive = 0, ignoring = 0;
  for (int c = 0; c < kCases; ++c) {
    TempDir dir;
    std::string path = dir.File("directory.json");
    Settings settings = RandomSettings(rng);
    bool case_renames = !settings.additive && settings.ignore_groups.empty() &&
                        settings.ignore_permission_sets.empty() && settings.ignore_users.empty();
    DirectoryState seed = RandomState(rng, case_renames);
    DirectoryState desired = RandomState(rng, case_renames);
    int parallelism = c % 2 == 0 ? 1 : 4;
    INFO("case " << c << ", parallelism " << parallelism << ", additive " << settings.additive);
    Seed(path, seed);

    LocalTarget target(path);
    std::string err;
    REQUIRE(target.Lock(&err));
    DirectoryState live;
    Plan plan = PlanAgainst(target, desired, settings, &live);
    INFO("plan:\n" << Describe(plan));
    nonempty += !plan.empty();
    additive += settings.additive;
    ignoring += !settings.ignore_groups.empty() || !settings.ignore_permission_sets.empty();
    for (const auto& op : plan.operations) {
      if (op.action == Action::kDelete) {
        ++with_deletes;
        break;
      }
    }
    if (settings.additive)
      for (const auto& op : plan.operations) REQUIRE(op.action != Action::kDelete);

    // The plan survives a JSON round trip unchanged.
    Plan reloaded;
    REQUIRE(PlanFromJson(PlanToJson(plan), &reloaded, &err));
    REQUIRE(PlanToJson(reloaded) == PlanToJson(plan));

    RecordingTarget rec(target, plan);
    ApplyReport report;
    REQUIRE(Execute(plan, rec, ExecutorOptions{parallelism, nullptr}, &report, &err));
    INFO("target refused: " << (rec.inner_failures_.empty() ? "" : rec.inner_failures_.front()));
    CHECK(rec.violations_.empty());
    CHECK(rec.inner_failures_.empty());
    CHECK(report.ok());
    CHECK(report.succeeded == plan.operations.size());
    CHECK(report.operations.size() == plan.operations.size());
    CHECK(rec.applied_.size() == plan.operations.size());
    REQUIRE(target.Commit(&err));
    target.Unlock();

    // Re-read the file with a fresh target and re-diff: nothing left to do.
    LocalTarget reread(path);
    DirectoryState after;
    Plan again = PlanAgainst(reread, desired, settings, &after);
    INFO("left over:\n" << Describe(again));
    CHECK(again.empty());
    if (settings.additive) CHECK(Superset(after, live));
    // Ignored live objects that were not declared are still there.
    for (const auto& [name, g] : live.groups)
      if (IsIgnored(settings, ObjectKind::kGroup, name)) CHECK(after.groups.count(name));
    for (const auto& [name, p] : live.permission_sets)
      if (IsIgnored(settings, ObjectKind::kPermissionSet, name)) CHECK(after.permission_sets.count(name));
    // Nothing undeclared and unprotected survives an authoritative apply.
    if (!settings.additive) {
      for (const auto& [name, u] : after.users)
        CHECK((desired.users.count(name) || IsIgnored(settings, ObjectKind::kUser, name)));
      for (const auto& [name, p] : after.permission_sets)
        CHECK((desired.permission_sets.count(name) || IsIgnored(settings, ObjectKind::kPermissionSet, name)));
    }
  }
  // The generator must actually exercise the interesting cases.
  CHECK(nonempty > kCases * 9 / 10);
  CHECK(with_deletes > kCases / 3);
  CHECK(additive > kCases / 10);
  CHECK(ignoring > kCases / 10);
}

TEST_CASE("reconcile: the plan from an empty directory creates everything and converges", "[reconcile]") {
  std::mt19937 rng(7);
  TempDir dir;
  DirectoryState desired = RandomState(rng);
  Seed(dir.File("d.json"), desired);
  LocalTarget t(dir.File("d.json"));
  DirectoryState live;
  Plan plan = PlanAgainst(t, desired, Settings{}, &live);
  CHECK(plan.empty());
  DirectoryState want = desired;
  CHECK(live.users == want.users);
  CHECK(live.groups == want.groups);
  CHECK(live.memberships == want.memberships);
  CHECK(live.permission_sets == want.permission_sets);
  CHECK(live.assignments == want.assignments);
}

namespace {

/// A plan with two independent chains: group A → its assignment; group B → its assignment.
struct TwoChains {
  DirectoryState desired;
  TwoChains() {
    desired.accounts = Accounts();
    desired.users["alice"] = User{"alice", "Alice", "", "", "", ""};
    desired.groups["A"] = Group{"A", "", ""};
    desired.groups["B"] = Group{"B", "", ""};
    desired.memberships = {{"A", "alice"}, {"B", "alice"}};
    PermissionSet p;
    p.name = "PS";
    desired.permission_sets["PS"] = p;
    desired.assignments = {{PrincipalType::kGroup, "A", "PS", "111111111111"},
                           {PrincipalType::kGroup, "B", "PS", "111111111111"},
                           {PrincipalType::kUser, "alice", "PS", "222222222222"}};
  }
};

std::map<std::string, Outcome> Outcomes(const Plan& plan, const ApplyReport& report) {
  std::map<std::string, Outcome> out;
  for (const auto& r : report.operations) out[plan.operations[r.index].name] = r.outcome;
  return out;
}

}  // namespace

TEST_CASE("executor: a failure skips dependents transitively, independent work goes on", "[executor]") {
  for (int parallelism : {1, 4}) {
    INFO("parallelism " << parallelism);
    TempDir dir;
    TwoChains fx;
    LocalTarget target(dir.File("d.json"));
    DirectoryState live;
    Plan plan = PlanAgainst(target, fx.desired, Settings{}, &live);
    REQUIRE(plan.operations.size() == 9);

    RecordingTarget rec(target, plan);
    rec.FailOperation("A");   // group A: its membership and assignment are skipped
    rec.FailOperation("PS");  // permission set: every assignment is skipped
    ApplyReport report;
    std::string err;
    std::vector<std::string> done_names;
    std::mutex mu;
    ExecutorOptions eo{parallelism, [&](const Operation& op, const OperationReport& r) {
                         std::lock_guard<std::mutex> g(mu);
                         done_names.push_back(op.name + ":" + OutcomeName(r.outcome));
                       }};
    REQUIRE(Execute(plan, rec, eo, &report, &err));
    CHECK(rec.violations_.empty());
    auto out = Outcomes(plan, report);
    CHECK(out.at("A") == Outcome::kFailed);
    CHECK(out.at("PS") == Outcome::kFailed);
    CHECK(out.at("alice") == Outcome::kSucceeded);
    CHECK(out.at("B") == Outcome::kSucceeded);
    CHECK(out.at("B/alice") == Outcome::kSucceeded);
    CHECK(out.at("A/alice") == Outcome::kSkipped);
    CHECK(out.at("group:A/PS/111111111111") == Outcome::kSkipped);
    CHECK(out.at("group:B/PS/111111111111") == Outcome::kSkipped);
    CHECK(out.at("user:alice/PS/222222222222") == Outcome::kSkipped);
    CHECK(report.succeeded == 3);
    CHECK(report.failed == 2);
    CHECK(report.skipped == 4);
    CHECK_FALSE(report.ok());
    CHECK(report.operations.size() == 9);
    CHECK(done_names.size() == 9);  // on_done sees every outcome exactly once
    // Skipped operations never reached the target.
    CHECK(rec.applied_.size() == 5);
    for (const auto& r : report.operations)
      if (r.outcome == Outcome::kSkipped) CHECK(r.error.find("did not succeed") != std::string::npos);
    std::string cerr;
    REQUIRE(target.Commit(&cerr));

    // The fault is fixed: a rerun plans only what is missing and converges.
    LocalTarget again(dir.File("d.json"));
    DirectoryState live2;
    Plan rerun = PlanAgainst(again, fx.desired, Settings{}, &live2);
    CHECK(rerun.operations.size() == 6);
    RecordingTarget rec2(again, rerun);
    ApplyReport report2;
    REQUIRE(Execute(rerun, rec2, ExecutorOptions{parallelism, nullptr}, &report2, &err));
    CHECK(report2.ok());
    CHECK(rec2.violations_.empty());
    REQUIRE(again.Commit(&cerr));
    LocalTarget final_read(dir.File("d.json"));
    DirectoryState live3;
    CHECK(PlanAgainst(final_read, fx.desired, Settings{}, &live3).empty());
  }
}

TEST_CASE("executor: a deep chain is skipped transitively from its root", "[executor]") {
  // op0 <- op1 <- op2 <- op3, and op4 independent. Uses a fake target directly.
  struct FakeTarget : Target {
    std::atomic<int> calls{0};
    bool Read(const std::map<std::string, Account>&, DirectoryState*, std::string*) override { return true; }
    bool Lock(std::string*) override { return true; }
    void Unlock() override {}
    OpResult Apply(const Operation& op) override {
      ++calls;
      return op.name == "op0" ? OpResult{false, "boom"} : OpResult{};
    }
    std::string Describe() const override { return "fake"; }
  } fake;
  Plan plan;
  for (int i = 0; i < 5; ++i) {
    Operation op;
    op.name = std::string("op").append(std::to_string(i));
    op.after = User{op.name, "", "", "", "", ""};
    if (i > 0 && i < 4) op.depends_on = {static_cast<size_t>(i - 1)};
    plan.operations.push_back(op);
  }
  ApplyReport report;
  std::string err;
  REQUIRE(Execute(plan, fake, ExecutorOptions{4, nullptr}, &report, &err));
  CHECK(fake.calls == 2);
  CHECK(report.failed == 1);
  CHECK(report.skipped == 3);
  CHECK(report.succeeded == 1);
  auto out = Outcomes(plan, report);
  CHECK(out.at("op3") == Outcome::kSkipped);
  CHECK(out.at("op4") == Outcome::kSucceeded);
  for (const auto& r : report.operations)
    if (r.index == 0) CHECK(r.error == "boom");
}

TEST_CASE("executor: a cyclic plan is refused before anything runs", "[executor]") {
  struct CountingTarget : Target {
    int calls = 0;
    bool Read(const std::map<std::string, Account>&, DirectoryState*, std::string*) override { return true; }
    bool Lock(std::string*) override { return true; }
    void Unlock() override {}
    OpResult Apply(const Operation&) override {
      ++calls;
      return {};
    }
    std::string Describe() const override { return "counting"; }
  } t;
  Plan plan;
  plan.operations.resize(2);
  plan.operations[0].name = "a";
  plan.operations[1].name = "b";
  plan.operations[0].depends_on = {1};
  plan.operations[1].depends_on = {0};
  ApplyReport report;
  std::string err;
  CHECK_FALSE(Execute(plan, t, ExecutorOptions{}, &report, &err));
  CHECK(err.find("cycle") != std::string::npos);
  CHECK(err.find("create user a -> create user b -> create user a") != std::string::npos);
  CHECK(t.calls == 0);
}

TEST_CASE("executor: an empty plan succeeds with nothing run", "[executor]") {
  TempDir dir;
  LocalTarget t(dir.File("d.json"));
  Plan plan;
  ApplyReport report;
  std::string err;
  REQUIRE(Execute(plan, t, ExecutorOptions{4, nullptr}, &report, &err));
  CHECK(report.ok());
  CHECK(report.operations.empty());
}

TEST_CASE("executor: independent operations run in parallel", "[executor]") {
  struct SlowTarget : Target {
    std::atomic<int> now{0}, peak{0};
    bool Read(const std::map<std::string, Account>&, DirectoryState*, std::string*) override { return true; }
    bool Lock(std::string*) override { return true; }
    void Unlock() override {}
    OpResult Apply(const Operation&) override {
      int n = ++now;
      int p = peak.load();
      while (n > p && !peak.compare_exchange_weak(p, n)) {
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      --now;
      return {};
    }
    std::string Describe() const override { return "slow"; }
  } t;
  Plan plan;
  for (int i = 0; i < 8; ++i) {
    Operation op;
    op.name = std::string("u").append(std::to_string(i));  // not "u" + ...: g++ 12 -Wrestrict false positive
    op.after = User{op.name, "", "", "", "", ""};
    plan.operations.push_back(op);
  }
  ApplyReport report;
  std::string err;
  REQUIRE(Execute(plan, t, ExecutorOptions{4, nullptr}, &report, &err));
  CHECK(report.succeeded == 8);
  CHECK(t.peak > 1);
  CHECK(t.peak <= 4);
}

TEST_CASE("reconcile: renaming a user or group by case only converges in one apply", "[reconcile]") {
  // Identity Store names are unique case-insensitively: alice -> Alice is the
  // same slot, so the delete of the old spelling must not remove the new one.
  for (int parallelism : {1, 4}) {
    INFO("parallelism " << parallelism);
    TempDir dir;
    DirectoryState before;
    before.accounts = Accounts();
    before.users["alice"] = User{"alice", "alice", "", "", "", ""};
    before.groups["devops"] = Group{"devops", "", ""};
    before.memberships = {{"devops", "alice"}};
    Seed(dir.File("d.json"), before);
    DirectoryState after;
    after.accounts = Accounts();
    after.users["Alice"] = User{"Alice", "Alice", "", "", "", ""};
    after.groups["DevOps"] = Group{"DevOps", "", ""};
    after.memberships = {{"DevOps", "Alice"}};
    LocalTarget t(dir.File("d.json"));
    DirectoryState live;
    Plan plan = PlanAgainst(t, after, Settings{}, &live);
    INFO("plan:\n" << Describe(plan));
    RecordingTarget rec(t, plan);
    ApplyReport report;
    std::string err;
    REQUIRE(Execute(plan, rec, ExecutorOptions{parallelism, nullptr}, &report, &err));
    CHECK(report.ok());
    REQUIRE(t.Commit(&err));
    LocalTarget reread(dir.File("d.json"));
    DirectoryState now;
    Plan again = PlanAgainst(reread, after, Settings{}, &now);
    INFO("left over:\n" << Describe(again));
    CHECK(again.empty());
  }
}
