// Usage evidence (EVIDENCE.md): which CloudTrail record is a use of which grant,
// counted once per event id in the window, and the trail file reader.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <fstream>

#include "compiler/evidence.h"
#include "runtime/evidence/trail.h"
#include "tests/unit/temp_dir.h"

using namespace gatehouse;

namespace {

/// alice (id u-1) and Bob (id 9a1b...) in the live directory; two accounts, two sets.
struct Fixture {
  DirectoryState state, live;
  Fixture() {
    for (const char* u : {"alice", "Bob"}) state.users[u].user_name = u;
    live = state;
    live.users["alice"].id = "u-1";
    live.users["Bob"].id = "9a1b2c3d-0000-4000-8000-000000000001";
    state.accounts["111111111111"].id = "111111111111";
    state.accounts["222222222222"].id = "222222222222";
    state.permission_sets["Admin_Prod"].name = "Admin_Prod";
    state.permission_sets["ReadOnly"].name = "ReadOnly";
  }
};

TrailRecord Portal(const std::string& name, const std::string& id, const std::string& user_name) {
  TrailRecord r;
  r.event_id = "e-" + name + id + user_name;
  r.event_time = "2026-11-30T09:12:44Z";
  r.event_source = "sso.amazonaws.com";
  r.event_name = name;
  r.on_behalf_user_id = id;
  r.user_name = user_name;
  r.detail_account_id = "111111111111";
  r.detail_role_name = "Admin_Prod";
  return r;
}

TrailRecord Saml(const std::string& role_arn, const std::string& session) {
  TrailRecord r;
  r.event_id = "s-" + role_arn + session;
  r.event_time = "2026-11-29T10:00:00Z";
  r.event_source = "sts.amazonaws.com";
  r.event_name = "AssumeRoleWithSAML";
  r.recipient_account_id = "222222222222";
  r.role_arn = role_arn;
  r.role_session_name = session;
  return r;
}

UsageVerdict Classify(const TrailRecord& r, GrantKey* key = nullptr) {
  Fixture f;
  UsageDirectory dir(f.state, f.live);
  GrantKey k;
  UsageVerdict v = ExtractUsage(r, dir, &k);
  if (key) *key = k;
  return v;
}

}  // namespace

TEST_CASE("the set of an Identity Center role is what lies before the last underscore") {
  CHECK(SsoRoleSet("arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/"
                   "AWSReservedSSO_Admin_Prod_0123456789abcdef") == "Admin_Prod");
  CHECK(SsoRoleSet("arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_ReadOnly_"
                   "0123456789abcdef") == "ReadOnly");
  CHECK(SsoRoleSet("AWSReservedSSO_ReadOnly_ab12") == "ReadOnly");
  CHECK(SsoRoleSet("arn:aws:iam::222222222222:role/Deployer") == "");
  CHECK(SsoRoleSet("AWSReservedSSO_NoSuffix") == "");
  CHECK(SsoRoleSet("AWSReservedSSO_X_") == "");
}

TEST_CASE("portal records in both identity formats are usage of the named grant") {
  GrantKey k;
  REQUIRE(Classify(Portal("Federate", "u-1", ""), &k) == UsageVerdict::kUsage);
  CHECK(k == GrantKey{"alice", "111111111111", "Admin_Prod"});
  // Older records name the user; case does not matter, as in Identity Store.
  REQUIRE(Classify(Portal("GetRoleCredentials", "", "bob"), &k) == UsageVerdict::kUsage);
  CHECK(k == GrantKey{"Bob", "111111111111", "Admin_Prod"});
  // requestParameters is the fallback of serviceEventDetails.
  TrailRecord r = Portal("GetRoleCredentials", "9a1b2c3d-0000-4000-8000-000000000001", "");
  r.detail_account_id.clear();
  r.detail_role_name.clear();
  r.request_account_id = "222222222222";
  r.request_role_name = "ReadOnly";
  REQUIRE(Classify(r, &k) == UsageVerdict::kUsage);
  CHECK(k == GrantKey{"Bob", "222222222222", "ReadOnly"});
}

TEST_CASE("failures, other calls and other roles are not usage; unknown names are unmatched") {
  TrailRecord failed = Portal("Federate", "u-1", "");
  failed.error_code = "AccessDenied";
  CHECK(Classify(failed) == UsageVerdict::kNotUsage);
  CHECK(Classify(Portal("ListAccountRoles", "u-1", "")) == UsageVerdict::kNotUsage);
  CHECK(Classify(Portal("Federate", "u-unknown", "")) == UsageVerdict::kUnmatched);
  CHECK(Classify(Portal("Federate", "", "mallory")) == UsageVerdict::kUnmatched);
  TrailRecord other_account = Portal("Federate", "u-1", "");
  other_account.detail_account_id = "999999999999";
  CHECK(Classify(other_account) == UsageVerdict::kUnmatched);
  CHECK(Classify(Saml("arn:aws:iam::222222222222:role/Deployer", "alice")) == UsageVerdict::kNotUsage);
  CHECK(Classify(Saml("arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/AWSReservedSSO_Gone_00aa",
                      "alice")) == UsageVerdict::kUnmatched);
}

