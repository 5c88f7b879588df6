#include "operations/access.h"

#include "operations/classifier.h"
#include "operations/open_target.h"

namespace gatehouse {

namespace {

/// Reads the live directory and plans (for the live state, or the compiled one
/// with discovered accounts). False with the stage set on failure.
bool PlanFor(const std::string& today, PlanResult* planning, AccessStage* stage) {
  std::unique_ptr<Target> target = OpenConfiguredTarget(planning->checked.target, &planning->problem.message);
  if (target)
    PlanAgainst(*target, today, planning);
  else
    planning->stage = PlanStage::kFailed;
  if (planning->ok()) return true;
  *stage = AccessStage::kPlanFailed;
  return false;
}

}  // namespace

bool ReportedState(const std::string& today, bool live, PlanResult* planning, AccessStage* stage,
                   DirectoryState* state) {
  if (live || planning->checked.config.settings.discover_accounts) {
    if (!PlanFor(today, planning, stage)) return false;
    *state = live ? planning->live : planning->compiled.desired;
    return true;
  }
  Diagnostics compile_diags;
  bool ok = CompileChecked(planning->checked, today, &planning->compiled, &compile_diags);
  MergeCompileDiagnostics(compile_diags, CompileFindings::kAll, &planning->checked.diags);
  if (!ok) {
    *stage = AccessStage::kCompileInvalid;
    return false;
  }
  *state = planning->compiled.desired;
  return true;
}

AccessResult RunAccess(const AccessRequest& req) {
  AccessResult result;
  result.planning.checked = CheckConfig(req.config);
  if (!result.planning.checked.ok()) return result;
  DirectoryState state;
  if (!ReportedState(req.config.today, req.live, &result.planning, &result.stage, &state)) return result;
  result.source = req.live ? "live directory" : "configuration";
  if (std::string err = CheckAccessFilter(state, req.filter, result.source); !err.empty()) {
    result.stage = AccessStage::kFailed;
    result.problem.message = err;
    return result;
  }
  result.entries = FilterAccess(
      EffectiveAccess(state, DefaultClassifier(CustomerPolicyDocumentsOf(result.planning.checked.config))), req.filter);
  result.application_entries = FilterApplicationAccess(EffectiveApplicationAccess(state), req.filter);
  result.stage = AccessStage::kDone;
  return result;
}

}  // namespace gatehouse
