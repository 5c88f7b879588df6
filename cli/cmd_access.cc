#include <iostream>

#include "cli/common.h"
#include "operations/access.h"
#include "views/access_view.h"
#include "views/diagnostics_view.h"

namespace gatehouse::cli {

void RegisterAccess(CLI::App& app, AccessOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("access", "who can enter which account with which permission set, and how");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_flag("--live", o->live, "report the live directory instead of the config");
  AddAccessFilterOptions(cmd, &o->filter);
  cmd->add_option("--format", o->format, "text, csv, json, markdown or html")->check(CLI::IsMember(AccessFormats()));
  cmd->add_option("--out", o->out, "write the report to FILE");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    AccessRequest req{o->config.request, o->live, o->filter};
    AccessResult result = RunAccess(req);
    if (result.planning.planning_ran)
      std::cerr << RenderDiagnostics(result.planning.plan_diags, result.planning.checked.sources, o->config.color);
    if (result.stage != AccessStage::kDone) {
      PrintAccessStageFailure(result.stage, result.planning, result.problem, o->config.color);
      return void(*rc = kError);
    }
    AccessView view{&result.entries, result.source, &result.application_entries};
    auto render = PickAccessView(o->format);
    if (!WriteOutputWith(o->out, [&](std::ostream& out) { render(view, out); })) return void(*rc = kError);
    *rc = kOk;
    KeepUntilExit(std::move(result));
  });
}

}  // namespace gatehouse::cli