TEST_CASE("AssumeRoleWithSAML in a member account is usage by the session's user") {
  GrantKey k;
  TrailRecord r =
      Saml("arn:aws:iam::222222222222:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_Admin_Prod_00ff",
           "ALICE");
  REQUIRE(Classify(r, &k) == UsageVerdict::kUsage);
  CHECK(k == GrantKey{"alice", "222222222222", "Admin_Prod"});
  r.role_session_name.clear();
  r.user_name = "bob";
  REQUIRE(Classify(r, &k) == UsageVerdict::kUsage);
  CHECK(k.user == "Bob");
}

TEST_CASE("the tally counts an event id once, inside the window, and unknown grants as unmatched") {
  Fixture f;
  UsageDirectory dir(f.state, f.live);
  UsageCollector c(&dir, {"2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"});
  TrailRecord a = Portal("Federate", "u-1", "");
  c.Add(a);
  c.Add(a);  // the same event delivered twice
  TrailRecord later = a;
  later.event_id = "later";
  later.event_time = "2026-11-30T23:59:59Z";
  UsageCollector other = c.Fork();
  other.Add(later);
  TrailRecord outside = a;
  outside.event_id = "old";
  outside.event_time = "2026-10-31T23:59:59Z";
  other.Add(outside);
  TrailRecord bob = Portal("Federate", "", "bob");
  other.Add(bob);
  other.Add(Portal("Federate", "u-unknown", ""));
  c.Merge(std::move(other));
  CHECK(c.records_read() == 6);
  UsageTally t = std::move(c).Tally({{"alice", "111111111111", "Admin_Prod"}});
  CHECK(t.usage_events == 2);
  CHECK(t.unmatched == 2);  // bob holds no such grant; the unknown user
  REQUIRE(t.grants.size() == 1);
  CHECK(t.grants.begin()->second.uses == 2);
  CHECK(t.grants.begin()->second.last_used == "2026-11-30T23:59:59Z");
}

TEST_CASE("times: RFC 3339 with offsets and fractions, dates, durations") {
  int64_t t = 0;
  REQUIRE(ParseUtcTime("2026-12-02", &t));
  CHECK(FormatUtcTime(t) == "2026-12-02T00:00:00Z");
  REQUIRE(ParseUtcTime("2026-12-02T01:30:00.123+02:00", &t));
  CHECK(FormatUtcTime(t) == "2026-12-01T23:30:00Z");
  CHECK(FormatUtcTime(0) == "1970-01-01T00:00:00Z");
  CHECK_FALSE(ParseUtcTime("yesterday", &t));
  CHECK_FALSE(ParseUtcTime("2026-13-01", &t));
  int64_t s = 0;
  REQUIRE(ParseDuration("90d", &s));
  CHECK(s == 90 * 86400);
  REQUIRE(ParseDuration("36h", &s));
  CHECK(s == 36 * 3600);
  CHECK_FALSE(ParseDuration("3w", &s));
  CHECK_FALSE(ParseDuration("0d", &s));
}

TEST_CASE("a record as a JSON string (LookupEvents) gives the fields usage reads") {
  TrailRecord r;
  REQUIRE(ParseTrailRecord(
      R"({"eventVersion":"1.08","userIdentity":{"type":"IdentityCenterUser","onBehalfOf":{"userId":"u-1",)"
      R"("identityStoreArn":"arn:aws:identitystore::1:identitystore/d-1"}},"eventTime":"2026-11-30T09:12:44Z",)"
      R"("eventSource":"sso.amazonaws.com","eventName":"Federate","requestParameters":null,)"
      R"("serviceEventDetails":{"account_id":"111111111111","role_name":"Admin_Prod"},"eventID":"x-1"})",
      &r));
  CHECK(r.on_behalf_user_id == "u-1");
  CHECK(r.detail_role_name == "Admin_Prod");
  CHECK(r.event_id == "x-1");
  CHECK(Classify(r) == UsageVerdict::kUsage);
  CHECK_FALSE(ParseTrailRecord("{\"eventID\": ", &r));
}

