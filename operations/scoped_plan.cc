#include "operations/scoped_plan.h"

#include <future>

#include "runtime/git_source.h"

namespace gatehouse {

namespace {

/// The config at `ref`, compiled for `today`; false with `problem`.
bool CompileAtRef(const ConfigRequest& req, const std::string& ref, CompiledConfig* out, Problem* problem) {
  GitSnapshot snapshot;
  if (!snapshot.Export(req.dir, ref, &problem->message, &problem->help)) return false;
  ConfigRequest base = req;
  base.dir = snapshot.path();
  CheckedConfig checked = CheckConfig(base);
  Diagnostics diags;
  if (!checked.ok() || !CompileChecked(checked, req.today, out, &diags)) {
    problem->message = "the config at " + ref + " does not compile (" +
                       std::to_string(checked.diags.ErrorCount() + diags.ErrorCount()) + " errors)";
    problem->help = "plan against a revision whose config is valid, name the objects with --only, or plan in full";
    return false;
  }
  return true;
}

/// Applications are outside what a slice can hold: a change to one (or to who
/// is assigned to it) cannot be planned in scope, so it is refused rather than
/// shown as "no changes".
bool ApplicationsUnchanged(const DirectoryState& before, const DirectoryState& after, const std::string& ref,
                           Problem* problem) {
  if (before.applications == after.applications && before.application_assignments == after.application_assignments)
    return true;
  problem->message =
      "applications or their assignments changed since " + ref + ", and a scoped plan does not cover applications";
  problem->help = "run a full plan (without --changed-from / --only)";
  return false;
}

}  // namespace

bool ComputeScope(const ConfigRequest& req, const CheckedConfig& checked, const ScopeRequest& request, Scope* out,
                  Problem* problem) {
  if (checked.config.settings.discover_accounts) {
    problem->message =
        "a scoped plan needs the accounts declared in the config, and settings.discover_accounts is true";
    problem->help = "run a full plan (without --changed-from / --only)";
    return false;
  }
  // The revision's config compiles on another thread while this one compiles the working tree's.
  CompiledConfig before;
  Problem base_problem;
  std::future<bool> base;
  if (!request.changed_from.empty())
    base =
        std::async(std::launch::async, [&] { return CompileAtRef(req, request.changed_from, &before, &base_problem); });
  CompiledConfig after;
  Diagnostics diags;
  bool compiled = CompileChecked(checked, req.today, &after, &diags);
  if (base.valid() && !base.get()) {
    *problem = base_problem;
    return false;
  }
  if (!compiled) {
    problem->message = "the config does not compile";
    return false;
  }
  Scope scope;
  if (!request.changed_from.empty()) {
    if (!ApplicationsUnchanged(before.desired, after.desired, request.changed_from, problem)) return false;
    scope = ChangedScope(before.desired, after.desired);
    scope.origin = "changed from " + request.changed_from;
  }
  for (const auto& spec : request.only) {
    if (!AddOnly(spec, after.desired, &scope, &problem->message)) {
      problem->help = "--only takes KIND:NAME, e.g. group:DevOps or membership:DevOps/alice";
      return false;
    }
    scope.origin += std::string(scope.origin.empty() ? "" : ", ") + "--only " + spec;
  }
  for (const auto& [assignment, index] : after.expired) scope.assignments.insert(assignment);
  AddDependencies(after.desired, &scope);
  AddSetHints(request.changed_from.empty() ? after.desired : before.desired, &scope);
  *out = std::move(scope);
  return true;
}

}  // namespace gatehouse
