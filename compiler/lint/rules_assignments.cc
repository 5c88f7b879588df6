// Rules over assignments: who gets which set where.
#include <algorithm>
#include <set>

#include "compiler/lint/lint_context.h"

namespace gatehouse::lint {
namespace {

std::string Describe(const LintContext& ctx, const Assignment& a) {
  return std::string(a.principal_type == PrincipalType::kUser ? "user '" : "group '") + a.principal + "' has '" +
         a.permission_set + "' on '" + ctx.AccountLabel(a.account_id) + "'";
}

/// "administrator access", or how a set that is not admin can take it.
std::string AdminKind(const SetAnalysis& set) {
  if (set.summary.admin_equivalent) return "which is administrator access";
  return "which can escalate to administrator access (see privilege-escalation and identity-center-escalation)";
}

void AdminOnlyBreakGlass(LintContext& ctx) {
  if (!ctx.Enabled("admin-only-break-glass")) return;
  for (const Assignment& a : ctx.compiled().desired.assignments) {
    if (ctx.IsBreakGlass(a)) continue;
    const SetAnalysis* set = ctx.Analysis(a.permission_set);
    if (!set || !ctx.AdminOrEscalation(*set)) continue;
    std::string why =
        a.principal_type == PrincipalType::kUser ? "a user" : "a group not listed in policy.break_glass_groups";
    ctx.Report("admin-only-break-glass", ctx.PrincipalSpan(a),
               Describe(ctx, a) + ", " + AdminKind(*set) + ", but is " + why, ctx.AssignmentTarget(a),
               "assign a narrower permission set, or list the group under policy.break_glass_groups");
  }
}

void NoUserAssignments(LintContext& ctx) {
  if (!ctx.Enabled("no-user-assignments")) return;
  for (const Assignment& a : ctx.compiled().desired.assignments) {
    if (a.principal_type != PrincipalType::kUser) continue;
    ctx.Report("no-user-assignments", ctx.PrincipalSpan(a), Describe(ctx, a) + " directly, not through a group",
               ctx.AssignmentTarget(a), "put the user in a group and assign the group");
  }
  for (const ApplicationAssignment& a : ctx.compiled().desired.application_assignments) {
    if (a.principal_type != PrincipalType::kUser) continue;
    ctx.Report("no-user-assignments", ctx.PrincipalSpan(a),
               "user '" + a.principal + "' may use application '" + a.application + "' directly, not through a group",
               a.principal + "/application:" + a.application, "put the user in a group and assign the group");
  }
}

std::string JoinFirst(const std::set<std::string>& names, size_t n) {
  std::string out;
  size_t i = 0;
  for (const std::string& s : names) {
    if (i == n) return out + " and " + std::to_string(names.size() - n) + " more";
    out += (i++ ? ", " : "") + s;
  }
  return out;
}

void EnvironmentSeparation(LintContext& ctx) {
  if (!ctx.Enabled("environment-separation")) return;
  std::map<std::string, std::pair<std::set<std::string>, std::set<std::string>>> use;  // set → prod, non-prod
  for (const Assignment& a : ctx.compiled().desired.assignments) {
    auto acc = ctx.compiled().desired.accounts.find(a.account_id);
    if (acc == ctx.compiled().desired.accounts.end() || acc->second.environment.empty()) continue;
    bool prod = ctx.IsProduction(a.account_id, ctx.params().separation_production);
    (prod ? use[a.permission_set].first : use[a.permission_set].second).insert(ctx.AccountLabel(a.account_id));
  }
  for (const auto& [name, accounts] : use) {
    const auto& [prod, other] = accounts;
    if (prod.empty() || other.empty()) continue;
    const SetAnalysis* set = ctx.Analysis(name);
    if (!set || set->summary.read_only) continue;  // sharing a read-only set changes nothing in production
    ctx.Report("environment-separation", set->decl->name_span,
               "permission set '" + name + "' can change production accounts and is also used in non-production ones",
               name, "use separate permission sets for production and non-production accounts",
               {"production: " + JoinFirst(prod, 3), "non-production: " + JoinFirst(other, 3)});
  }
}

void ExpiredAccess(LintContext& ctx) {
  if (!ctx.Enabled("expired-access")) return;
  for (const auto& [a, index] : ctx.compiled().expired) {
    const AssignmentDecl& decl = ctx.config().assignments[index];
    SourceSpan at = decl.expires ? decl.expires->span : decl.span;
    ctx.Report("expired-access", at,
               Describe(ctx, a) + " until " + (decl.expires ? decl.expires->value : "") +
                   ", which has passed; the plan removes it",
               ctx.AssignmentTarget(a), "delete the expired assignment, or extend expires with a new reason");
  }
  for (const auto& [a, index] : ctx.compiled().expired_applications) {
    const AssignmentDecl& decl = ctx.config().assignments[index];
    SourceSpan at = decl.expires ? decl.expires->span : decl.span;
    ctx.Report("expired-access", at,
               std::string(a.principal_type == PrincipalType::kUser ? "user '" : "group '") + a.principal +
                   "' may use application '" + a.application + "' until " + (decl.expires ? decl.expires->value : "") +
                   ", which has passed; the plan removes it",
               a.principal + "/application:" + a.application,
               "delete the expired assignment, or extend expires with a new reason");
  }
}

}  // namespace

void CheckAssignmentRules(LintContext& ctx) {
  AdminOnlyBreakGlass(ctx);
  NoUserAssignments(ctx);
  EnvironmentSeparation(ctx);
  ExpiredAccess(ctx);
}

}  // namespace gatehouse::lint
