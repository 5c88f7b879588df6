#include "operations/plan.h"

#include "compiler/diff.h"
#include "compiler/lint/lint.h"
#include "compiler/lint/plan_findings.h"
#include "compiler/state_json.h"
#include "operations/access_changes.h"
#include "operations/open_target.h"

namespace gatehouse {

namespace {

/// Compiles against the live directory (discovered accounts, today) into `result->compiled`.
bool CompileAgainstLive(const std::string& today, PlanResult* result) {
  const CheckedConfig& checked = result->checked;
  CompileOptions co;
  co.today = today;
  if (checked.config.settings.discover_accounts) co.discovered_accounts = &result->live.accounts;
  Diagnostics compile_diags;
  bool ok = CompileConfig(checked.config, co, &result->compiled, &compile_diags);
  // Reported: what is not already among the checked config's diagnostics.
  Diagnostics all = checked.diags;
  MergeCompileDiagnostics(compile_diags, CompileFindings::kAll, &all);
  for (size_t i = checked.diags.items().size(); i < all.items().size(); ++i) result->plan_diags.Add(all.items()[i]);
  return ok;
}

}  // namespace

void PlanAgainst(Target& target, const std::string& today, PlanResult* result) {
  const Config& config = result->checked.config;
  result->planning_ran = true;
  result->target = target.Describe();
  std::map<std::string, Account> hint;
  for (const auto& a : config.accounts) hint[a.account.id] = a.account;
  if (!target.Read(hint, &result->live, &result->problem.message)) {
    result->stage = PlanStage::kFailed;
    return;
  }
  result->stage = PlanStage::kPlanInvalid;
  if (!CompileAgainstLive(today, result)) return;
  // Accounts in the plan's live state are the compiled ones, so the fingerprint
  // does not depend on how accounts were found.
  result->live.accounts = result->compiled.desired.accounts;
  // With an external identity source the IdP owns memberships: the desired
  // state has the live ones, so access is computed through the real groups.
  if (config.settings.external_identity) result->compiled.desired.memberships = result->live.memberships;
  if (!DiffStates(result->compiled.desired, result->live, config.settings, &result->plan, &result->plan_diags)) return;
  result->plan.config_digest = result->checked.digest;
  result->plan.live_fingerprint = StateFingerprint(result->live);
  result->plan.notes = result->compiled.notes;
  result->plan.access_changes = ChangedAccess(result->live, result->compiled.desired);
  result->stage = PlanStage::kPlanned;
}

PlanResult RunPlan(const PlanRequest& req) {
  PlanResult result;
  result.checked = CheckConfig(req.config);
  if (!result.checked.ok()) return result;
  std::unique_ptr<Target> target = OpenConfiguredTarget(result.checked.target, &result.problem.message);
  if (!target) {
    result.stage = PlanStage::kFailed;
    return result;
  }
  PlanAgainst(*target, req.config.today, &result);
  if (result.ok() && req.lint_findings) {
    lint::LintResult lint =
        lint::RunLint(result.checked.config, result.compiled, lint::LintOptions{req.config.today});
    lint::PlanFindings split =
        lint::SplitFindings(std::move(lint.findings), result.plan, result.compiled.desired.accounts);
    result.findings = std::move(split.about_plan);
    result.other_findings = std::move(split.rest);
  }
  return result;
}

}  // namespace gatehouse
