// Effective access, access changes in plans, the plan as a PR comment, and the
// access report formats.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "compiler/access.h"
#include "operations/access_filter.h"
#include "views/access_html.h"
#include "views/access_view.h"
#include "views/plan_markdown.h"

using namespace gatehouse;

namespace {

PermissionSet Set(const std::string& name, const std::string& policy) {
  PermissionSet p;
  p.name = name;
  p.managed_policies.insert("arn:aws:iam::aws:policy/" + policy);
  return p;
}

/// alice: Admins + Devs; bob: Devs; carol: direct ReadOnly; Empty has no members.
DirectoryState Directory() {
  DirectoryState s;
  for (const char* u : {"alice", "bob", "carol"}) s.users[u].user_name = u;
  for (const char* g : {"Admins", "Devs", "Empty"}) s.groups[g].name = g;
  s.memberships = {{"Admins", "alice"}, {"Devs", "alice"}, {"Devs", "bob"}};
  s.permission_sets["AdministratorAccess"] = Set("AdministratorAccess", "AdministratorAccess");
  s.permission_sets["ReadOnly"] = Set("ReadOnly", "ReadOnlyAccess");
  s.permission_sets["DevAccess"] = Set("DevAccess", "PowerUserAccess");
  s.accounts["111111111111"] = Account{"111111111111", "payments-prod", "", "production", {}};
  s.accounts["222222222222"] = Account{"222222222222", "payments-dev", "", "development", {}};
  auto group = PrincipalType::kGroup;
  auto user = PrincipalType::kUser;
  s.assignments = {{group, "Admins", "AdministratorAccess", "111111111111"},
                   {group, "Devs", "DevAccess", "222222222222"},
                   {group, "Devs", "ReadOnly", "111111111111"},
                   {user, "alice", "ReadOnly", "111111111111"},
                   {user, "carol", "ReadOnly", "222222222222"},
                   {group, "Empty", "AdministratorAccess", "222222222222"}};
  return s;
}

/// Stands in for the IAM analyzer: classifies by the attached managed policy.
std::string Classify(const PermissionSet& p) {
  for (const auto& arn : p.managed_policies) {
    if (arn.ends_with("/AdministratorAccess")) return "admin";
    if (arn.ends_with("/ReadOnlyAccess")) return "read-only";
    if (arn.ends_with("/PowerUserAccess")) return "write";
  }
  return "";
}

std::string Row(const AccessEntry& e) {
  std::string via;
  for (const auto& v : e.via) via += (via.empty() ? "" : ",") + v;
  return e.user + " " + e.account_id + " " + e.permission_set + " via " + via + " [" + e.privilege + "]";
}

}  // namespace

// The access view `access --format FORMAT` picks.
std::string RenderAccess(const std::vector<AccessEntry>& entries, const std::string& format,
                         const std::string& source) {
  return RenderAccessView(format, AccessView{&entries, source});
}

TEST_CASE("effective access lists every user, account and permission set with its paths, sorted") {
  auto entries = EffectiveAccess(Directory(), Classify);
  std::vector<std::string> rows;
  for (const auto& e : entries) rows.push_back(Row(e));
  CHECK(rows == std::vector<std::string>{
                    "alice 111111111111 AdministratorAccess via Admins [admin]",
                    "alice 111111111111 ReadOnly via direct,Devs [read-only]",
                    "alice 222222222222 DevAccess via Devs [write]",
                    "bob 111111111111 ReadOnly via Devs [read-only]",
                    "bob 222222222222 DevAccess via Devs [write]",
                    "carol 222222222222 ReadOnly via direct [read-only]",
                });
  CHECK(entries[0].account_name == "payments-prod");
}

TEST_CASE("effective access without a classifier leaves privilege unknown") {
  for (const auto& e : EffectiveAccess(Directory())) CHECK(e.privilege.empty());
}

TEST_CASE("an account missing from the state keeps its id and an empty name") {
  DirectoryState s = Directory();
  s.accounts.erase("222222222222");
  auto entries = FilterAccess(EffectiveAccess(s), AccessFilter{"carol", "", ""});
  REQUIRE(entries.size() == 1);
  CHECK(entries[0].account_id == "222222222222");
  CHECK(entries[0].account_name.empty());
}

