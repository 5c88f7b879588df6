#pragma once
/// `plan`: what apply would change. Loads and checks the config, opens its
/// target, reads the live directory, compiles against it and diffs.
/// `drift` is the same computation read the other way (drift.h).

#include <memory>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/plan.h"
#include "operations/config_check.h"
#include "operations/problem.h"
#include "operations/scoped_plan.h"
#include "runtime/target.h"

namespace gatehouse {

struct PlanRequest {
  ConfigRequest config;
  bool lint_findings = false;  ///< also lint the compiled config (for the Markdown view)
  ScopeRequest scope;          ///< --changed-from / --only: plan only that slice
};

/// Where a planning operation stopped.
enum class PlanStage {
  kConfigInvalid,  ///< the config has errors: `checked.diags`
  kFailed,         ///< `problem` (target could not be opened or read, ...)
  kPlanInvalid,    ///< compiling against the live directory or diffing found errors: `plan_diags`
  kPlanned,        ///< the plan is ready
};

/// Everything a plan is computed from, and the plan.
struct PlanResult {
  PlanStage stage = PlanStage::kConfigInvalid;
  CheckedConfig checked;
  Problem problem;
  /// What planning added to the checked config's diagnostics (compile against the
  /// live directory, diff); reported whenever planning ran, errors or not.
  Diagnostics plan_diags;
  bool planning_ran = false;
  DirectoryState live;
  CompiledConfig compiled;
  Plan plan;
  std::string target;  ///< the target's description ("local directory ...")
  /// Lint findings, when asked for: those about objects the plan changes, and the
  /// rest of the configuration's (lint::SplitFindings).
  std::vector<Diagnostic> findings;
  std::vector<Diagnostic> other_findings;
  bool ok() const { return stage == PlanStage::kPlanned; }
};

/// Runs `plan` end to end.
PlanResult RunPlan(const PlanRequest& req);

/// Plans a checked config against an open target (apply plans while it holds
/// the target's lock). Sets `result->stage`, `plan_diags`, `live`, `compiled`, `plan`.
/// With `scope`, reads, diffs and fingerprints only that slice (`live` is the
/// slice) and the plan records it.
void PlanAgainst(Target& target, const std::string& today, PlanResult* result, const Scope* scope = nullptr);

}  // namespace gatehouse
