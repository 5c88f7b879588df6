#include <iostream>

#include "cli/common.h"
#include "operations/drift.h"
#include "views/drift_view.h"

namespace gatehouse::cli {

namespace {

DriftView ViewOf(const DriftResult& result, const DriftOptions& o) {
  const PlanResult& p = result.planning;
  DriftView view;
  view.plan = &p.plan;
  view.accounts = &p.compiled.desired.accounts;
  view.target = p.target;
  view.color = StdoutColor(o.config);
  const DriftAttribution& a = result.attribution;
  if (a.read) {
    view.attribution = &a.changes;
    view.window_from = a.from;
    view.window_to = a.to;
    view.sources = a.sources;
    view.records_read = a.records;
    view.files_skipped = a.files_skipped;
  }
  return view;
}

}  // namespace

void RegisterDrift(CLI::App& app, DriftOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("drift", "compare the live directory to the config; exit 0 none, 2 drift, 1 error");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--format", o->format, "text, json or markdown")->check(CLI::IsMember(DriftFormats()));
  cmd->add_option("--cloudtrail", o->cloudtrail,
                  "who made each change: lookup (CloudTrail LookupEvents), none, or a trail file or directory "
                  "(repeatable; default settings.evidence, else lookup on the aws target)");
  cmd->add_option("--since", o->since, "the window of events before --as-of (default 30d; units d, h)");
  cmd->add_option("--as-of", o->as_of, "the end of the window (RFC 3339 UTC or a date; default now)");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    DriftRequest req{o->config.request, o->cloudtrail, o->since, o->as_of};
    DriftResult result = RunDrift(req);
    if (!result.problem.empty()) {
      PrintProblem(result.problem);
      return void(*rc = kError);
    }
    if (!ReportPlanning(result.planning, o->config.color)) return void(*rc = kError);
    for (const auto& w : result.attribution.warnings) std::cerr << "warning: " << w << "\n";
    WriteOutput("", PickDriftView(o->format)(ViewOf(result, *o)));
    *rc = result.drift() ? kChanges : kOk;
    KeepUntilExit(std::move(result));
  });
}

}  // namespace gatehouse::cli