TEST_CASE("trail files: json and gzip, digests ignored, a corrupt file skipped with its reason") {
  testing::TempDir d;
  std::string base = d.path() + "/AWSLogs/o-1/111111111111/CloudTrail/us-east-1/2026/11/30";
  std::filesystem::create_directories(base);
  std::filesystem::create_directories(d.path() + "/AWSLogs/o-1/111111111111/CloudTrail-Digest/us-east-1");
  std::string rec =
      R"({"eventID":"E1","eventTime":"2026-11-30T09:00:00Z","eventSource":"sso.amazonaws.com","eventName":"Federate",)"
      R"("userIdentity":{"type":"Unknown","userName":"alice"},"serviceEventDetails":{"account_id":"111111111111","role_name":"ReadOnly"}})";
  std::ofstream(base + "/a.json") << "{\"Records\":[" << rec << "]}";
  std::ofstream(base + "/b.json") << "{\"Records\":[" << rec << "," << rec << "]}";  // duplicates
  REQUIRE(std::system(("gzip " + base + "/b.json").c_str()) == 0);
  // gzip content under a .json name is inflated too (recognised by its magic bytes)
  std::ofstream(base + "/e") << "{\"Records\":[" << rec << "]}";
  REQUIRE(std::system(("gzip -c " + base + "/e > " + base + "/e.json && rm " + base + "/e").c_str()) == 0);
  std::ofstream(base + "/c.json") << "{\"Records\":[" << rec << ",";  // truncated
  std::ofstream(base + "/d.json.gz") << "not gzip at all, really not";
  std::ofstream(d.path() + "/AWSLogs/o-1/111111111111/CloudTrail-Digest/us-east-1/x.json.gz") << "digest";
  std::ofstream(base + "/notes.txt") << "ignored";
  std::vector<std::string> files;
  std::string err;
  REQUIRE(ListTrailFiles(d.path(), &files, &err));
  REQUIRE(files.size() == 5);
  Fixture f;
  UsageDirectory dir(f.state, f.live);
  UsageCollector c(&dir, {"2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"});
  TrailScanStats stats;
  ScanTrailFiles(files, 2, &c, &stats);
  CHECK(stats.files_read == 3);
  REQUIRE(stats.skipped.size() == 2);
  CHECK(stats.skipped[0].path == base + "/c.json");
  CHECK(stats.skipped[1].reason == "not valid gzip");
  CHECK(c.records_read() == 4);
  UsageTally t = std::move(c).Tally({{"alice", "111111111111", "ReadOnly"}});
  CHECK(t.usage_events == 1);
  CHECK_FALSE(ListTrailFiles(d.path() + "/missing", &files, &err));
  CHECK(err.find("no such file") != std::string::npos);
}

TEST_CASE("trail files hand over the write events of the window drift asks for, with usage in the same pass") {
  testing::TempDir d;
  auto write = [](const char* id, const char* time, const char* name) {
    return std::string(R"({"eventID":")") + id + R"(","eventTime":")" + time +
           R"(","eventSource":"identitystore.amazonaws.com","eventName":")" + name +
           R"(","requestParameters":{"groupId":"g-1","memberId":{"userId":"u-1"}}})";
  };
  std::string usage =
      R"({"eventID":"U1","eventTime":"2026-11-30T09:00:00Z","eventSource":"sso.amazonaws.com","eventName":"Federate",)"
      R"("userIdentity":{"type":"Unknown","userName":"alice"},"serviceEventDetails":{"account_id":"111111111111","role_name":"ReadOnly"}})";
  std::ofstream(d.path() + "/a.json") << "{\"Records\":["
                                      << write("W1", "2026-11-20T10:00:00Z", "CreateGroupMembership") << ","
                                      << write("W2", "2026-10-01T10:00:00Z", "CreateGroupMembership") << ","
                                      << write("W3", "2026-11-21T10:00:00Z", "CreateUser") << "," << usage << "]}";
  std::ofstream(d.path() + "/b.json") << "{\"Records\":["
                                      << write("W1", "2026-11-20T10:00:00Z", "CreateGroupMembership") << "]}";
  std::vector<std::string> files;
  std::string err;
  REQUIRE(ListTrailFiles(d.path(), &files, &err));
  Fixture f;
  UsageDirectory dir(f.state, f.live);
  UsageCollector c(&dir, {"2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"});
  c.KeepWrites({"CreateGroupMembership"});
  TrailScanStats stats;
  ScanTrailFiles(files, 2, &c, &stats);
  CHECK(c.records_read() == 5);
  std::vector<std::string> writes = std::move(c).TakeWrites();
  // W1 twice (a duplicate, dropped by its reader), W2 outside the window, W3 not asked for
  REQUIRE(writes.size() == 2);
  for (const auto& w : writes) CHECK(w.find("\"eventID\":\"W1\"") != std::string::npos);
  // a collector without a directory only counts and keeps writes
  UsageCollector writes_only(nullptr, {"2026-11-01T00:00:00Z", "2026-12-01T00:00:00Z"});
  TrailScanStats again;
  ScanTrailFiles(files, 1, &writes_only, &again);
  CHECK(writes_only.records_read() == 5);
  CHECK(std::move(writes_only).TakeWrites().empty());
}
