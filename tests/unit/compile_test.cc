// Tests for config checking and compilation (compiler/check.h,
// compiler/compile.h) through an in-memory SourceReader: selectors, explicit
// account lists, expiry, policy names, canonical inline policies, diagnostics.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>

#include "compiler/check.h"
#include "compiler/compile.h"
#include "compiler/config_loader.h"
#include "compiler/diagnostics.h"
#include "compiler/memory_reader.h"
#include "views/diagnostics_view.h"

using namespace gatehouse;

namespace {

struct Result {
  bool checked = false;  ///< loaded and validated
  bool compiled = false;
  Config config;
  SourceFiles sources;
  Diagnostics diags;
  CompiledConfig out;
  std::string Rendered() const { return RenderDiagnostics(diags, sources, false); }
};

Result Compile(const std::map<std::string, std::string>& files, const std::string& today = "2026-06-01") {
  Result r;
  MemoryReader reader(files);
  r.checked = CheckConfig(reader, &r.config, &r.sources, &r.diags);
  if (!r.checked) return r;
  CompileOptions opt;
  opt.today = today;
  r.compiled = CompileConfig(r.config, opt, &r.out, &r.diags);
  return r;
}

Result CompileOne(const std::string& text, const std::string& today = "2026-06-01") {
  return Compile({{"config.yaml", text}}, today);
}

const char* kAccounts = R"(
accounts:
  - {id: "111111111111", name: payments-prod, ou: Workloads/Prod, environment: production, tags: {team: payments, tier: "1"}}
  - {id: "222222222222", name: payments-dev, ou: Workloads/Dev, environment: development, tags: {team: payments}}
  - {id: "333333333333", name: data-prod, ou: Workloads/Prod/Data, environment: production, tags: {team: data}}
  - {id: "444444444444", name: workloads-shared, ou: Workloads, environment: sandbox}
  - {id: "555555555555", name: security, ou: Security, environment: production, tags: {team: sec}}
  - {id: "666666666666", name: management}
groups:
  - name: Ops
permission_sets:
  - name: ReadOnly
    managed_policies: [ReadOnlyAccess]
)";

/// Account ids the selector (a YAML flow value) gives group Ops with ReadOnly.
std::set<std::string> Selected(const std::string& selector) {
  Result r = CompileOne(std::string(kAccounts) +
                        "assignments:\n  - {group: Ops, permission_set: ReadOnly, accounts: " + selector + "}\n");
  INFO(r.Rendered());
  REQUIRE(r.compiled);
  std::set<std::string> ids;
  for (const auto& a : r.out.desired.assignments) {
    CHECK(a.principal == "Ops");
    CHECK(a.principal_type == PrincipalType::kGroup);
    CHECK(a.permission_set == "ReadOnly");
    ids.insert(a.account_id.substr(0, 1));
  }
  return ids;  // first digits, which name the accounts above
}

using Ids = std::set<std::string>;

}  // namespace

TEST_CASE("compile: environment selector", "[compile][selector]") {
  CHECK(Selected("{environment: production}") == Ids{"1", "3", "5"});
  CHECK(Selected("{environment: development}") == Ids{"2"});
}

TEST_CASE("compile: ou globs, * one level and ** below", "[compile][selector]") {
  CHECK(Selected("{ou: \"Workloads/*\"}") == Ids{"1", "2"});
  CHECK(Selected("{ou: \"Workloads/**\"}") == Ids{"1", "2", "3"});  // not Workloads itself
  CHECK(Selected("{ou: Workloads}") == Ids{"4"});
  CHECK(Selected("{ou: \"*/Prod\"}") == Ids{"1"});
  CHECK(Selected("{ou: \"Workloads/**/Data\"}") == Ids{"3"});
  CHECK(Selected("{ou: \"Root/Security\"}") == Ids{"5"});
  CHECK(Selected("{ou: \"W*\"}") == Ids{"4"});
}

