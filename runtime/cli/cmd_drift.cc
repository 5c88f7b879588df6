#include <unistd.h>

#include <iostream>

#include "compiler/plan_json.h"
#include "compiler/plan_markdown.h"
#include "runtime/cli/common.h"

namespace gatehouse::cli {

void RegisterDrift(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("drift", "compare the live directory to the config; exit 0 none, 2 drift, 1 error");
  AddConfigOptions(cmd, c, true);
  static std::string format = "text";
  cmd->add_option("--format", format, "text, json or markdown")->check(CLI::IsMember({"text", "json", "markdown"}));
  cmd->callback([c, rc]() {
    Finalize(c, format != "text");
    LoadedConfig loaded;
    if (!Load(*c, &loaded)) return void(*rc = kError);
    std::unique_ptr<Target> target;
    PlanInputs in;
    if (!Plan(*c, &loaded, &target, &in)) return void(*rc = kError);
    bool drift = !in.plan.empty();
    if (format == "json") {
      nlohmann::json j = PlanToJson(in.plan, &in.compiled.desired.accounts);
      j["drift"] = drift;
      WriteOutput("", j.dump(2) + "\n");
    } else if (format == "markdown") {
      MarkdownOptions mo;
      mo.marker = "gatehouse:drift";
      mo.title = drift ? "Gatehouse drift: the live directory differs from the configuration" : "Gatehouse drift: none";
      mo.intro = "Live directory: `" + target->Describe() + "`.";
      if (drift)
        mo.intro +=
            " The changes below are what `gatehouse apply` would do to bring it back: \"loses\" means "
            "someone holds access out-of-band that the configuration does not grant.";
      WriteOutput("", RenderPlanMarkdown(in.plan, mo));
    } else if (!drift) {
      std::cout << "No drift: " << target->Describe() << " matches the configuration.\n";
    } else {
      std::cout << "Drift: " << target->Describe() << " differs from the configuration.\n"
                << "Applying the config would make these changes:\n\n"
                << RenderPlanText(in.plan,
                                  TextOptions{c->run.color && ::isatty(STDOUT_FILENO), &in.compiled.desired.accounts});
    }
    *rc = drift ? kChanges : kOk;
  });
}

}  // namespace gatehouse::cli