TEST_CASE("adding a user to an admin group shows the new admin access first") {
  DirectoryState live = Directory();
  DirectoryState desired = live;
  desired.memberships.insert({"Admins", "bob"});
  desired.memberships.erase({"Devs", "bob"});
  desired.users["dave"].user_name = "dave";
  desired.assignments.insert({PrincipalType::kUser, "dave", "ReadOnly", "111111111111"});
  auto changes = AccessChanges(live, desired, Classify);
  std::vector<std::string> lines;
  for (const auto& c : changes) lines.push_back(DescribeAccessChange(c));
  CHECK(lines == std::vector<std::string>{
                     "bob gains AdministratorAccess on payments-prod (111111111111) via group Admins [admin]",
                     "bob loses DevAccess on payments-dev (222222222222) via group Devs [write]",
                     "dave gains ReadOnly on payments-prod (111111111111) via direct assignment [read-only]",
                     "bob loses ReadOnly on payments-prod (111111111111) via group Devs [read-only]",
                 });
}

TEST_CASE("a second path to access a user already has is not an access change") {
  DirectoryState live = Directory();
  DirectoryState desired = live;
  desired.assignments.insert({PrincipalType::kUser, "bob", "ReadOnly", "111111111111"});
  CHECK(AccessChanges(live, desired, Classify).empty());
}

TEST_CASE("privilege rank orders admin, permissions management, write, read-only, unknown") {
  CHECK(PrivilegeRank("admin") < PrivilegeRank("permissions-management"));
  CHECK(PrivilegeRank("permissions-management") < PrivilegeRank("write"));
  CHECK(PrivilegeRank("write") < PrivilegeRank("read-only"));
  CHECK(PrivilegeRank("read-only") < PrivilegeRank(""));
  CHECK(IsPrivileged("admin"));
  CHECK(IsPrivileged("permissions-management"));
  CHECK_FALSE(IsPrivileged("write"));
}

TEST_CASE("access filters ignore case and match an account by name or id") {
  auto all = EffectiveAccess(Directory(), Classify);
  CHECK(FilterAccess(all, AccessFilter{"ALICE", "", ""}).size() == 3);
  CHECK(FilterAccess(all, AccessFilter{"", "payments-dev", ""}).size() == 3);
  CHECK(FilterAccess(all, AccessFilter{"", "222222222222", "readonly"}).size() == 1);
  CHECK(FilterAccess(all, AccessFilter{"bob", "payments-prod", "ReadOnly"}).size() == 1);
}

TEST_CASE("an unknown name in an access filter is an error with a suggestion") {
  DirectoryState s = Directory();
  CHECK(CheckAccessFilter(s, AccessFilter{"alice", "payments-prod", "ReadOnly"}, "configuration").empty());
  CHECK(CheckAccessFilter(s, AccessFilter{"alcie", "", ""}, "configuration") ==
        "user 'alcie' is not in the configuration; did you mean 'alice'?");
  CHECK(CheckAccessFilter(s, AccessFilter{"", "payments-prd", ""}, "live directory") ==
        "account 'payments-prd' is not in the live directory; did you mean 'payments-prod'?");
  CHECK(CheckAccessFilter(s, AccessFilter{"", "", "Nope"}, "configuration") ==
        "permission set 'Nope' is not in the configuration");
}

TEST_CASE("access JSON follows the format_version 1 contract") {
  auto entries = FilterAccess(EffectiveAccess(Directory(), Classify), AccessFilter{"alice", "", "ReadOnly"});
  auto j = nlohmann::json::parse(RenderAccess(entries, "json", "configuration"));
  CHECK(j["format_version"] == "1");
  REQUIRE(j["access"].size() == 1);
  const auto& e = j["access"][0];
  CHECK(e["user"] == "alice");
  CHECK(e["account_id"] == "111111111111");
  CHECK(e["account_name"] == "payments-prod");
  CHECK(e["permission_set"] == "ReadOnly");
  CHECK(e["via"] == nlohmann::json{"direct", "Devs"});
  CHECK(e["privilege"] == "read-only");
}

TEST_CASE("access CSV quotes separators and defuses spreadsheet formulas") {
  AccessEntry e{"=cmd", "111111111111", "prod, eu", "Read\"Only", {"direct", "A"}, ""};
  CHECK(RenderAccess({e}, "csv", "configuration") ==
        "user,account_id,account_name,permission_set,via,privilege\n"
        "'=cmd,111111111111,\"prod, eu\",\"Read\"\"Only\",direct;A,\n");
}

TEST_CASE("access text groups rows by user and marks privileged ones") {
  auto entries = FilterAccess(EffectiveAccess(Directory(), Classify), AccessFilter{"alice", "", ""});
  CHECK(RenderAccess(entries, "text", "configuration") ==
        "alice\n"
        "  payments-prod (111111111111)  AdministratorAccess  via Admins  [admin, privileged]\n"
        "  payments-prod (111111111111)  ReadOnly  via direct, Devs  [read-only]\n"
        "  payments-dev (222222222222)  DevAccess  via Devs  [write]\n"
        "\n3 access path(s): 1 user(s), 2 account(s), 1 privileged, in the configuration.\n");
  CHECK(RenderAccess({}, "text", "live directory") == "No access found in the live directory.\n");
}

