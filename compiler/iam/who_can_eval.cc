#include "compiler/iam/who_can_eval.h"

#include <algorithm>

#include "compiler/iam/effective_permissions.h"
#include "compiler/iam/policy_validator.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

/// What the statements of some policies say about the query.
struct Matches {
  bool allow = false, allow_conditional = false;
  bool deny = false, deny_conditional = false;
  std::vector<GrantReason> because;

  Decision Decide() const {
    if (deny || (!allow && !allow_conditional)) return Decision::kDeny;
    if (!allow || deny_conditional) return Decision::kConditional;
    return Decision::kAllow;
  }
};

bool ActionMatches(const json& st, const std::string& action) {
  bool has_action = st.contains("Action");
  bool matched = false;
  for (const std::string& pattern : PolicyStrings(st[has_action ? "Action" : "NotAction"]))
    if (WildcardMatch(pattern, action)) matched = true;
  return matched == has_action;
}

bool ResourceMatches(const json& st, bool allow, const std::optional<std::string>& resource) {
  bool has_resource = st.contains("Resource");
  std::vector<std::string> patterns = PolicyStrings(st[has_resource ? "Resource" : "NotResource"]);
  if (!resource) {
    // Any resource counts for an Allow; a Deny denies outright only on "*".
    return allow || (has_resource && std::find(patterns.begin(), patterns.end(), "*") != patterns.end());
  }
  bool matched =
      std::any_of(patterns.begin(), patterns.end(), [&](const std::string& p) { return ArnMatch(p, *resource); });
  return matched == has_resource;
}

/// Well-formed enough to evaluate: Effect Allow|Deny, exactly one of Action/NotAction
/// and of Resource/NotResource.
bool Evaluable(const json& st) {
  if (!st.is_object() || !st.contains("Effect")) return false;
  const json& effect = st["Effect"];
  if (effect != "Allow" && effect != "Deny") return false;
  return st.contains("Action") != st.contains("NotAction") && st.contains("Resource") != st.contains("NotResource");
}

std::string StatementId(const json& st, std::size_t index) {
  if (st.contains("Sid") && st["Sid"].is_string() && !st["Sid"].get<std::string>().empty())
    return st["Sid"].get<std::string>();
  return std::to_string(index);
}

void MatchStatement(const json& st, std::size_t index, const NamedPolicy& policy, const ActionQuery& q, Matches* m) {
  if (!Evaluable(st)) return;
  bool allow = st["Effect"] == "Allow";
  if (!ActionMatches(st, q.action) || !ResourceMatches(st, allow, q.resource)) return;
  bool conditional = HasCondition(st);
  if (!allow) {
    (conditional ? m->deny_conditional : m->deny) = true;
    return;
  }
  (conditional ? m->allow_conditional : m->allow) = true;
  GrantReason r;
  r.policy = policy.name;
  r.statement = StatementId(st, index);
  r.not_resource = !st.contains("Resource");
  r.resources = PolicyStrings(st[r.not_resource ? "NotResource" : "Resource"]);
  r.conditional = conditional;
  m->because.push_back(std::move(r));
}

void MatchPolicy(const NamedPolicy& policy, const ActionQuery& q, Matches* m) {
  if (policy.document == nullptr || !policy.document->is_object() || !policy.document->contains("Statement")) return;
  const json& statements = (*policy.document)["Statement"];
  if (statements.is_object()) MatchStatement(statements, 0, policy, q, m);
  if (statements.is_array()) {
    for (std::size_t i = 0; i < statements.size(); ++i) MatchStatement(statements[i], i, policy, q, m);
  }
}

}  // namespace

const char* DecisionName(Decision d) {
  switch (d) {
    case Decision::kAllow: return "allow";
    case Decision::kConditional: return "conditional";
    case Decision::kDeny: break;
  }
  return "deny";
}

ActionEvaluation EvaluateAction(const std::vector<NamedPolicy>& policies, const NamedPolicy* boundary,
                                const ActionQuery& query) {
  Matches identity;
  for (const NamedPolicy& p : policies) MatchPolicy(p, query, &identity);
  ActionEvaluation out;
  out.decision = identity.Decide();
  out.identity_allows = identity.allow || identity.allow_conditional;
  out.explicitly_denied = identity.deny;
  if (boundary != nullptr) {
    Matches bound;
    MatchPolicy(*boundary, query, &bound);
    out.decision = std::min(out.decision, bound.Decide());
    out.explicitly_denied = out.explicitly_denied || bound.deny;
  }
  if (out.decision != Decision::kDeny) out.because = std::move(identity.because);
  return out;
}

bool ResolveAction(std::string_view text, std::string* canonical, std::string* error, std::string* help,
                   const ActionCatalog& catalog) {
  std::string action(text);
  std::size_t colon = action.find(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == action.size() ||
      action.find(':', colon + 1) != std::string::npos) {
    *error = "'" + action + "' is not an action: write service:Action, e.g. cloudtrail:StopLogging";
    return false;
  }
  if (action.find_first_of("*?") != std::string::npos) {
    *error = "'" + action + "' has a wildcard; who-can takes one action";
    return false;
  }
  if (std::optional<ActionId> id = catalog.Find(action)) {
    *canonical = catalog.action(*id).FullName();
    return true;
  }
  std::string prefix = action.substr(0, colon);
  const ServiceInfo* service = catalog.FindService(prefix);
  if (service != nullptr) {
    *error = "unknown action '" + action + "': " + service->prefix + " has no such action";
  } else {
    *error = "unknown action '" + action + "': no service has the prefix '" + prefix + "'";
    std::vector<std::string> prefixes;
    for (const ServiceInfo& s : catalog.services()) prefixes.push_back(s.prefix);
    service = catalog.FindService(ClosestMatch(prefix, prefixes));
  }
  std::vector<std::string> candidates;
  if (service != nullptr) {
    for (ActionId id = service->first; id < service->end; ++id) candidates.push_back(catalog.action(id).FullName());
  }
  std::string best = ClosestMatch(service != nullptr ? service->prefix + action.substr(colon) : action, candidates);
  *help = best.empty() ? "" : "did you mean '" + best + "'?";
  return false;
}

bool ArnMatch(std::string_view pattern, std::string_view arn) {
  std::size_t p = 0, t = 0, star = std::string_view::npos, mark = 0;
  while (t < arn.size()) {
    if (p < pattern.size() && (pattern[p] == '?' || pattern[p] == arn[t])) {
      ++p;
      ++t;
    } else if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace gatehouse::iam
