#include <iostream>

#include "runtime/cli/common.h"
#ifdef GATEHOUSE_HAVE_LINT
#include "compiler/lint/lint.h"
#endif

namespace gatehouse::cli {

void RegisterValidate(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("validate", "parse and validate a config directory; exit 0 valid, 1 errors");
  AddConfigOptions(cmd, c, false);
  cmd->callback([c, rc]() {
    Finalize(c, false);
    LoadedConfig loaded;
    bool ok = LoadConfigDir(c->run, &loaded);
    // Compile too (selectors, expiry) so validate reports what plan would, without the live side.
    if (ok) {
      CompileOptions co;
      co.today = c->run.today;
      CompiledConfig compiled;
      Diagnostics extra;
      if (!loaded.config.settings.discover_accounts) CompileConfig(loaded.config, co, &compiled, &extra);
      for (auto& d : extra.items())
        if (d.severity != Severity::kError) loaded.diags.Add(d);
#ifdef GATEHOUSE_HAVE_LINT
      // Rule parameters under policy.rules are part of the config: check them here too.
      auto lint_result = lint::RunLint(loaded.config, compiled, lint::LintOptions{c->run.today});
      for (const auto& d : lint_result.config_errors.items()) loaded.diags.Add(d);
      ok = !loaded.diags.HasErrors();
      loaded.diags.Sort();
#endif
    }
    PrintDiagnostics(loaded, c->run.color);
    if (ok) {
      const Config& cf = loaded.config;
      std::cout << "config is valid: " << cf.accounts.size() << " accounts, " << cf.users.size() << " users, "
                << cf.groups.size() << " groups, " << cf.permission_sets.size() << " permission sets, "
                << cf.assignments.size() << " assignments\n";
    }
    *rc = ok ? kOk : kError;
  });
}

}  // namespace gatehouse::cli