TEST_CASE("access markdown escapes user text and bolds privileged rows") {
  AccessEntry e{"a|b", "111111111111", "prod", "Admin_All", {"direct"}, "admin"};
  std::string md = RenderAccess({e}, "markdown", "configuration");
  CHECK(md.find("| a\\|b | prod (111111111111) | Admin\\_All | direct | **admin** |") != std::string::npos);
}

TEST_CASE("the HTML report is self-contained, escaped, and marks privileged rows") {
  AccessEntry admin{"<script>x</script>", "111111111111", "prod", "Admin", {"Admins"}, "admin"};
  AccessEntry read{"bob", "111111111111", "prod", "ReadOnly", {"direct"}, "read-only"};
  std::string html = RenderAccessHtml({admin, read}, "configuration");
  CHECK(html.find("<script>x</script>") == std::string::npos);
  CHECK(html.find("&lt;script&gt;x&lt;/script&gt;") != std::string::npos);
  CHECK(html.find("default-src 'none'") != std::string::npos);
  for (const char* external : {"src=\"http", "href=\"http", "src=\"//", "@import", "url("})
    CHECK(html.find(external) == std::string::npos);
  CHECK(html.find("<tr class=\"privileged\" data-user=\"&lt;script&gt;") != std::string::npos);
  CHECK(html.find("<tr data-user=\"bob\"") != std::string::npos);
}

namespace {

Operation Op(ObjectKind kind, Action action, const std::string& name) {
  Operation op;
  op.kind = kind;
  op.action = action;
  op.name = name;
  return op;
}

AccessChange Change(bool gained, const std::string& user, const std::string& set, const std::string& privilege) {
  return AccessChange{gained ? AccessChangeKind::kGain : AccessChangeKind::kLose,
                      user,
                      set,
                      "111111111111",
                      "payments-prod",
                      {"Admins"},
                      privilege,
                      "",
                      {},
                      {},
                      ""};
}

}  // namespace

TEST_CASE("plan markdown has the marker, counts, findings, access changes and collapsible resource changes") {
  Plan plan;
  plan.operations = {Op(ObjectKind::kMembership, Action::kCreate, "Admins/bob"),
                     Op(ObjectKind::kAssignment, Action::kDelete, "Devs->ReadOnly@111111111111")};
  plan.access_changes = {Change(true, "bob", "AdministratorAccess", "admin"),
                         Change(false, "bob", "ReadOnly", "read-only")};
  std::vector<Diagnostic> findings(1);
  findings[0].severity = Severity::kWarning;
  findings[0].code = "no-user-assignments";
  findings[0].message = "assign groups, not user 'bob'";
  findings[0].span = SourceSpan{"assignments.yaml", 4, 3, 1};
  MarkdownOptions mo;
  mo.findings = &findings;
  std::string md = RenderPlanMarkdown(plan, mo);
  CHECK(
      md.starts_with("<!-- gatehouse:plan -->\n### Gatehouse plan\n\n"
                     "**1 to create, 0 to update, 1 to delete, 0 to replace.**\n\n"
                     "Access: 1 gained, 1 removed, **1 privileged grant**.\n\n"
                     "Lint: 0 errors, 1 warning, 0 notes.\n\n"));
  CHECK(md.find("- ⚠️ **warning** `no-user-assignments` assign groups, not user 'bob' (`assignments.yaml:4`)") !=
        std::string::npos);
  size_t admin =
      md.find("| 🟢 gains | bob | AdministratorAccess | payments-prod (111111111111) | group Admins | **admin** |");
  size_t lose = md.find("| 🔴 loses | bob | ReadOnly |");
  CHECK(admin != std::string::npos);
  CHECK(lose != std::string::npos);
  CHECK(admin < lose);
  CHECK(md.find("<details><summary>membership: 1 change</summary>\n\n```diff\n+ Admins/bob\n```\n</details>") !=
        std::string::npos);
  CHECK(md.find("- Devs->ReadOnly@111111111111\n") != std::string::npos);
  CHECK(md.find("Truncated") == std::string::npos);
}

TEST_CASE("plan markdown for an empty plan says so") {
  std::string md = RenderPlanMarkdown(Plan{}, MarkdownOptions{});
  CHECK(md ==
        "<!-- gatehouse:plan -->\n### Gatehouse plan\n\n"
        "**No changes.** The live directory matches the configuration.\n\n");
}