TEST_CASE("compile: OuGlobMatch and GlobMatch directly", "[compile][selector]") {
  CHECK(OuGlobMatch("Workloads/**", "Workloads/Prod"));
  CHECK(OuGlobMatch("Workloads/**", "Workloads/Prod/Data/Deep"));
  CHECK_FALSE(OuGlobMatch("Workloads/**", "Workloads"));
  CHECK_FALSE(OuGlobMatch("Workloads/**", "WorkloadsX/Prod"));
  CHECK_FALSE(OuGlobMatch("Workloads/*", "Workloads/Prod/Data"));
  CHECK(OuGlobMatch("**/Data", "Workloads/Prod/Data"));
  CHECK(OuGlobMatch("**/Data", "Data"));  // a leading ** may match no level
  CHECK(OuGlobMatch("Work?oads", "Workloads"));
  CHECK_FALSE(OuGlobMatch("Workloads", ""));
  CHECK(GlobMatch("AWSControlTower*", "AWSControlTowerAdmin"));
  CHECK_FALSE(GlobMatch("AWSControlTower*", "xAWSControlTower"));
  CHECK(GlobMatch("a?c", "abc"));
  CHECK_FALSE(GlobMatch("a?c", "ac"));
  CHECK(GlobMatch("*", ""));
}

TEST_CASE("compile: tag selectors AND their keys", "[compile][selector]") {
  CHECK(Selected("{tags: {team: payments}}") == Ids{"1", "2"});
  CHECK(Selected("{tags: {team: payments, tier: \"1\"}}") == Ids{"1"});
  CHECK(Selected("{tags: {team: data, tier: \"1\"}}").empty());
}

TEST_CASE("compile: name globs, all, and combined selectors", "[compile][selector]") {
  CHECK(Selected("{name: \"payments-*\"}") == Ids{"1", "2"});
  CHECK(Selected("{name: \"*-prod\"}") == Ids{"1", "3"});
  CHECK(Selected("{all: true}") == Ids{"1", "2", "3", "4", "5", "6"});
  CHECK(Selected("{environment: production, ou: \"Workloads/**\"}") == Ids{"1", "3"});
  CHECK(Selected("{environment: production, name: \"*-prod\", tags: {team: data}}") == Ids{"3"});
}

TEST_CASE("compile: a selector matching nothing is a warning, not an error", "[compile][selector]") {
  Result r = CompileOne(std::string(kAccounts) +
                        "assignments:\n  - {group: Ops, permission_set: ReadOnly, accounts: {environment: nowhere}}\n");
  REQUIRE(r.compiled);
  CHECK(r.out.desired.assignments.empty());
  REQUIRE(r.diags.items().size() == 1);
  CHECK(r.diags.items()[0].severity == Severity::kWarning);
  CHECK(r.diags.items()[0].message == "account selector matches no account");
}

TEST_CASE("compile: explicit lists by name and id, duplicates collapse", "[compile][accounts]") {
  Result r = CompileOne(
      std::string(kAccounts) +
      "assignments:\n"
      "  - {group: Ops, permission_set: ReadOnly, accounts: [payments-prod, \"222222222222\", \"111111111111\"]}\n"
      "  - {group: Ops, permission_set: ReadOnly, accounts: [data-prod]}\n"
      "  - {group: Ops, permission_set: ReadOnly, accounts: {environment: production}}\n");
  INFO(r.Rendered());
  REQUIRE(r.compiled);
  std::set<Assignment> want = {
      {PrincipalType::kGroup, "Ops", "ReadOnly", "111111111111"},
      {PrincipalType::kGroup, "Ops", "ReadOnly", "222222222222"},
      {PrincipalType::kGroup, "Ops", "ReadOnly", "333333333333"},
      {PrincipalType::kGroup, "Ops", "ReadOnly", "555555555555"},
  };
  CHECK(r.out.desired.assignments == want);
  // The origin of each assignment is the first declaration that made it.
  CHECK(r.out.origin.at({PrincipalType::kGroup, "Ops", "ReadOnly", "111111111111"}) == 0);
  CHECK(r.out.origin.at({PrincipalType::kGroup, "Ops", "ReadOnly", "333333333333"}) == 1);
  CHECK(r.out.origin.at({PrincipalType::kGroup, "Ops", "ReadOnly", "555555555555"}) == 2);
}

TEST_CASE("compile: a single account written without brackets", "[compile][accounts]") {
  Result r = CompileOne(std::string(kAccounts) +
                        "assignments:\n  - {group: Ops, permission_set: ReadOnly, accounts: security}\n");
  REQUIRE(r.compiled);
  CHECK(r.out.desired.assignments == std::set<Assignment>{{PrincipalType::kGroup, "Ops", "ReadOnly", "555555555555"}});
}

