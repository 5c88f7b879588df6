#include <fstream>
#include <iostream>

#include "cli/common.h"
#include "operations/who_can.h"
#include "views/diagnostics_view.h"
#include "views/who_can_view.h"

namespace gatehouse::cli {

namespace {

/// Streams the answer to `path` (stdout when empty or "-"): it can be millions of lines.
bool Write(const std::string& path, WhoCanRenderer render, const WhoCanView& view) {
  if (path.empty() || path == "-") {
    std::ios::sync_with_stdio(false);
    render(view, std::cout);
    std::cout.flush();
    return bool(std::cout);
  }
  std::ofstream out(path, std::ios::binary);
  if (out) render(view, out);
  out.close();
  if (out) return true;
  std::cerr << "error: cannot write " << path << "\n";
  return false;
}

}  // namespace

void RegisterWhoCan(CLI::App& app, WhoCanOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("who-can", "who can perform an action (service:Action), on which accounts, and why");
  cmd->add_option("ACTION", o->query.action, "the action, service:Action (any case, no wildcards)")->required();
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--resource", o->resource, "only statements whose resources match this ARN");
  cmd->add_option("--account", o->query.accounts, "only this account (name or id); repeat to add accounts");
  cmd->add_option("--environment", o->environment, "only accounts of this environment");
  cmd->add_option("--ou", o->ou, "only accounts whose OU matches this glob (as account selectors)");
  cmd->add_flag("--live", o->live, "answer from the live directory instead of the config");
  cmd->add_option("--format", o->format, "text, json, csv or markdown")->check(CLI::IsMember(WhoCanFormats()));
  cmd->add_option("--out", o->out, "write the answer to FILE");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    WhoCanRequest req{o->config.request, o->live, o->query};
    if (!o->resource.empty()) req.query.resource = o->resource;
    if (!o->environment.empty()) req.query.environment = o->environment;
    if (!o->ou.empty()) req.query.ou = o->ou;
    WhoCanReport report = RunWhoCan(req);
    if (report.planning.planning_ran)
      std::cerr << RenderDiagnostics(report.planning.plan_diags, report.planning.checked.sources, o->config.color);
    if (report.stage != AccessStage::kDone) {
      PrintAccessStageFailure(report.stage, report.planning, report.problem, o->config.color);
      return void(*rc = kError);
    }
    *rc = Write(o->out, PickWhoCanView(o->format), WhoCanView{&report.answer, report.source}) ? kOk : kError;
  });
}

}  // namespace gatehouse::cli
