#include "operations/access.h"

#include "operations/classifier.h"
#include "operations/open_target.h"

namespace gatehouse {

namespace {

/// Reads the live directory and plans (for the live state, or the compiled one
/// with discovered accounts). False with the stage set on failure.
bool PlanFor(const AccessRequest& req, AccessResult* result) {
  PlanResult& planning = result->planning;
  std::unique_ptr<Target> target = OpenConfiguredTarget(planning.checked.target, &planning.problem.message);
  if (target)
    PlanAgainst(*target, req.config.today, &planning);
  else
    planning.stage = PlanStage::kFailed;
  if (planning.ok()) return true;
  result->stage = AccessStage::kPlanFailed;
  return false;
}

/// The state the report is about; false with the stage set on failure.
bool StateFor(const AccessRequest& req, AccessResult* result, DirectoryState* state) {
  PlanResult& planning = result->planning;
  if (req.live || planning.checked.config.settings.discover_accounts) {
    if (!PlanFor(req, result)) return false;
    *state = req.live ? planning.live : planning.compiled.desired;
    return true;
  }
  Diagnostics compile_diags;
  bool ok = CompileChecked(planning.checked, req.config.today, &planning.compiled, &compile_diags);
  MergeCompileDiagnostics(compile_diags, CompileFindings::kAll, &planning.checked.diags);
  if (!ok) {
    result->stage = AccessStage::kCompileInvalid;
    return false;
  }
  *state = planning.compiled.desired;
  return true;
}

}  // namespace

AccessResult RunAccess(const AccessRequest& req) {
  AccessResult result;
  result.planning.checked = CheckConfig(req.config);
  if (!result.planning.checked.ok()) return result;
  DirectoryState state;
  if (!StateFor(req, &result, &state)) return result;
  result.source = req.live ? "live directory" : "configuration";
  if (std::string err = CheckAccessFilter(state, req.filter, result.source); !err.empty()) {
    result.stage = AccessStage::kFailed;
    result.problem.message = err;
    return result;
  }
  result.entries = FilterAccess(EffectiveAccess(state, DefaultClassifier()), req.filter);
  result.application_entries = FilterApplicationAccess(EffectiveApplicationAccess(state), req.filter);
  result.stage = AccessStage::kDone;
  return result;
}

}  // namespace gatehouse