TEST_CASE("compile: expired assignments are dropped with a note, today injected", "[compile][expiry]") {
  std::string text = std::string(kAccounts) +
                     "users:\n  - {user_name: carol}\n"
                     "assignments:\n"
                     "  - user: carol\n"
                     "    permission_set: ReadOnly\n"
                     "    accounts: [payments-prod, security]\n"
                     "    expires: 2027-01-31\n"
                     "    reason: INC-4711\n";
  SECTION("the day itself still grants access") {
    Result r = CompileOne(text, "2027-01-31");
    REQUIRE(r.compiled);
    CHECK(r.out.desired.assignments.size() == 2);
    CHECK(r.out.expired.empty());
    CHECK(r.out.notes.empty());
  }
  SECTION("the day after removes it") {
    Result r = CompileOne(text, "2027-02-01");
    REQUIRE(r.compiled);
    CHECK(r.out.desired.assignments.empty());
    REQUIRE(r.out.expired.size() == 2);
    CHECK(r.out.expired[0].first == Assignment{PrincipalType::kUser, "carol", "ReadOnly", "111111111111"});
    CHECK(r.out.expired[0].second == 0);
    REQUIRE(r.out.notes.size() == 1);
    CHECK(r.out.notes[0] == "access of user 'carol' to 'ReadOnly' expired on 2027-01-31; it is removed");
  }
}

TEST_CASE("compile: an expired declaration does not remove access another one grants", "[compile][expiry]") {
  Result r = CompileOne(
      std::string(kAccounts) +
          "assignments:\n"
          "  - {group: Ops, permission_set: ReadOnly, accounts: [security], expires: 2020-01-01}\n"
          "  - {group: Ops, permission_set: ReadOnly, accounts: [security, payments-prod], expires: 2020-01-01}\n"
          "  - {group: Ops, permission_set: ReadOnly, accounts: [security]}\n",
      "2026-06-01");
  REQUIRE(r.compiled);
  CHECK(r.out.desired.assignments == std::set<Assignment>{{PrincipalType::kGroup, "Ops", "ReadOnly", "555555555555"}});
  REQUIRE(r.out.expired.size() == 1);
  CHECK(r.out.expired[0].first.account_id == "111111111111");
}

TEST_CASE("compile: managed policy short names become ARNs", "[compile][policies]") {
  Result r = CompileOne(
      "permission_sets:\n"
      "  - name: Mixed\n"
      "    managed_policies: [PowerUserAccess, job-function/ViewOnlyAccess, "
      "\"arn:aws:iam::aws:policy/ReadOnlyAccess\", \"arn:aws:iam::aws:policy/service-role/AWSConfigRole\"]\n");
  INFO(r.Rendered());
  REQUIRE(r.compiled);
  CHECK(r.out.desired.permission_sets.at("Mixed").managed_policies ==
        std::set<std::string>{
            "arn:aws:iam::aws:policy/PowerUserAccess", "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
            "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/service-role/AWSConfigRole"});
  CHECK(ManagedPolicyArn("job-function/ViewOnlyAccess") == "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess");
  CHECK(ManagedPolicyArn("arn:aws:iam::aws:policy/X") == "arn:aws:iam::aws:policy/X");
}

TEST_CASE("compile: a bad managed policy reference and a duplicate are errors", "[compile][policies]") {
  Result r = CompileOne(
      "permission_sets:\n"
      "  - name: Bad\n"
      "    managed_policies: [\"Power User\", ReadOnlyAccess, \"arn:aws:iam::aws:policy/ReadOnlyAccess\"]\n");
  REQUIRE_FALSE(r.checked);
  REQUIRE(r.diags.ErrorCount() == 2);
  CHECK(r.diags.items()[0].message == "'Power User' is not an AWS managed policy name or ARN");
  CHECK(r.diags.items()[1].message == "managed policy 'arn:aws:iam::aws:policy/ReadOnlyAccess' is listed twice");
}

