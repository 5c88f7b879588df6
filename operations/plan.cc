#include "operations/plan.h"

#include <future>

#include "compiler/delegation.h"
#include "compiler/diff.h"
#include "compiler/lint/lint.h"
#include "compiler/lint/plan_findings.h"
#include "compiler/scope.h"
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
  co.live_applications = &result->live.applications;
  Diagnostics compile_diags;
  bool ok = CompileConfig(checked.config, co, &result->compiled, &compile_diags);
  // Reported: what is not already among the checked config's diagnostics.
  Diagnostics all = checked.diags;
  MergeCompileDiagnostics(compile_diags, CompileFindings::kAll, &all);
  for (size_t i = checked.diags.items().size(); i < all.items().size(); ++i) result->plan_diags.Add(all.items()[i]);
  return ok;
}

/// True when the plan changes assignments or permission sets (what delegation can refuse).
bool ChangesDelegatedObjects(const Plan& plan) {
  for (const auto& op : plan.operations)
    if (op.kind == ObjectKind::kAssignment || op.kind == ObjectKind::kPermissionSet) return true;
  return false;
}

/// Refuses, at their declarations, the changes a delegated administrator may
/// not make in the management account. False when it reported an error.
bool CheckDelegation(Target& target, PlanResult* result) {
  const Settings& settings = result->checked.config.settings;
  if (!ChangesDelegatedObjects(result->plan)) return true;
  AdminIdentity who = target.Administrator();
  if (!IsDelegatedAdministrator(settings, who.caller_account, who.management_account)) return true;
  if (who.management_account.empty()) {
    result->plan_diags.Warning(settings.span,
                               "settings.delegated_admin is true, but the management account is unknown, so changes "
                               "to it are not checked",
                               "the target cannot tell (Organizations DescribeOrganization refused, or not AWS)");
    return true;
  }
  Diagnostics found;
  CheckDelegatedAdministration(result->checked.config, result->compiled, result->live, result->plan,
                               who.management_account, &found);
  for (const auto& d : found.items()) result->plan_diags.Add(d);
  return !found.HasErrors();
}

/// A declared application the plan would create, where the target cannot
/// create one (AWS: SAML applications are made in the console), or declared by
/// an arn that is not there: an error at its declaration naming those that exist.
bool CheckApplicationsExist(const Target& target, PlanResult* result) {
  std::vector<std::string> existing;
  for (const auto& [name, app] : result->live.applications) existing.push_back(name);
  std::string listed;
  for (const auto& name : existing) listed += (listed.empty() ? "'" : ", '") + name + "'";
  bool ok = true;
  for (const auto& op : result->plan.operations) {
    if (op.kind != ObjectKind::kApplication || op.action != Action::kCreate) continue;
    const Application& app = std::get<Application>(op.value());
    if (target.CreatesApplications() && app.arn.empty()) continue;
    SourceSpan at;
    for (const auto& d : result->checked.config.applications)
      if (d.ref() == app.name || (!d.arn.empty() && d.arn == app.arn)) at = d.ref_span;
    std::string suggestion = DidYouMean(app.name, existing);
    result->plan_diags.Error(at,
                             "application '" + app.name + "' does not exist in " + result->target +
                                 (suggestion.empty() ? "" : "; " + suggestion),
                             existing.empty()
                                 ? "none was found (or the credentials may not call sso:ListApplications); "
                                   "add it in the IAM Identity Center console first: SAML applications "
                                   "cannot be created through the API"
                                 : "the applications there: " + listed);
    ok = false;
  }
  return ok;
}

/// Reads the live directory (or the slice) into `result->live`; false with `result->problem`.
bool ReadLive(Target& target, const Scope* scope, PlanResult* result) {
  const Config& config = result->checked.config;
  std::map<std::string, Account> hint;
  for (const auto& a : config.accounts) hint[a.account.id] = a.account;
  if (!scope) return target.Read(hint, &result->live, &result->problem.message);
  DirectoryState read;
  if (!target.ReadScope(*scope, hint, &read, &result->problem.message)) return false;
  result->live = Restrict(read, *scope);
  return true;
}

/// Diffs the compiled config (or its slice) against the live directory read,
/// and fills the plan's fingerprint, notes, access changes and scope.
bool DiffAgainstLive(const Scope* scope, PlanResult* result) {
  const Config& config = result->checked.config;
  DirectoryState sliced;
  DirectoryState* desired = &result->compiled.desired;
  if (scope) {
    sliced = Restrict(result->compiled.desired, *scope);
    desired = &sliced;
  }
  // Accounts in the plan's live state are the compiled ones, so the fingerprint
  // does not depend on how accounts were found.
  result->live.accounts = desired->accounts;
  // With an external identity source the IdP owns memberships: the desired
  // state has the live ones, so access is computed through the real groups.
  if (config.settings.external_identity) desired->memberships = result->live.memberships;
  // The fingerprint (a hash of the whole live state) is taken on a second core meanwhile.
  auto fingerprint = std::async(std::launch::async, [result] { return StateFingerprint(result->live); });
  if (!DiffStates(*desired, result->live, config.settings, &result->plan, &result->plan_diags)) return false;
  result->plan.config_digest = result->checked.digest;
  result->plan.notes = result->compiled.notes;
  const auto documents = CustomerPolicyDocumentsOf(config);
  if (!scope) {
    // Compared with what the directory will hold: desired, plus what the plan leaves (ignored, additive).
    auto kept = PlannedState(result->live, result->compiled.desired, result->plan);
    result->plan.access_changes = ChangedAccess(result->live, kept ? *kept : result->compiled.desired, documents);
  } else {
    // Outside the slice the live directory is taken to match the config (not read).
    DirectoryState before = Overlay(result->compiled.desired, result->live, *scope);
    auto kept = PlannedState(before, result->compiled.desired, result->plan);
    result->plan.access_changes = ChangedAccess(before, kept ? *kept : result->compiled.desired, documents);
    result->plan.scope = std::make_shared<Scope>(*scope);
    result->plan.objects_read = CountObjects(result->live);
  }
  result->plan.live_fingerprint = fingerprint.get();
  return true;
}

}  // namespace

void PlanAgainst(Target& target, const std::string& today, PlanResult* result, const Scope* scope) {
  result->planning_ran = true;
  result->target = target.Describe();
  if (!ReadLive(target, scope, result)) {
    result->stage = PlanStage::kFailed;
    return;
  }
  result->stage = PlanStage::kPlanInvalid;
  if (!CompileAgainstLive(today, result)) return;
  if (!DiffAgainstLive(scope, result)) return;
  if (!CheckApplicationsExist(target, result)) return;
  if (!CheckDelegation(target, result)) return;
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
  Scope scope;
  if (req.scope.scoped() && !ComputeScope(req.config, result.checked, req.scope, &scope, &result.problem)) {
    result.stage = PlanStage::kFailed;
    return result;
  }
  PlanAgainst(*target, req.config.today, &result, req.scope.scoped() ? &scope : nullptr);
  if (result.ok() && req.lint_findings) {
    lint::LintResult lint = lint::RunLint(result.checked.config, result.compiled, lint::LintOptions{req.config.today});
    lint::PlanFindings split =
        lint::SplitFindings(std::move(lint.findings), result.plan, result.compiled.desired.accounts);
    result.findings = std::move(split.about_plan);
    result.other_findings = std::move(split.rest);
  }
  return result;
}

}  // namespace gatehouse
