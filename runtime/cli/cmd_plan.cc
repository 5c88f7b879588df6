#include <unistd.h>

#include <iostream>

#include "compiler/plan_json.h"
#include "compiler/plan_markdown.h"
#include "runtime/cli/common.h"
#ifdef GATEHOUSE_HAVE_LINT
#include "compiler/lint/lint.h"
#endif

namespace gatehouse::cli {

void RegisterPlan(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("plan", "show what apply would change in the live directory");
  AddConfigOptions(cmd, c, true);
  static std::string out, format = "text";
  static bool detailed = false;
  cmd->add_option("--out", out, "save the plan to FILE for 'apply --plan FILE'");
  cmd->add_option("--format", format, "text, json or markdown")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->add_flag("--detailed-exitcode", detailed, "exit 2 when there are changes, 0 when none");
  cmd->callback([c, rc]() {
    Finalize(c, format != "text");
    LoadedConfig loaded;
    if (!Load(*c, &loaded)) return void(*rc = kError);
    std::unique_ptr<Target> target;
    PlanInputs in;
    if (!Plan(*c, &loaded, &target, &in)) return void(*rc = kError);
    nlohmann::json j = PlanToJson(in.plan, &in.compiled.desired.accounts);
    if (!out.empty() && !WriteOutput(out, j.dump(2) + "\n")) return void(*rc = kError);
    std::string text;
    if (format == "json")
      text = j.dump(2) + "\n";
    else if (format == "markdown") {
      // A pull-request comment shows the lint findings beside the plan.
      MarkdownOptions mo;
      std::vector<Diagnostic> findings;
#ifdef GATEHOUSE_HAVE_LINT
      findings = lint::LintConfig(loaded.config, in.compiled, lint::LintOptions{c->run.today});
      mo.findings = &findings;
#endif
      text = RenderPlanMarkdown(in.plan, mo);
    } else
      text =
          RenderPlanText(in.plan, TextOptions{c->run.color && ::isatty(STDOUT_FILENO), &in.compiled.desired.accounts});
    WriteOutput("", text);
    if (!out.empty() && format == "text")
      std::cout << "Saved the plan to " << out << "; apply it with: gatehouse apply --plan " << out << "\n";
    *rc = detailed && !in.plan.empty() ? kChanges : kOk;
  });
}

}  // namespace gatehouse::cli
