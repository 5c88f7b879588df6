#include "operations/apply.h"

#include <filesystem>
#include <fstream>
#include <sstream>

#include "compiler/plan_json.h"
#include "compiler/scope.h"
#include "operations/open_target.h"
#include "operations/target_lock.h"
#include "runtime/audit_log.h"

namespace gatehouse {

namespace {

bool ReadPlanFile(const std::string& path, Plan* plan, Problem* problem) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    problem->message = "cannot read plan file " + path;
    return false;
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string err;
  nlohmann::json j = nlohmann::json::parse(ss.str(), nullptr, false);
  if (j.is_discarded() || !PlanFromJson(j, plan, &err)) {
    problem->message = path + ": " + (j.is_discarded() ? "not valid JSON" : err);
    return false;
  }
  return true;
}

/// A saved plan is applied only to the config and live directory it was made from.
bool CheckFresh(const Plan& saved, const Plan& fresh, const std::string& path, Problem* problem) {
  const char* changed = saved.config_digest != fresh.config_digest         ? "the config"
                        : saved.live_fingerprint != fresh.live_fingerprint ? "the live directory"
                                                                           : nullptr;
  if (!changed) return true;
  problem->message = std::string("the saved plan is stale: ") + changed + " changed since it was made";
  problem->help = "run 'gatehouse plan --out " + path + "' again and review it";
  if (saved.scope) problem->help += " (a scoped plan: " + saved.scope->origin + ")";
  return false;
}

/// More deletions than guards.max_deletes need --allow-deletes N.
bool CheckDeleteGuard(const Plan& plan, long max_deletes, long allow_deletes, Problem* problem) {
  PlanSummary s = Summarize(plan);
  long deletes = static_cast<long>(s.del);
  if (deletes <= max_deletes || deletes <= allow_deletes) return true;
  problem->message = "the plan deletes " + std::to_string(deletes) + " objects, more than guards.max_deletes (" +
                     std::to_string(max_deletes) + ")";
  problem->help =
      "review the plan; if the deletions are intended, rerun with --allow-deletes " + std::to_string(deletes);
  return false;
}

/// The plan to apply: the fresh one, or the saved one when it is not stale.
bool ChoosePlan(const ApplyRequest& req, const Plan& saved, ApplyResult* result, Plan* plan) {
  *plan = result->planning.plan;
  if (req.plan_path.empty()) return true;
  if (!CheckFresh(saved, result->planning.plan, req.plan_path, &result->problem)) return false;
  *plan = saved;
  return true;
}

/// Asks when the request does not already approve; false (with the stage set) when not approved.
bool Approved(const ApplyRequest& req, const ApplyHooks& hooks, const std::string& target, ApplyResult* result) {
  if (req.auto_approve || !req.plan_path.empty()) return true;
  Confirmation answer = hooks.confirm ? hooks.confirm(target) : Confirmation::kCannotAsk;
  if (answer == Confirmation::kYes) return true;
  if (answer == Confirmation::kNo) {
    result->stage = ApplyStage::kCancelled;
    return false;
  }
  result->problem.message = "apply needs confirmation, and there is no terminal to ask on";
  result->problem.help = "pass --auto-approve, or apply a reviewed plan with --plan FILE";
  return false;
}

/// Runs the plan, recording each operation in the audit log, and commits.
void Run(const ApplyRequest& req, const ApplyHooks& hooks, const Plan& plan, Target& target, ApplyResult* result) {
  std::string log_path = req.audit_path.empty()
                             ? (std::filesystem::path(req.config.dir) / ".gatehouse" / "audit.jsonl").string()
                             : req.audit_path;
  AuditLog audit(log_path, target.Describe(), nullptr);
  ExecutorOptions eo;
  eo.parallelism = req.parallelism;
  eo.on_done = [&](const Operation& op, const OperationReport& r) {
    std::string aerr;
    if (!audit.Record(op, r, &aerr) && hooks.warn) hooks.warn(aerr);
    if (hooks.done) hooks.done(op, r);
  };
  eo.progress = hooks.progress;
  std::string err;
  bool ran = Execute(plan, target, eo, &result->report, &err);
  if (!target.Commit(&result->problem.message)) return;
  if (!ran) {
    result->problem.message = err;
    return;
  }
  result->stage = ApplyStage::kApplied;
}

/// Everything after the lock is held: plan, choose, guard, confirm, run.
void ApplyLocked(const ApplyRequest& req, const ApplyHooks& hooks, Target& target, ApplyResult* result) {
  // A scoped saved plan is checked against a fresh plan of the same slice.
  Plan saved;
  if (!req.plan_path.empty() && !ReadPlanFile(req.plan_path, &saved, &result->problem)) return;
  PlanAgainst(target, req.config.today, &result->planning, saved.scope.get());
  if (hooks.planned) hooks.planned(result->planning);
  if (result->planning.stage == PlanStage::kFailed) result->problem = result->planning.problem;
  if (result->planning.stage == PlanStage::kPlanInvalid) result->stage = ApplyStage::kPlanInvalid;
  if (!result->planning.ok()) return;
  Plan plan;
  if (!ChoosePlan(req, saved, result, &plan)) return;
  if (plan.empty()) {
    result->stage = ApplyStage::kNoChanges;
    return;
  }
  const CheckedConfig& checked = result->planning.checked;
  if (!CheckDeleteGuard(plan, checked.config.settings.max_deletes, req.allow_deletes, &result->problem)) return;
  if (hooks.show) hooks.show(plan, result->planning.compiled.desired.accounts);
  if (!Approved(req, hooks, target.Describe(), result)) return;
  Run(req, hooks, plan, target, result);
}

}  // namespace

ApplyResult RunApply(const ApplyRequest& req, const ApplyHooks& hooks) {
  ApplyResult result;
  result.planning.checked = CheckConfig(req.config);
  if (!result.planning.checked.ok()) return result;
  result.stage = ApplyStage::kFailed;
  std::unique_ptr<Target> target = OpenConfiguredTarget(result.planning.checked.target, &result.problem.message);
  if (!target) return result;
  TargetLock lock;
  if (!lock.Acquire(*target, &result.problem.message)) return result;
  if (std::string note = target->LockNote(); !note.empty() && hooks.warn) hooks.warn(note);
  ApplyLocked(req, hooks, *target, &result);
  return result;
}

}  // namespace gatehouse
