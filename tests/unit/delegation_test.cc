// Tests for compiler/delegation.h: what a delegated administrator may not
// change in the management account is refused at its declaration.

#include <catch2/catch.hpp>

#include <string>

#include "compiler/check.h"
#include "compiler/compile.h"
#include "compiler/config_loader.h"
#include "compiler/delegation.h"
#include "compiler/diff.h"
#include "views/diagnostics_view.h"

using namespace gatehouse;

namespace {

class OneFile : public SourceReader {
 public:
  explicit OneFile(std::string text) : text_(std::move(text)) {}
  std::vector<std::string> ListYamlFiles(Diagnostics*) override { return {"config.yaml"}; }
  bool Read(const std::string&, std::string* text, std::string*) override {
    *text = text_;
    return true;
  }

 private:
  std::string text_;
};

const char* kConfig = R"(accounts:
  - {id: "111111111111", name: org-management}
  - {id: "222222222222", name: payments-prod}
groups:
  - name: Ops
permission_sets:
  - name: ReadOnly
    managed_policies: [ReadOnlyAccess]
    session_duration: PT4H
  - name: Dev
    managed_policies: [PowerUserAccess]
assignments:
  - group: Ops
    permission_set: Dev
    accounts: [payments-prod]
  - group: Ops
    permission_set: ReadOnly
    accounts: [org-management, payments-prod]
)";

struct Planned {
  Config config;
  SourceFiles sources;
  CompiledConfig compiled;
  DirectoryState live;
  Plan plan;
};

/// Plans kConfig against a live directory that already holds everything but
/// ReadOnly's new session duration and the ReadOnly assignment in 111111111111.
void PlanIt(Planned* p) {
  OneFile reader(kConfig);
  Diagnostics diags;
  REQUIRE(CheckConfig(reader, &p->config, &p->sources, &diags));
  CompileOptions opt;
  opt.today = "2026-06-01";
  REQUIRE(CompileConfig(p->config, opt, &p->compiled, &diags));
  p->live = p->compiled.desired;
  p->live.permission_sets["ReadOnly"].session_duration = "PT1H";
  p->live.permission_sets["ReadOnly"].outdated_accounts = {"111111111111"};
  p->live.assignments.erase(Assignment{PrincipalType::kGroup, "Ops", "ReadOnly", "111111111111"});
  REQUIRE(DiffStates(p->compiled.desired, p->live, p->config.settings, &p->plan, &diags));
}

}  // namespace

TEST_CASE("delegation: who is a delegated administrator", "[delegation]") {
  Settings s;
  CHECK_FALSE(IsDelegatedAdministrator(s, "", ""));
  CHECK_FALSE(IsDelegatedAdministrator(s, "111111111111", "111111111111"));
  CHECK_FALSE(IsDelegatedAdministrator(s, "222222222222", ""));  // unknown management account
  CHECK(IsDelegatedAdministrator(s, "222222222222", "111111111111"));
  s.delegated_admin = true;
  CHECK(IsDelegatedAdministrator(s, "", ""));
}

TEST_CASE("delegation: management-account assignments and sets provisioned there fail at their lines", "[delegation]") {
  Planned p;
  PlanIt(&p);
  Diagnostics d;
  CheckDelegatedAdministration(p.config, p.compiled, p.live, p.plan, "111111111111", &d);
  REQUIRE(d.ErrorCount() == 2);
  std::string text = RenderDiagnostics(d, p.sources, false);
  CHECK(text.find("config.yaml:16:") != std::string::npos);
  CHECK(text.find("error: a delegated administrator cannot create an assignment in the management account "
                  "111111111111 (org-management)") != std::string::npos);
  CHECK(text.find("config.yaml:7:") != std::string::npos);
  CHECK(text.find("error: permission set 'ReadOnly' is provisioned to the management account") != std::string::npos);
  CHECK(text.find(kDelegatedAdminDocs) != std::string::npos);
  // Dev is not provisioned there: its changes (none here) and payments-prod are fine.
  Diagnostics none;
  CheckDelegatedAdministration(p.config, p.compiled, p.live, p.plan, "", &none);
  CHECK(none.items().empty());
}
