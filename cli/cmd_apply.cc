#include <unistd.h>

#include <iostream>

#include "cli/common.h"
#include "operations/apply.h"
#include "runtime/progress.h"
#include "views/diagnostics_view.h"
#include "views/plan_summary.h"
#include "views/plan_text.h"

namespace gatehouse::cli {

namespace {

/// The prompt on a terminal; without one, the operation refuses to apply unasked.
Confirmation AskOnTerminal(const std::string& target) {
  if (!::isatty(STDIN_FILENO)) return Confirmation::kCannotAsk;
  std::cout << "\nApply these changes to " << target << "? Only 'yes' is accepted: " << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  return answer == "yes" ? Confirmation::kYes : Confirmation::kNo;
}

ApplyHooks TerminalHooks(const ConfigOptions& config) {
  ApplyHooks hooks;
  bool color = config.color, stdout_color = StdoutColor(config);
  hooks.planned = [color](const PlanResult& p) {
    std::cerr << RenderDiagnostics(p.plan_diags, p.checked.sources, color);
  };
  hooks.show = [stdout_color](const Plan& plan, const std::map<std::string, Account>& accounts) {
    std::cout << RenderPlanText(plan, TextOptions{stdout_color, &accounts});
  };
  hooks.confirm = AskOnTerminal;
  hooks.done = [](const Operation& op, const OperationReport& r) {
    if (r.outcome != Outcome::kSucceeded)
      std::cerr << OutcomeName(r.outcome) << ": " << ActionName(op.action) << " " << ObjectKindName(op.kind) << " "
                << op.name << ": " << r.error << "\n";
  };
  hooks.warn = [](const std::string& warning) { std::cerr << "warning: " << warning << "\n"; };
  return hooks;
}

/// Prints how the apply ended; returns the exit code.
int ReportApply(const ApplyResult& r, bool color) {
  switch (r.stage) {
    case ApplyStage::kConfigInvalid: PrintConfigDiagnostics(r.planning.checked, color); return kError;
    case ApplyStage::kPlanInvalid: PrintPlanningFailure(r.planning); return kError;
    case ApplyStage::kFailed: PrintProblem(r.problem); return kError;
    case ApplyStage::kNoChanges: std::cout << PlanSummaryLine(Plan{}, SummaryStyle::kText) << "\n"; return kOk;
    case ApplyStage::kCancelled: std::cout << "Apply cancelled; nothing was changed.\n"; return kError;
    case ApplyStage::kApplied: break;
  }
  std::cout << "\nApply complete: " << r.report.succeeded << " succeeded, " << r.report.failed << " failed, "
            << r.report.skipped << " skipped.\n";
  if (!r.report.ok())
    std::cout << "Rerun 'gatehouse apply' after fixing the failures; it continues where this stopped.\n";
  return r.report.ok() ? kOk : kError;
}

}  // namespace

void RegisterApply(CLI::App& app, ApplyOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("apply", "apply a saved plan, or plan afresh and apply");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--plan", o->plan_path, "apply this saved plan (refused when stale)");
  cmd->add_flag("--auto-approve", o->auto_approve, "do not ask for confirmation");
  cmd->add_option("--parallelism", o->parallelism,
                  "operations run at once (default 16: enough to keep AWS's 15 assignment creations in flight)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--allow-deletes", o->allow_deletes, "allow a plan with up to N deletions beyond guards.max_deletes")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--audit-log", o->audit_path, "append executed operations here (default DIR/.gatehouse/audit.jsonl)");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    ApplyRequest req{o->config.request, o->plan_path, o->auto_approve, o->parallelism, o->allow_deletes, o->audit_path};
    ApplyHooks hooks = TerminalHooks(o->config);
    std::unique_ptr<ProgressObserver> progress = StderrProgress();  // null unless stderr is a terminal
    hooks.progress = progress.get();
    *rc = ReportApply(RunApply(req, hooks), o->config.color);
  });
}

}  // namespace gatehouse::cli
