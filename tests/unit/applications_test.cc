// Tests for Identity Center applications (issue 12): the `applications:` section
// and `application:` assignments (errors at file:line:col with did-you-mean),
// their compilation, the diff, the plan order and the local directory.

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "compiler/check.h"
#include "compiler/compile.h"
#include "compiler/config_loader.h"
#include "compiler/diff.h"
#include "runtime/local/local_target.h"
#include "tests/unit/temp_dir.h"
#include "views/diagnostics_view.h"

using namespace gatehouse;

namespace {

class OneFileReader : public SourceReader {
 public:
  explicit OneFileReader(std::string text) : text_(std::move(text)) {}
  std::vector<std::string> ListYamlFiles(Diagnostics*) override { return {"apps.yaml"}; }
  bool Read(const std::string&, std::string* text, std::string*) override {
    *text = text_;
    return true;
  }

 private:
  std::string text_;
};

struct Checked {
  bool ok = false;
  Config config;
  SourceFiles sources;
  Diagnostics diags;
  CompiledConfig out;
  std::string Rendered() const { return RenderDiagnostics(diags, sources, false); }
};

Checked CheckAndCompile(const std::string& text, const std::map<std::string, Application>* live_apps = nullptr) {
  Checked c;
  OneFileReader reader(text);
  c.ok = CheckConfig(reader, &c.config, &c.sources, &c.diags);
  if (!c.ok) return c;
  CompileOptions opt;
  opt.today = "2026-06-01";
  opt.live_applications = live_apps;
  c.ok = CompileConfig(c.config, opt, &c.out, &c.diags);
  return c;
}

const char* kPeople = R"(users:
  - {user_name: alice, display_name: Alice}
groups:
  - {name: Sales, members: [alice]}
)";

std::vector<std::string> Lines(const Plan& plan) {
  std::vector<std::string> out;
  for (const auto& op : plan.operations)
    out.push_back(std::string(ActionName(op.action)) + " " + ObjectKindName(op.kind) + " " + op.name);
  return out;
}

}  // namespace

TEST_CASE("applications: an undeclared application is an error at its line with did-you-mean", "[applications]") {
  Checked c = CheckAndCompile(std::string(kPeople) + R"(applications:
  - name: Salesforce
assignments:
  - group: Sales
    application: Salesforc
)");
  CHECK_FALSE(c.ok);
  CHECK(c.Rendered().find("apps.yaml:9:18: error: application 'Salesforc' is not declared; did you mean "
                          "'Salesforce'?") != std::string::npos);
}

TEST_CASE("applications: an assignment names an application or a permission set, never both", "[applications]") {
  Checked c = CheckAndCompile(std::string(kPeople) + R"(applications:
  - name: Salesforce
permission_sets:
  - name: ReadOnly
assignments:
  - group: Sales
    application: Salesforce
    permission_set: ReadOnly
)");
  CHECK_FALSE(c.ok);
  CHECK(c.Rendered().find("apps.yaml:12:5: error: an assignment grants an application or a permission set on "
                          "accounts, not both; 'permission_set' cannot go with 'application'") != std::string::npos);
}

TEST_CASE("applications: section errors (name and arn, unknown field, bad arn, duplicates)", "[applications]") {
  Checked c = CheckAndCompile(R"(applications:
  - name: Wiki
    arn: arn:aws:sso::111111111111:application/ssoins-1111222233334444/apl-1111222233334444
  - name: Jira
    assignment_requird: true
  - arn: not-an-arn
  - name: Jira
  - name: Confluence
    assignment_required: maybe
  - {}
)");
  CHECK_FALSE(c.ok);
  std::string r = c.Rendered();
  INFO(r);
  CHECK(r.find("apps.yaml:3:5: error: an application is named by 'name' or by 'arn', not both") != std::string::npos);
  CHECK(r.find("apps.yaml:5:5: error: unknown field 'assignment_requird' in an application; did you mean "
               "'assignment_required'?") != std::string::npos);
  CHECK(r.find("apps.yaml:6:10: error: 'not-an-arn' is not an application ARN") != std::string::npos);
  CHECK(r.find("apps.yaml:7:11: error: application 'Jira' is declared twice") != std::string::npos);
  CHECK(r.find("apps.yaml:9:26: error:") != std::string::npos);
  CHECK(r.find("apps.yaml:10:5: error: application needs a 'name' or an 'arn'") != std::string::npos);
}

TEST_CASE("applications: an assignment without permission_set or application says what it needs", "[applications]") {
  Checked c = CheckAndCompile(std::string(kPeople) + "assignments:\n  - group: Sales\n");
  CHECK_FALSE(c.ok);
  CHECK(c.Rendered().find("assignment needs a 'permission_set' (with 'accounts') or an 'application'") !=
        std::string::npos);
}

