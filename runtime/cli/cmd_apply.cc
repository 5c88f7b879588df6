#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "compiler/plan_json.h"
#include "runtime/audit_log.h"
#include "runtime/cli/common.h"
#include "runtime/executor.h"

namespace gatehouse::cli {

namespace {

bool ReadPlanFile(const std::string& path, gatehouse::Plan* plan) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::cerr << "error: cannot read plan file " << path << "\n";
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string err;
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !PlanFromJson(j, plan, &err)) {
    std::cerr << "error: " << path << ": " << (j.is_discarded() ? "not valid JSON" : err) << "\n";
    return false;
  }
  return true;
}

}  // namespace

void RegisterApply(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("apply", "apply a saved plan, or plan afresh and apply");
  AddConfigOptions(cmd, c, true);
  static std::string plan_path, audit_path;
  static bool auto_approve = false;
  static int parallelism = 16;
  static long allow_deletes = -1;
  cmd->add_option("--plan", plan_path, "apply this saved plan (refused when stale)");
  cmd->add_flag("--auto-approve", auto_approve, "do not ask for confirmation");
  cmd->add_option("--parallelism", parallelism,
                  "operations run at once (default 16: enough to keep AWS's 15 assignment creations in flight)")
      ->check(CLI::Range(1, 64));
  cmd->add_option("--allow-deletes", allow_deletes, "allow a plan with up to N deletions beyond guards.max_deletes")
      ->check(CLI::NonNegativeNumber);
  cmd->add_option("--audit-log", audit_path, "append executed operations here (default DIR/.gatehouse/audit.jsonl)");
  cmd->callback([c, rc]() {
    Finalize(c, false);
    LoadedConfig loaded;
    if (!Load(*c, &loaded)) return void(*rc = kError);
    std::string err;
    std::unique_ptr<Target> target = OpenTarget(loaded.target, c->aws_factory, &err);
    if (!target) {
      std::cerr << "error: " << err << "\n";
      return void(*rc = kError);
    }
    if (!target->Lock(&err)) {
      std::cerr << "error: " << err << "\n";
      return void(*rc = kError);
    }
    PlanInputs in;
    if (!Plan(*c, &loaded, &target, &in)) return void(*rc = kError);
    gatehouse::Plan plan = in.plan;
    if (!plan_path.empty()) {
      gatehouse::Plan saved;
      if (!ReadPlanFile(plan_path, &saved)) return void(*rc = kError);
      if (saved.config_digest != in.plan.config_digest) {
        std::cerr << "error: the saved plan is stale: the config changed since it was made\n"
                     "help: run 'gatehouse plan --out "
                  << plan_path << "' again and review it\n";
        return void(*rc = kError);
      }
      if (saved.live_fingerprint != in.plan.live_fingerprint) {
        std::cerr << "error: the saved plan is stale: the live directory changed since it was made\n"
                     "help: run 'gatehouse plan --out "
                  << plan_path << "' again and review it\n";
        return void(*rc = kError);
      }
      plan = saved;
    }
    if (plan.empty()) {
      std::cout << "No changes. The live directory matches the configuration.\n";
      return void(*rc = kOk);
    }
    PlanSummary s = Summarize(plan);
    long deletes = static_cast<long>(s.del + s.replace);
    long guard = loaded.config.settings.max_deletes;
    if (deletes > guard && deletes > allow_deletes) {
      std::cerr << "error: the plan deletes " << deletes << " objects, more than guards.max_deletes (" << guard
                << ")\nhelp: review the plan; if the deletions are intended, rerun with --allow-deletes " << deletes
                << "\n";
      return void(*rc = kError);
    }
    std::cout << RenderPlanText(plan,
                                TextOptions{c->run.color && ::isatty(STDOUT_FILENO), &in.compiled.desired.accounts});
    if (!auto_approve && plan_path.empty()) {
      if (!::isatty(STDIN_FILENO)) {
        std::cerr << "error: apply needs confirmation, and there is no terminal to ask on\n"
                     "help: pass --auto-approve, or apply a reviewed plan with --plan FILE\n";
        return void(*rc = kError);
      }
      std::cout << "\nApply these changes to " << target->Describe() << "? Only 'yes' is accepted: " << std::flush;
      std::string answer;
      std::getline(std::cin, answer);
      if (answer != "yes") {
        std::cout << "Apply cancelled; nothing was changed.\n";
        return void(*rc = kError);
      }
    }
    std::string log_path =
        audit_path.empty() ? (std::filesystem::path(c->run.dir) / ".gatehouse" / "audit.jsonl").string() : audit_path;
    AuditLog audit(log_path, target->Describe(), nullptr);
    ExecutorOptions eo;
    eo.parallelism = parallelism;
    eo.on_done = [&](const Operation& op, const OperationReport& r) {
      std::string aerr;
      if (!audit.Record(op, r, &aerr)) std::cerr << "warning: " << aerr << "\n";
      if (r.outcome != Outcome::kSucceeded)
        std::cerr << OutcomeName(r.outcome) << ": " << ActionName(op.action) << " " << ObjectKindName(op.kind) << " "
                  << op.name << ": " << r.error << "\n";
    };
    target->SetPlannedOperations(plan.operations.size());
    ApplyReport report;
    bool ran = Execute(plan, *target, eo, &report, &err);
    std::string cerr_text;
    if (!target->Commit(&cerr_text)) {
      std::cerr << "error: " << cerr_text << "\n";
      return void(*rc = kError);
    }
    target->Unlock();
    if (!ran) {
      std::cerr << "error: " << err << "\n";
      return void(*rc = kError);
    }
    std::cout << "\nApply complete: " << report.succeeded << " succeeded, " << report.failed << " failed, "
              << report.skipped << " skipped.\n";
    if (!report.ok())
      std::cout << "Rerun 'gatehouse apply' after fixing the failures; it continues where this stopped.\n";
    *rc = report.ok() ? kOk : kError;
  });
}

}  // namespace gatehouse::cli
