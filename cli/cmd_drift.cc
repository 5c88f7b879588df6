#include "cli/common.h"
#include "operations/drift.h"
#include "views/drift_view.h"

namespace gatehouse::cli {

void RegisterDrift(CLI::App& app, DriftOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("drift", "compare the live directory to the config; exit 0 none, 2 drift, 1 error");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--format", o->format, "text, json or markdown")->check(CLI::IsMember(DriftFormats()));
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    DriftResult result = RunDrift(o->config.request);
    if (!ReportPlanning(result.planning, o->config.color)) return void(*rc = kError);
    const PlanResult& p = result.planning;
    DriftView view{&p.plan, &p.compiled.desired.accounts, p.target, StdoutColor(o->config)};
    WriteOutput("", PickDriftView(o->format)(view));
    *rc = result.drift() ? kChanges : kOk;
  });
}

}  // namespace gatehouse::cli
