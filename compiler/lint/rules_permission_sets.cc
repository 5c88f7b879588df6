// Rules over what a permission set allows (its effective permissions).
#include <algorithm>
#include <map>
#include <set>
#include <tuple>

#include "compiler/config_loader.h"
#include "compiler/iam/action_catalog.h"
#include "compiler/iam/risky_actions.h"
#include "compiler/lint/lint_context.h"

namespace gatehouse::lint {
namespace {

using SpanKey = std::tuple<std::string, int, int>;
SpanKey KeyOf(const SourceSpan& s) { return {s.file, s.line, s.column}; }

std::string Join(const std::vector<std::string>& items, size_t n, const std::string& sep = ", ") {
  std::string out;
  for (size_t i = 0; i < items.size() && i < n; ++i) out += (i ? sep : "") + items[i];
  if (items.size() > n) out += " and " + std::to_string(items.size() - n) + " more";
  return out;
}

std::string Seconds(long s) {
  return "PT" + std::to_string(s / 3600) + "H" + (s % 3600 ? std::to_string(s % 3600 / 60) + "M" : "");
}

void SessionDuration(LintContext& ctx, const SetAnalysis& set) {
  const PermissionSetDecl& d = *set.decl;
  long seconds = ParseIsoDuration(d.ps.session_duration);
  if (seconds < 0) return;
  bool privileged = set.privileged();
  long limit = privileged ? ctx.params().privileged_session_max : ctx.params().session_max;
  if (seconds <= limit) return;
  std::string kind = d.privileged ? "privileged " : set.summary.admin_equivalent ? "administrator " : "";
  ctx.Report("session-duration", d.session_span.known() ? d.session_span : d.name_span,
             "session duration " + d.ps.session_duration + " of " + kind + "permission set '" + d.ps.name +
                 "' is longer than " + Seconds(limit),
             d.ps.name, "set session_duration: " + Seconds(limit) + " or less");
}

bool HasStar(const nlohmann::json& resource) {
  if (resource.is_string()) return resource == "*";
  if (resource.is_array())
    for (const auto& r : resource)
      if (r == "*") return true;
  return false;
}

void WildcardStatement(LintContext& ctx, const SetAnalysis& set, const nlohmann::json& st, const iam::JsonPath& at) {
  if (!st.is_object() || st.value("Effect", "") != "Allow") return;
  const std::string& name = set.decl->ps.name;
  const YamlNode& root = set.decl->inline_policy->node;
  if (st.contains("NotAction")) {
    iam::JsonPath p = at;
    p.push_back(std::string("NotAction"));
    ctx.Report("wildcard-actions", LocateJsonPath(root, p),
               "statement of permission set '" + name + "' allows every action except those in NotAction", name,
               "list the allowed actions under Action instead");
  }
  if (!st.contains("Action")) return;
  const nlohmann::json& action = st["Action"];
  std::vector<std::pair<std::string, iam::JsonPath>> patterns;
  iam::JsonPath base = at;
  base.push_back(std::string("Action"));
  if (action.is_string()) patterns.push_back({action.get<std::string>(), base});
  if (action.is_array())
    for (size_t i = 0; i < action.size(); ++i)
      if (action[i].is_string()) {
        iam::JsonPath p = base;
        p.push_back(i);
        patterns.push_back({action[i].get<std::string>(), p});
      }
  bool all_resources = st.contains("NotResource") || (st.contains("Resource") && HasStar(st["Resource"]));
  for (const auto& [pattern, path] : patterns) {
    if (pattern == "*") {
      ctx.Report("wildcard-actions", LocateJsonPath(root, path),
                 "statement of permission set '" + name + "' allows every action (`*`)", name,
                 "list the actions the job needs");
    } else if (all_resources && pattern.size() > 2 && pattern.compare(pattern.size() - 2, 2, ":*") == 0) {
      ctx.Report("wildcard-actions", LocateJsonPath(root, path),
                 "statement of permission set '" + name + "' allows every `" + pattern.substr(0, pattern.size() - 2) +
                     "` action on every resource",
                 name, "list the actions the job needs, or scope Resource");
    }
  }
}

void WildcardActions(LintContext& ctx, const SetAnalysis& set) {
  if (!set.inline_doc || !set.inline_doc->contains("Statement")) return;
  const nlohmann::json& statements = (*set.inline_doc)["Statement"];
  if (statements.is_object()) WildcardStatement(ctx, set, statements, {std::string("Statement")});
  if (statements.is_array())
    for (size_t i = 0; i < statements.size(); ++i)
      WildcardStatement(ctx, set, statements[i], {std::string("Statement"), i});
}

struct RiskRule {
  const char* rule;
  std::string_view category;
  const char* verb;  ///< "can escalate its privileges"
  const char* help;
  bool escalation;  ///< the holder can grant itself more (see Exempt)
};

/// Whether a rule about risky actions passes over the set. `privileged: true`
/// acknowledges credentials and permissions management, but not an escalation:
/// that stays reported while anyone but a break-glass group holds the set. Admin sets
/// are reported by admin-only-break-glass instead (the same fact).
bool Exempt(LintContext& ctx, const SetAnalysis& set, const RiskRule& r) {
  if (!r.escalation) return set.privileged();
  if (set.summary.admin_equivalent) return true;
  return set.decl->privileged && !ctx.HeldBeyondBreakGlass(set.decl->ps.name);
}

void RiskyActions(LintContext& ctx, const SetAnalysis& set, const RiskRule& r) {
  if (!ctx.Enabled(r.rule) || Exempt(ctx, set, r)) return;
  std::vector<iam::RiskMatch> matches = iam::BuiltinRiskCatalog().Find(set.effective, r.category);
  std::map<SpanKey, std::pair<SourceSpan, std::vector<const iam::RiskMatch*>>> by_place;
  for (const iam::RiskMatch& m : matches) {
    if (m.actions.empty() || m.actions[0].empty()) continue;
    SourceSpan at = set.Locate(m.actions[0][0]);
    auto& slot = by_place[KeyOf(at)];
    slot.first = at;
    slot.second.push_back(&m);
  }
  const std::string& name = set.decl->ps.name;
  for (const auto& [key, place] : by_place) {
    std::vector<std::string> combos, notes;
    for (const iam::RiskMatch* m : place.second) {
      std::vector<std::string> parts;
      for (const auto& req : m->actions) parts.push_back(req.empty() ? "?" : req.front());
      combos.push_back(Join(parts, 4, " + "));
      if (notes.size() < 5) notes.push_back(Join(parts, 4, " + ") + ": " + m->pattern->why);
    }
    ctx.Report(r.rule, place.first, "permission set '" + name + "' " + r.verb + ": " + Join(combos, 3), name, r.help,
               notes);
  }
}

void PermissionsManagement(LintContext& ctx, const SetAnalysis& set) {
  if (!ctx.Enabled("permissions-management") || set.privileged()) return;
  std::vector<std::string> actions = iam::AllowedActionsAtLevel(set.effective, iam::kPermissionsManagement);
  if (actions.empty()) return;
  std::map<SpanKey, std::pair<SourceSpan, std::vector<std::string>>> by_place;
  for (size_t i = 0; i < actions.size() && i < 50; ++i) {
    SourceSpan at = set.Locate(actions[i]);
    auto& slot = by_place[KeyOf(at)];
    slot.first = at;
    slot.second.push_back(actions[i]);
  }
  const std::string& name = set.decl->ps.name;
  for (const auto& [key, place] : by_place) {
    // With one place the count is the set's total; with several, each place names its own examples.
    std::string what = by_place.size() == 1 ? std::to_string(actions.size()) + " permissions-management actions, e.g. "
                                            : "permissions-management actions such as ";
    std::vector<std::string> examples(place.second.begin(),
                                      place.second.begin() + std::min<size_t>(3, place.second.size()));
    ctx.Report("permissions-management", place.first,
               "permission set '" + name + "' is not marked privileged but allows " + what + Join(examples, 3), name,
               "remove the permissions-management actions, or mark the set privileged: true");
  }
}

void ProtectAuditLogs(LintContext& ctx, const SetAnalysis& set) {
  if (!ctx.Enabled("protect-audit-logs") || !set.summary.has_write) return;
  const std::string& name = set.decl->ps.name;
  std::set<std::string> production;
  for (const std::string& account_id : ctx.AccountsOfSet(name))
    if (ctx.IsProduction(account_id, ctx.params().audit_production)) production.insert(ctx.AccountLabel(account_id));
  if (production.empty()) return;
  const iam::ActionCatalog& catalog = iam::BuiltinCatalog();
  std::vector<std::string> missing;
  for (const std::string& action : ctx.params().audit_actions) {
    std::optional<iam::ActionId> id = catalog.Find(action);
    if (id && set.effective.allowed.Contains(*id)) missing.push_back(catalog.action(*id).FullName());
  }
  if (missing.empty()) return;
  SourceSpan at = set.decl->inline_policy ? set.decl->inline_span : set.Locate(missing.front());
  ctx.Report("protect-audit-logs", at,
             "permission set '" + name + "' can change production accounts but does not deny " + Join(missing, 3), name,
             "add a statement {Effect: Deny, Action: [the actions], Resource: \"*\"} without a Condition",
             {"used in production: " + Join(std::vector<std::string>(production.begin(), production.end()), 3),
              "not denied: " + Join(missing, 20)});
}

const RiskRule kEscalation{"privilege-escalation", iam::kPrivilegeEscalation, "can escalate its privileges",
                           "remove the actions or scope them to specific resources; mark the set privileged: true and "
                           "assign it only to break-glass groups if it is meant to be this powerful",
                           true};
const RiskRule kIdentityCenter{"identity-center-escalation", iam::kIdentityCenterEscalation,
                               "can change Identity Center access, its own included",
                               "remove the sso/identitystore/organizations write actions, or mark the set privileged: "
                               "true and assign it only to break-glass groups",
                               true};
const RiskRule kCredentials{"credentials-exposure", iam::kCredentialsExposure, "can obtain credentials",
                            "scope the actions to the roles or resources needed, or mark the set privileged: true",
                            false};

}  // namespace

void CheckPermissionSetRules(LintContext& ctx) {
  for (const PermissionSetDecl& decl : ctx.config().permission_sets) {
    const SetAnalysis* set = ctx.Analysis(decl.ps.name);
    if (!set || set->decl != &decl) continue;  // a duplicate name: validate reported it
    if (ctx.Enabled("session-duration")) SessionDuration(ctx, *set);
    if (ctx.Enabled("wildcard-actions")) WildcardActions(ctx, *set);
    RiskyActions(ctx, *set, kEscalation);
    RiskyActions(ctx, *set, kIdentityCenter);
    RiskyActions(ctx, *set, kCredentials);
    PermissionsManagement(ctx, *set);
    ProtectAuditLogs(ctx, *set);
  }
}

}  // namespace gatehouse::lint
