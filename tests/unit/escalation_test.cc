// A permission set whose policies change its privilege class is an access
// change for every holder who keeps it (issue 9 item 4; WHO-CAN.md "In plans").
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler/access.h"
#include "compiler/lint/set_analysis.h"
#include "operations/access_changes.h"

using namespace gatehouse;

namespace {

constexpr char kReadS3[] =
    R"({"Statement":[{"Action":["s3:GetObject","s3:ListBucket"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"})";
constexpr char kWriteS3[] =
    R"({"Statement":[{"Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"})";
constexpr char kAdmin[] = "arn:aws:iam::aws:policy/AdministratorAccess";

PermissionSet Inline(const std::string& name, const std::string& policy) {
  PermissionSet p;
  p.name = name;
  p.inline_policy = policy;
  return p;
}

/// Devs (alice, bob) hold Reader on two accounts; carol holds Other directly.
DirectoryState Live() {
  DirectoryState s;
  for (const char* u : {"alice", "bob", "carol"}) s.users[u].user_name = u;
  s.groups["Devs"].name = "Devs";
  s.memberships = {{"Devs", "alice"}, {"Devs", "bob"}};
  s.accounts["111111111111"] = Account{"111111111111", "payments-prod", "", "production", {}};
  s.accounts["222222222222"] = Account{"222222222222", "payments-dev", "", "development", {}};
  s.permission_sets["Reader"] = Inline("Reader", kReadS3);
  s.permission_sets["Other"] = Inline("Other", kReadS3);
  s.assignments = {{PrincipalType::kGroup, "Devs", "Reader", "111111111111"},
                   {PrincipalType::kGroup, "Devs", "Reader", "222222222222"},
                   {PrincipalType::kUser, "carol", "Other", "111111111111"}};
  return s;
}

DirectoryState WithAdminReader(DirectoryState s) {
  s.permission_sets["Reader"].inline_policy.clear();
  s.permission_sets["Reader"].managed_policies = {kAdmin};
  return s;
}

bool Has(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

TEST_CASE("a read-only set made AdministratorAccess escalates each holder on each account") {
  DirectoryState live = Live(), desired = WithAdminReader(Live());
  std::vector<AccessChange> changes = ChangedAccess(live, desired);
  REQUIRE(changes.size() == 4);
  std::vector<std::string> who;
  for (const AccessChange& c : changes) {
    CHECK(c.change == AccessChangeKind::kEscalate);
    CHECK(c.permission_set == "Reader");
    CHECK(c.privilege == "admin");
    CHECK(c.privilege_before == "read-only");
    CHECK(c.via == std::vector<std::string>{"Devs"});
    CHECK(Has(c.notable_actions_gained, "iam:CreatePolicyVersion"));
    CHECK(Has(c.notable_actions_gained, "cloudtrail:StopLogging"));
    CHECK(Has(c.notable_actions_gained, "sso:CreateAccountAssignment"));
    CHECK(c.notable_actions_lost.empty());
    who.push_back(c.user + "@" + c.account_id);
  }
  CHECK(who ==
        std::vector<std::string>{"alice@111111111111", "alice@222222222222", "bob@111111111111", "bob@222222222222"});
  CHECK(DescribeAccessChange(changes[0])
            .starts_with(
                "alice escalates to admin with Reader on payments-prod (111111111111) via group Devs [was read-only; "
                "notable actions gained: "));
}

TEST_CASE("the reverse plan deescalates, losing the notable actions") {
  std::vector<AccessChange> changes = ChangedAccess(WithAdminReader(Live()), Live());
  REQUIRE(changes.size() == 4);
  for (const AccessChange& c : changes) {
    CHECK(c.change == AccessChangeKind::kDeescalate);
    CHECK(c.privilege == "read-only");
    CHECK(c.privilege_before == "admin");
    CHECK(c.notable_actions_gained.empty());
    CHECK(Has(c.notable_actions_lost, "iam:CreatePolicyVersion"));
  }
}

TEST_CASE("a policy change that keeps the class is no access change") {
  DirectoryState desired = Live();
  // Other stays read-only with one more read action.
  desired.permission_sets["Other"].inline_policy =
      R"({"Statement":[{"Action":["s3:GetObject","s3:ListBucket","s3:ListAllMyBuckets"],"Effect":"Allow","Resource":"*"}],"Version":"2012-10-17"})";
  CHECK(ChangedAccess(Live(), desired).empty());
  // A description change is not a policy change: the profiler is not even asked.
  desired = Live();
  desired.permission_sets["Reader"].description = "changed";
  int calls = 0;
  auto count = [&](const PermissionSet& ps) {
    ++calls;
    return lint::ProfilePermissionSet(ps);
  };
  CHECK(PrivilegeChanges(Live(), desired, count).empty());
  CHECK(calls == 0);
}

TEST_CASE("holders gaining the set in the same plan are gains, not escalations; escalations sort first") {
  DirectoryState desired = WithAdminReader(Live());
  desired.permission_sets["Other"].inline_policy = kWriteS3;  // read-only -> write for carol
  desired.users["dave"].user_name = "dave";
  desired.memberships.insert({"Devs", "dave"});  // dave gains Reader (admin) on both accounts
  std::vector<AccessChange> changes = ChangedAccess(Live(), desired);
  size_t gains = 0, escalations = 0;
  for (const AccessChange& c : changes) {
    if (c.user == "dave") CHECK(c.change == AccessChangeKind::kGain);
    gains += c.change == AccessChangeKind::kGain;
    escalations += c.change == AccessChangeKind::kEscalate;
  }
  CHECK(gains == 2);
  CHECK(escalations == 5);
  REQUIRE(changes.size() == 7);
  // Privileged gains and escalations to admin first; carol's read-only -> write escalation
  // still sorts with them, before anything that is not an escalation or a privileged gain.
  CHECK(changes.back().user == "carol");
  CHECK(changes.back().change == AccessChangeKind::kEscalate);
  CHECK(changes.back().privilege == "write");
  CHECK(changes.back().privilege_before == "read-only");
}

TEST_CASE("a customer managed policy is weighed with the config's document_file, never guessed") {
  DirectoryState live = Live(), desired = Live();
  PermissionSet& reader = desired.permission_sets["Reader"];
  reader.inline_policy.clear();
  reader.customer_managed_policies = {CustomerManagedPolicy{"Ops", "/team/"}};
  CustomerPolicyDocuments documents;
  documents[CustomerManagedPolicy{"Ops", "/team/"}] =
      nlohmann::json::parse(R"({"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]})");
  std::vector<AccessChange> with = ChangedAccess(live, desired, documents);
  REQUIRE(with.size() == 4);
  for (const AccessChange& c : with) {
    CHECK(c.change == AccessChangeKind::kEscalate);
    CHECK(c.privilege == "admin");
    CHECK(c.privilege_before == "read-only");
  }
  // Without the document the set's class is unknown: no one is said to become admin.
  for (const AccessChange& c : ChangedAccess(live, desired)) CHECK(c.privilege != "admin");
}