TEST_CASE("compile: inline policies are canonical regardless of key order and formatting", "[compile][policies]") {
  Result block = CompileOne(
      "permission_sets:\n"
      "  - name: P\n"
      "    inline_policy:\n"
      "      Version: \"2012-10-17\"\n"
      "      Statement:\n"
      "        - Effect: Deny\n"
      "          Action: [cloudtrail:DeleteTrail, logs:DeleteLogGroup]\n"
      "          Resource: \"*\"\n"
      "          Condition: {Bool: {aws:MultiFactorAuthPresent: false}, NumericLessThan: {aws:MultiFactorAuthAge: "
      "3600}}\n");
  Result flow = CompileOne(
      "permission_sets:\n"
      "  - name: P\n"
      "    inline_policy: {Statement: [{Resource: '*', Condition: {NumericLessThan: {\"aws:MultiFactorAuthAge\": "
      "3600}, "
      "Bool: {\"aws:MultiFactorAuthPresent\": false}}, Action: [\"cloudtrail:DeleteTrail\", 'logs:DeleteLogGroup'],\n"
      "        Effect: Deny}], Version: '2012-10-17'}\n");
  Result file =
      Compile({{"config.yaml", "permission_sets:\n  - name: P\n    inline_policy_file: policies/p.json\n"},
               {"policies/p.json",
                "{\n  \"Statement\": [ {\n    \"Condition\": {\"Bool\": {\"aws:MultiFactorAuthPresent\": false},\n"
                "      \"NumericLessThan\": {\"aws:MultiFactorAuthAge\": 3600}},\n"
                "    \"Effect\":\"Deny\", \"Resource\":\"*\",\n"
                "    \"Action\": [\"cloudtrail:DeleteTrail\",\"logs:DeleteLogGroup\"] } ],\n"
                "  \"Version\": \"2012-10-17\"\n}\n"}});
  INFO(block.Rendered() << flow.Rendered() << file.Rendered());
  REQUIRE(block.compiled);
  REQUIRE(flow.compiled);
  REQUIRE(file.compiled);
  const std::string canonical =
      R"({"Statement":[{"Action":["cloudtrail:DeleteTrail","logs:DeleteLogGroup"],)"
      R"("Condition":{"Bool":{"aws:MultiFactorAuthPresent":false},"NumericLessThan":{"aws:MultiFactorAuthAge":3600}},)"
      R"("Effect":"Deny","Resource":"*"}],"Version":"2012-10-17"})";
  CHECK(block.out.desired.permission_sets.at("P").inline_policy == canonical);
  CHECK(flow.out.desired.permission_sets.at("P").inline_policy == canonical);
  CHECK(file.out.desired.permission_sets.at("P").inline_policy == canonical);
  // And so they compare equal as whole permission sets.
  CHECK(block.out.desired.permission_sets.at("P") == file.out.desired.permission_sets.at("P"));
}

TEST_CASE("compile: a policy file outside the config directory is refused", "[compile][policies]") {
  Result r =
      Compile({{"sub/config.yaml", "permission_sets:\n  - name: P\n    inline_policy_file: ../../etc/p.json\n"}});
  REQUIRE_FALSE(r.checked);
  REQUIRE(r.diags.ErrorCount() == 1);
  CHECK(r.diags.items()[0].message == "inline_policy_file '../../etc/p.json' is outside the config directory");
}

TEST_CASE("compile: users, groups and memberships compile; display name defaults", "[compile]") {
  Result r = CompileOne(
      "users:\n"
      "  - {user_name: alice, given_name: Alice, family_name: Liddell, email: alice@example.com}\n"
      "  - {user_name: bob}\n"
      "groups:\n"
      "  - {name: DevOps, description: Platform, members: [alice, bob]}\n"
      "  - {name: Empty}\n");
  REQUIRE(r.compiled);
  const auto& s = r.out.desired;
  CHECK(s.users.at("alice").display_name == "Alice Liddell");
  CHECK(s.users.at("bob").display_name == "bob");
  CHECK(s.groups.at("DevOps").description == "Platform");
  CHECK(s.memberships == std::set<Membership>{{"DevOps", "alice"}, {"DevOps", "bob"}});
}

TEST_CASE("compile: sections merge across files; settings in two files is an error naming both", "[compile]") {
  Result ok = Compile({{"a.yaml", "users:\n  - {user_name: alice}\n"}, {"b/c.yaml", "users:\n  - {user_name: bob}\n"}});
  REQUIRE(ok.compiled);
  CHECK(ok.out.desired.users.size() == 2);

  Result bad = Compile({{"a.yaml", "settings: {mode: additive}\n"}, {"b.yaml", "\n\nsettings: {mode: additive}\n"}});
  REQUIRE_FALSE(bad.checked);
  CHECK(bad.Rendered() ==
        "b.yaml:3:1: error: 'settings' is already declared in a.yaml:1\n"
        "  settings: {mode: additive}\n"
        "  ^~~~~~~~\n"
        "  note: first declared at a.yaml:1:1\n"
        "  help: 'settings' may be written in one file only; merge the two\n");
}

