#include <iostream>

#include "cli/common.h"
#include "operations/plan.h"
#include "views/plan_view.h"

namespace gatehouse::cli {

void RegisterPlan(CLI::App& app, PlanOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("plan", "show what apply would change in the live directory");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--out", o->out, "save the plan to FILE for 'apply --plan FILE'");
  cmd->add_option("--format", o->format, "text, json or markdown")->check(CLI::IsMember(PlanFormats()));
  cmd->add_flag("--detailed-exitcode", o->detailed_exitcode, "exit 2 when there are changes, 0 when none");
  cmd->add_option("--changed-from", o->scope.changed_from,
                  "plan only what changed since git revision REF (e.g. the pull request's base), and what it "
                  "depends on; reads only that slice of the live directory")
      ->option_text("REF");
  cmd->add_option("--only", o->scope.only,
                  "plan only this object (repeatable): user:NAME, group:NAME, permission_set:NAME, "
                  "membership:GROUP/USER, assignment:group:NAME/SET/ACCOUNT, account:NAME")
      ->option_text("KIND:NAME");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    PlanRequest req{o->config.request, o->format == "markdown", o->scope};
    PlanResult result = RunPlan(req);
    if (!ReportPlanning(result, o->config.color)) return void(*rc = kError);
    // A pull-request comment (Markdown) shows the lint findings beside the plan.
    PlanView view{&result.plan, &result.compiled.desired.accounts, &result.findings, StdoutColor(o->config),
                  &result.other_findings};
    if (!o->out.empty() && !WriteOutput(o->out, RenderPlanJson(view))) return void(*rc = kError);
    WriteOutput("", PickPlanView(o->format)(view));
    if (!o->out.empty() && o->format == "text")
      std::cout << "Saved the plan to " << o->out << "; apply it with: gatehouse apply --plan " << o->out << "\n";
    *rc = o->detailed_exitcode && !result.plan.empty() ? kChanges : kOk;
    KeepUntilExit(std::move(result));
  });
}

}  // namespace gatehouse::cli