TEST_CASE("applications: compile, by name and by arn resolved against the live applications", "[applications]") {
  std::string arn = "arn:aws:sso::111111111111:application/ssoins-1111222233334444/apl-1111222233334444";
  std::string text = std::string(kPeople) + "applications:\n  - name: Salesforce\n    assignment_required: false\n" +
                     "  - arn: " + arn + "\nassignments:\n  - group: Sales\n    application: Salesforce\n" +
                     "  - user: alice\n    application: " + arn + "\n  - group: Sales\n    application: " + arn +
                     "\n    expires: 2026-01-01\n";
  std::map<std::string, Application> live;
  live["Office 365"] = Application{"Office 365", true, arn};
  Checked c = CheckAndCompile(text, &live);
  INFO(c.Rendered());
  REQUIRE(c.ok);
  const DirectoryState& d = c.out.desired;
  REQUIRE(d.applications.count("Salesforce"));
  CHECK(d.applications.at("Salesforce").assignment_required == false);
  REQUIRE(d.applications.count("Office 365"));
  CHECK_FALSE(d.applications.at("Office 365").assignment_required.has_value());
  CHECK(d.application_assignments == std::set<ApplicationAssignment>{{PrincipalType::kGroup, "Sales", "Salesforce"},
                                                                     {PrincipalType::kUser, "alice", "Office 365"}});
  REQUIRE(c.out.expired_applications.size() == 1);
  CHECK(c.out.expired_applications[0].first.application == "Office 365");
  // Without the live applications (validate, lint) it is named by its arn.
  Checked offline = CheckAndCompile(text);
  CHECK(offline.out.desired.applications.count(arn));
}

TEST_CASE("applications: diff creates, flips assignment_required and leaves undeclared ones alone",
          "[applications][diff]") {
  DirectoryState live;
  live.groups["Sales"] = Group{"Sales", "", "g-1"};
  live.groups["Support"] = Group{"Support", "", "g-2"};
  live.applications["Salesforce"] = Application{"Salesforce", false, "arn:sf"};
  live.applications["Jira"] = Application{"Jira", true, "arn:jira"};
  live.application_assignments = {{PrincipalType::kGroup, "Support", "Salesforce"},
                                  {PrincipalType::kGroup, "Support", "Jira"}};
  DirectoryState want;
  want.groups = live.groups;
  want.applications["Salesforce"] = Application{"Salesforce", true, ""};
  want.applications["Wiki"] = Application{"Wiki", std::nullopt, ""};
  want.application_assignments = {{PrincipalType::kGroup, "Sales", "Salesforce"},
                                  {PrincipalType::kGroup, "Sales", "Wiki"}};
  Plan plan;
  Diagnostics diags;
  REQUIRE(DiffStates(want, live, Settings{}, &plan, &diags));
  CHECK(Lines(plan) == std::vector<std::string>{"update application Salesforce", "create application Wiki",
                                                "create application_assignment group:Sales/application:Salesforce",
                                                "create application_assignment group:Sales/application:Wiki",
                                                "delete application_assignment group:Support/application:Salesforce"});
  // The new application is created with Identity Center's default.
  CHECK(std::get<Application>(*plan.operations[1].after).assignment_required == true);
  // assignment_required turns on only after Salesforce's new assignment; Wiki's
  // assignment waits for Wiki.
  CHECK(plan.operations[0].depends_on == std::vector<size_t>{2});
  CHECK(plan.operations[3].depends_on == std::vector<size_t>{1});
  // Unset assignment_required is left alone; mode additive deletes nothing.
  want.applications["Salesforce"].assignment_required.reset();
  Settings additive;
  additive.additive = true;
  REQUIRE(DiffStates(want, live, additive, &plan, &diags));
  CHECK(Lines(plan) == std::vector<std::string>{"create application Wiki",
                                                "create application_assignment group:Sales/application:Salesforce",
                                                "create application_assignment group:Sales/application:Wiki"});
}

TEST_CASE("applications: a deleted group's application assignments go first", "[applications][diff]") {
  DirectoryState live;
  live.groups["Old"] = Group{"Old", "", "g-1"};
  live.applications["Wiki"] = Application{"Wiki", true, "arn:wiki"};
  live.application_assignments = {{PrincipalType::kGroup, "Old", "Wiki"}};
  DirectoryState want;
  want.applications["Wiki"] = Application{"Wiki", true, ""};
  Plan plan;
  Diagnostics diags;
  REQUIRE(DiffStates(want, live, Settings{}, &plan, &diags));
  REQUIRE(Lines(plan) ==
          std::vector<std::string>{"delete group Old", "delete application_assignment group:Old/application:Wiki"});
  CHECK(plan.operations[0].depends_on == std::vector<size_t>{1});
}

TEST_CASE("applications: the local directory creates applications and keeps their assignments",
          "[applications][local]") {
  testing::TempDir dir;
  std::string path = dir.File("directory.json");
  DirectoryState want;
  want.groups["Sales"] = Group{"Sales", "", ""};
  want.applications["Salesforce"] = Application{"Salesforce", false, ""};
  want.application_assignments = {{PrincipalType::kGroup, "Sales", "Salesforce"}};
  {
    LocalTarget t(path);
    DirectoryState live;
    std::string err;
    REQUIRE(t.Read({}, &live, &err));
    Plan plan;
    Diagnostics diags;
    REQUIRE(DiffStates(want, live, Settings{}, &plan, &diags));
    for (const auto& op : plan.operations) REQUIRE(t.Apply(op).ok);
    REQUIRE(t.Commit(&err));
  }
  LocalTarget t(path);
  DirectoryState live;
  std::string err;
  REQUIRE(t.Read({}, &live, &err));
  REQUIRE(live.applications.count("Salesforce"));
  CHECK(live.applications.at("Salesforce").assignment_required == false);
  CHECK(live.applications.at("Salesforce").arn.find(":application/ssoins-local00000000000/apl-") != std::string::npos);
  CHECK(live.application_assignments == want.application_assignments);
  // An assignment to a user that does not exist fails, as in Identity Center.
  Operation op;
  op.kind = ObjectKind::kApplicationAssignment;
  op.after = ApplicationAssignment{PrincipalType::kUser, "nobody", "Salesforce"};
  OpResult r = t.Apply(op);
  CHECK_FALSE(r.ok);
  CHECK(r.error == "user 'nobody' does not exist");
}
