#include <iostream>

#include "cli/common.h"
#include "operations/import.h"

namespace gatehouse::cli {

void RegisterImport(CLI::App& app, ImportOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("import", "write a config directory from the live directory");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--out", o->out, "directory to write the config into")->required();
  cmd->add_flag("--force", o->force, "write into a directory that already holds YAML files");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    ImportResult r = RunImport(ImportRequest{o->config.request, o->out, o->force});
    for (const Problem& w : r.warnings) std::cerr << "warning: " << w.message << "\nhelp: " << w.help << "\n";
    if (!r.checked.ok())
      PrintConfigDiagnostics(r.checked, o->config.color);
    else if (!r.problem.empty())
      PrintProblem(r.problem);
    if (!r.ok()) return void(*rc = kError);
    std::cout << "Imported " << r.users << " users, " << r.groups << " groups, " << r.permission_sets
              << " permission sets and " << r.assignments << " assignments";
    if (r.applications)
      std::cout << ", and " << r.applications << " applications with " << r.application_assignments
                << " application assignments";
    std::cout << " into " << o->out << "\nNext: gatehouse plan " << o->out << "  (it should show no changes)\n";
    *rc = kOk;
  });
}

}  // namespace gatehouse::cli