TEST_CASE("plan markdown of thousands of changes stays under the comment limit and says what was cut") {
  Plan plan;
  for (int i = 0; i < 5000; ++i) {
    std::string user = "user" + std::to_string(i);
    plan.operations.push_back(Op(ObjectKind::kAssignment, Action::kCreate, user + "->ReadOnly@111111111111"));
    plan.access_changes.push_back(Change(true, user, "ReadOnly", "read-only"));
  }
  // The one privileged grant sorts first, as AccessChanges orders them.
  plan.access_changes.insert(plan.access_changes.begin(), Change(true, "mallory", "AdministratorAccess", "admin"));
  std::vector<Diagnostic> findings(3000);
  for (auto& f : findings) {
    f.severity = Severity::kWarning;
    f.code = "no-user-assignments";
    f.message = "assign groups, not users";
    f.span = SourceSpan{"assignments.yaml", 7, 3, 1};
  }
  findings.back().severity = Severity::kError;
  MarkdownOptions mo;
  mo.findings = &findings;
  std::string md = RenderPlanMarkdown(plan, mo);
  CHECK(md.size() <= 65536);
  CHECK(md.size() > 60000);
  CHECK(md.find("**5000 to create") != std::string::npos);
  // The error outranks the warnings; the privileged grant is shown.
  CHECK(md.find("❌ **error**") < md.find("⚠️ **warning**"));
  CHECK(md.find("| 🟢 gains | mallory | AdministratorAccess |") != std::string::npos);
  // The truncation note counts exactly what is missing.
  size_t shown_findings = 0, shown_access = 0, shown_ops = 0;
  for (size_t p = 0; (p = md.find("\n- ", p)) != std::string::npos; ++p) ++shown_findings;
  for (size_t p = 0; (p = md.find("\n| 🟢 gains", p)) != std::string::npos; ++p) ++shown_access;
  for (size_t p = 0; (p = md.find("\n+ user", p)) != std::string::npos; ++p) ++shown_ops;
  std::string note =
      "**Truncated** to fit the 65536-character comment limit: " + std::to_string(3000 - shown_findings) +
      " lint findings, " + std::to_string(5001 - shown_access) + " access changes and " +
      std::to_string(5000 - shown_ops) + " resource changes are not shown.";
  CHECK(md.find(note) != std::string::npos);
  CHECK(md.find("… and " + std::to_string(5000 - shown_ops) + " more not shown\n```\n</details>") != std::string::npos);
}

TEST_CASE("plan markdown honours a small limit and keeps fences closed") {
  Plan plan;
  for (int i = 0; i < 200; ++i)
    plan.operations.push_back(Op(ObjectKind::kUser, Action::kCreate, "user`" + std::to_string(i)));
  MarkdownOptions mo;
  mo.max_chars = 2000;
  std::string md = RenderPlanMarkdown(plan, mo);
  CHECK(md.size() <= 2000);
  CHECK(md.find("user`") == std::string::npos);
  size_t fences = 0;
  for (size_t p = 0; (p = md.find("```", p)) != std::string::npos; p += 3) ++fences;
  CHECK(fences % 2 == 0);
  CHECK(md.find("resource changes are not shown") != std::string::npos);
}

// The JSON view streams its text by hand; it must stay byte for byte what a
// JSON library prints, whatever the names hold.
TEST_CASE("streamed access JSON is exactly nlohmann's dump(2), escapes included") {
  std::vector<AccessEntry> entries = {
      {"al\"ice\\", "111111111111", "pay\tments\n\x01", "Ad\xC3\xA9min", {"direct", "G\x7F", "G\r\b\f"}, ""},
      {"bob", "222222222222", "", "ReadOnly", {"Devs"}, "read-only"},
  };
  nlohmann::json list = nlohmann::json::array();
  for (const auto& e : entries)
    list.push_back({{"user", e.user},
                    {"account_id", e.account_id},
                    {"account_name", e.account_name},
                    {"permission_set", e.permission_set},
                    {"via", e.via},
                    {"privilege", e.privilege.empty() ? nlohmann::json(nullptr) : nlohmann::json(e.privilege)}});
  CHECK(RenderAccess(entries, "json", "configuration") ==
        nlohmann::json{{"format_version", "1"}, {"access", list}}.dump(2) + "\n");
  std::vector<AccessEntry> none;
  CHECK(RenderAccess(none, "json", "configuration") ==
        nlohmann::json{{"format_version", "1"}, {"access", nlohmann::json::array()}}.dump(2) + "\n");
}
