#include <iostream>

#include "cli/common.h"
#include "operations/validate.h"

namespace gatehouse::cli {

void RegisterValidate(CLI::App& app, ValidateOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("validate", "parse and validate a config directory; exit 0 valid, 1 errors");
  AddConfigOptions(cmd, &o->config, false);
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    ValidateResult result = RunValidate(o->config.request);
    PrintConfigDiagnostics(result.checked, o->config.color);
    if (result.ok()) {
      const Config& cf = result.checked.config;
      size_t to_applications = 0;
      for (const auto& a : cf.assignments) to_applications += a.application ? 1 : 0;
      std::cout << "config is valid: " << cf.accounts.size() << " accounts, " << cf.users.size() << " users, "
                << cf.groups.size() << " groups, " << cf.permission_sets.size() << " permission sets, "
                << cf.assignments.size() - to_applications << " assignments";
      if (!cf.applications.empty())
        std::cout << ", " << cf.applications.size() << " applications with " << to_applications
                  << " application assignments";
      std::cout << "\n";
    }
    *rc = result.ok() ? kOk : kError;
  });
}

}  // namespace gatehouse::cli
