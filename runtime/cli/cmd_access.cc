#include <iostream>

#include "compiler/access.h"
#include "runtime/access_report.h"
#include "runtime/cli/common.h"

namespace gatehouse::cli {

void RegisterAccess(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("access", "who can enter which account with which permission set, and how");
  AddConfigOptions(cmd, c, true);
  static bool live = false;
  static std::string user, account, permission_set, format = "text", out;
  cmd->add_flag("--live", live, "report the live directory instead of the config");
  cmd->add_option("--user", user, "only this user (case-insensitive)");
  cmd->add_option("--account", account, "only this account (name or id)");
  cmd->add_option("--permission-set", permission_set, "only this permission set");
  cmd->add_option("--format", format, "text, csv, json, markdown or html")
      ->check(CLI::IsMember({"text", "csv", "json", "markdown", "html"}));
  cmd->add_option("--out", out, "write the report to FILE");
  cmd->callback([c, rc]() {
    Finalize(c, format != "text");
    LoadedConfig loaded;
    if (!Load(*c, &loaded)) return void(*rc = kError);
    DirectoryState state;
    if (live) {
      std::unique_ptr<Target> target;
      PlanInputs in;
      if (!Plan(*c, &loaded, &target, &in)) return void(*rc = kError);
      state = in.live;
    } else {
      CompileOptions co;
      co.today = c->run.today;
      CompiledConfig compiled;
      if (loaded.config.settings.discover_accounts) {
        std::unique_ptr<Target> target;
        PlanInputs in;
        if (!Plan(*c, &loaded, &target, &in)) return void(*rc = kError);
        compiled = in.compiled;
      } else if (!CompileConfig(loaded.config, co, &compiled, &loaded.diags)) {
        PrintDiagnostics(loaded, c->run.color);
        return void(*rc = kError);
      }
      state = compiled.desired;
    }
    const std::string source = live ? "live directory" : "configuration";
    AccessFilter f{user, account, permission_set};
    if (std::string err = CheckAccessFilter(state, f, source); !err.empty()) {
      std::cerr << "error: " << err << "\n";
      return void(*rc = kError);
    }
    auto entries = FilterAccess(EffectiveAccess(state, DefaultClassifier()), f);
    std::string text = RenderAccess(entries, format, source);
    if (!WriteOutput(out, text)) return void(*rc = kError);
    *rc = kOk;
  });
}

}  // namespace gatehouse::cli