TEST_CASE("diagnostics: an unknown field, rendered exactly", "[compile][diagnostics]") {
  Result r = CompileOne("users:\n  - user_name: alice\n    emial: alice@example.com\n");
  REQUIRE_FALSE(r.checked);
  CHECK(r.Rendered() ==
        "config.yaml:3:5: error: unknown field 'emial' in a user; did you mean 'email'?\n"
        "      emial: alice@example.com\n"
        "      ^~~~~\n"
        "  help: allowed fields: user_name, display_name, given_name, family_name, email\n");
}

TEST_CASE("diagnostics: an unquoted account id, rendered exactly", "[compile][diagnostics]") {
  Result r = CompileOne("accounts:\n  - id: 012345678901\n    name: x\n");
  REQUIRE_FALSE(r.checked);
  CHECK(r.Rendered() ==
        "config.yaml:2:9: error: account id 012345678901 must be quoted\n"
        "    - id: 012345678901\n"
        "          ^~~~~~~~~~~~\n"
        "  help: write id: \"012345678901\"; YAML reads an unquoted id as a number and drops leading zeros\n");
}

TEST_CASE("diagnostics: an undeclared group with a suggestion, rendered exactly", "[compile][diagnostics]") {
  Result r = CompileOne(
      "groups:\n  - name: DevOps\n"
      "permission_sets:\n  - name: ReadOnly\n"
      "accounts:\n  - {id: \"111111111111\", name: prod}\n"
      "assignments:\n"
      "  - group: DevOp\n"
      "    permission_set: ReadOnly\n"
      "    accounts: [prod]\n");
  REQUIRE_FALSE(r.checked);
  CHECK(r.Rendered() ==
        "config.yaml:8:12: error: group 'DevOp' is not declared; did you mean 'DevOps'?\n"
        "    - group: DevOp\n"
        "             ^~~~~\n"
        "  help: declare it under 'groups'\n");
}

TEST_CASE("diagnostics: a duplicate YAML key, rendered exactly", "[compile][diagnostics]") {
  Result r = CompileOne("users:\n  - user_name: alice\n    email: a@example.com\n    email: b@example.com\n");
  REQUIRE_FALSE(r.checked);
  CHECK(r.Rendered() ==
        "config.yaml:4:5: error: duplicate key 'email'\n"
        "      email: b@example.com\n"
        "      ^~~~~\n"
        "  help: first defined at line 3; YAML keeps only one of them, so remove or merge the other\n");
}

TEST_CASE("diagnostics: every problem is reported in one run", "[compile][diagnostics]") {
  Result r = CompileOne(
      "users:\n  - {user_name: alice, email: not-an-email}\n"
      "permission_sets:\n  - {name: \"bad name!\", session_duration: PT13H}\n"
      "accounts:\n  - {id: \"12345\", name: short}\n");
  REQUIRE_FALSE(r.checked);
  std::vector<std::string> msgs;
  for (const auto& d : r.diags.items()) msgs.push_back(d.message);
  CHECK(msgs == std::vector<std::string>{
                    "'not-an-email' is not an email address",
                    "permission set name 'bad name!' contains a character AWS does not allow",
                    "session_duration 'PT13H' is outside PT1H..PT12H",
                    "account id '12345' is not 12 digits",
                });
}

TEST_CASE("compile: duplicate declarations are errors, case-insensitively for users", "[compile]") {
  Result r = CompileOne("users:\n  - {user_name: alice}\n  - {user_name: Alice}\n");
  REQUIRE_FALSE(r.checked);
  REQUIRE(r.diags.ErrorCount() == 1);
  CHECK(r.diags.items()[0].message == "user 'Alice' clashes with 'alice' (names are case-insensitive)");
  CHECK(r.diags.items()[0].span.line == 3);
}

TEST_CASE("compile: ParseIsoDuration and IsIsoDate", "[compile]") {
  CHECK(ParseIsoDuration("PT4H") == 4 * 3600);
  CHECK(ParseIsoDuration("PT1H30M") == 5400);
  CHECK(ParseIsoDuration("PT") == -1);
  CHECK(ParseIsoDuration("4h") == -1);
  CHECK(IsIsoDate("2028-02-29"));
  CHECK_FALSE(IsIsoDate("2027-02-29"));
  CHECK_FALSE(IsIsoDate("2027-13-01"));
  CHECK_FALSE(IsIsoDate("27-01-01"));
}
