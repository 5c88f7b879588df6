#include "compiler/who_can.h"

#include <algorithm>
#include <map>
#include <set>
#include <tuple>
#include <unordered_map>

#include "compiler/diagnostics.h"
#include "compiler/iam/managed_policies.h"
#include "compiler/selector.h"

namespace gatehouse {

namespace {

/// The documents of one set the analyzer has, and the names of those it lacks.
struct SetPolicies {
  std::vector<iam::NamedPolicy> known;
  std::vector<std::string> unknown;
  std::optional<nlohmann::json> inline_doc;
  std::optional<iam::NamedPolicy> boundary;
  std::string unknown_boundary;  ///< the boundary's name when it has no document
};

std::string PolicyName(const CustomerManagedPolicy& p) { return p.path + p.name; }

void CollectIdentity(const PermissionSet& ps, const CustomerPolicyDocuments& documents, SetPolicies* out) {
  for (const std::string& arn : ps.managed_policies) {
    if (const nlohmann::json* doc = iam::FindManagedPolicy(arn)) out->known.push_back({arn, doc});
    else out->unknown.push_back(arn);
  }
  if (!ps.inline_policy.empty()) {
    nlohmann::json j = nlohmann::json::parse(ps.inline_policy, nullptr, false);
    if (!j.is_discarded()) out->inline_doc = std::move(j);
  }
  for (const CustomerManagedPolicy& p : ps.customer_managed_policies) {
    auto it = documents.find(p);
    if (it != documents.end()) out->known.push_back({PolicyName(p), &it->second});
    else out->unknown.push_back(PolicyName(p));
  }
}

void CollectBoundary(const PermissionSet& ps, const CustomerPolicyDocuments& documents, SetPolicies* out) {
  if (!ps.permissions_boundary) return;
  const PermissionsBoundary& b = *ps.permissions_boundary;
  std::string name = b.customer_managed_policy ? PolicyName(*b.customer_managed_policy) : b.managed_policy_arn;
  const nlohmann::json* doc = nullptr;
  if (b.customer_managed_policy) {
    auto it = documents.find(*b.customer_managed_policy);
    if (it != documents.end()) doc = &it->second;
  } else {
    doc = iam::FindManagedPolicy(b.managed_policy_arn);
  }
  if (doc != nullptr) out->boundary = iam::NamedPolicy{name, doc};
  else out->unknown_boundary = name;
}

std::string Missing(const std::string& policy, bool boundary) {
  bool customer = !policy.empty() && policy.front() == '/';
  std::string what = boundary ? (customer ? "customer managed permissions boundary " : "permissions boundary ")
                              : (customer ? "customer managed policy " : "managed policy ");
  return what + policy + (customer ? " is not in the config" : " is not in the built-in catalog");
}

}  // namespace

SetOutcome EvaluatePermissionSet(const PermissionSet& ps, const CustomerPolicyDocuments& documents,
                                 const iam::ActionQuery& query) {
  SetPolicies p;
  CollectIdentity(ps, documents, &p);
  CollectBoundary(ps, documents, &p);
  if (p.inline_doc) p.known.push_back({"inline", &*p.inline_doc});
  SetOutcome out;
  out.evaluation = iam::EvaluateAction(p.known, p.boundary ? &*p.boundary : nullptr, query);
  bool allowed = out.evaluation.decision != iam::Decision::kDeny;
  // A missing identity policy matters only when the known ones neither allow nor
  // deny outright; a missing boundary only when the set would be allowed.
  if (!allowed && !out.evaluation.explicitly_denied && !p.unknown.empty()) {
    out.unknown = p.unknown;
    for (const std::string& name : p.unknown) out.reason += (out.reason.empty() ? "" : "; ") + Missing(name, false);
  }
  if (allowed && !p.unknown_boundary.empty()) {
    out.unknown = {p.unknown_boundary};
    out.reason = Missing(p.unknown_boundary, true);
  }
  out.kind = !out.unknown.empty() ? SetOutcome::kUnknown : allowed ? SetOutcome::kGranted : SetOutcome::kDenied;
  if (out.kind != SetOutcome::kGranted) out.evaluation.because.clear();
  return out;
}

namespace {

/// Accounts in scope by id; nullptr values for ids the state does not hold.
using Scope = std::unordered_map<std::string, const Account*>;

bool ResolveScope(const DirectoryState& s, const WhoCanQuery& q, Scope* scope, bool* filtered, WhoCanError* error) {
  std::set<std::string> named;
  for (const std::string& ref : q.accounts) {
    auto by_id = s.accounts.find(ref);
    bool found = by_id != s.accounts.end();
    if (found) named.insert(ref);
    for (const auto& [id, a] : s.accounts)
      if (a.name == ref) named.insert(id), found = true;
    if (found) continue;
    std::vector<std::string> names;
    for (const auto& [id, a] : s.accounts) names.push_back(a.name);
    error->message = "unknown account '" + ref + "'";
    error->help = DidYouMean(ref, names);
    return false;
  }
  *filtered = !q.accounts.empty() || q.environment || q.ou;
  for (const auto& [id, a] : s.accounts) {
    if (!q.accounts.empty() && !named.count(id)) continue;
    if (q.environment && a.environment != *q.environment) continue;
    if (q.ou && !OuGlobMatch(*q.ou, a.ou)) continue;
    scope->emplace(id, &a);
  }
  return true;
}

/// One path to access: a user holds a set on an account directly (group null) or via a group.
struct Path {
  const std::string* user;
  const std::string* account;
  const std::string* set;
  const std::string* group;
  bool operator<(const Path& o) const {
    if (int c = user->compare(*o.user)) return c < 0;
    if (int c = account->compare(*o.account)) return c < 0;
    if (int c = set->compare(*o.set)) return c < 0;
    if ((group == nullptr) != (o.group == nullptr)) return group == nullptr;
    return group != nullptr && *group < *o.group;
  }
  bool SameHolding(const Path& o) const { return *user == *o.user && *account == *o.account && *set == *o.set; }
};

/// Every (user, account, set, group) path to a set whose outcome is not kDenied, in scope.
std::vector<Path> ExpandPaths(const DirectoryState& s, const std::map<std::string, SetOutcome>& outcomes,
                              const Scope& scope, bool filtered) {
  std::unordered_map<std::string, std::vector<const std::string*>> members;
  for (const Membership& m : s.memberships) members[m.group].push_back(&m.user);
  std::vector<Path> paths;
  for (const Assignment& a : s.assignments) {
    auto o = outcomes.find(a.permission_set);
    if (o == outcomes.end() || o->second.kind == SetOutcome::kDenied) continue;
    if (filtered && !scope.count(a.account_id)) continue;
    if (a.principal_type == PrincipalType::kUser) {
      paths.push_back({&a.principal, &a.account_id, &a.permission_set, nullptr});
      continue;
    }
    auto it = members.find(a.principal);
    if (it == members.end()) continue;
    for (const std::string* user : it->second) paths.push_back({user, &a.account_id, &a.permission_set, &a.principal});
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

WhoCanHolder HolderOf(const DirectoryState& s, std::vector<Path>::const_iterator first,
                      std::vector<Path>::const_iterator last) {
  WhoCanHolder h;
  h.user = *first->user;
  h.account_id = *first->account;
  auto acc = s.accounts.find(h.account_id);
  h.account_name = acc != s.accounts.end() ? acc->second.name : "";
  for (auto it = first; it != last; ++it) {
    std::string via = it->group == nullptr ? "direct" : "group:" + *it->group;
    if (h.via.empty() || h.via.back() != via) h.via.push_back(std::move(via));
  }
  return h;
}

void Summarize(WhoCanResult* out) {
  std::set<std::string> users, accounts, sets;
  for (const WhoCanGrant& g : out->grants) {
    users.insert(g.holder.user);
    accounts.insert(g.holder.account_id);
    sets.insert(g.permission_set);
  }
  out->summary = {users.size(), accounts.size(), sets.size()};
}

/// Joins the outcomes with the paths into grants and unknown holders.
void Join(const DirectoryState& s, const std::map<std::string, SetOutcome>& outcomes, const std::vector<Path>& paths,
          const std::map<std::string, std::string>& privilege, WhoCanResult* out) {
  std::map<std::string, WhoCanUnknown> unknown;
  for (auto first = paths.begin(); first != paths.end();) {
    auto last = first;
    while (last != paths.end() && last->SameHolding(*first)) ++last;
    const SetOutcome& o = outcomes.at(*first->set);
    if (o.kind == SetOutcome::kGranted) {
      auto p = privilege.find(*first->set);
      out->grants.push_back({HolderOf(s, first, last), *first->set, o.evaluation.decision, o.evaluation.because,
                             p != privilege.end() ? p->second : ""});
    } else {
      WhoCanUnknown& u = unknown[*first->set];
      if (u.permission_set.empty()) u = {*first->set, o.unknown, o.reason, {}};
      u.holders.push_back(HolderOf(s, first, last));
    }
    first = last;
  }
  for (auto& [name, u] : unknown) out->unknown.push_back(std::move(u));
  Summarize(out);
}

}  // namespace

bool WhoCan(const DirectoryState& state, const CustomerPolicyDocuments& documents, const WhoCanQuery& query,
            WhoCanResult* out, WhoCanError* error, const PrivilegeClassifier& classify) {
  iam::ActionQuery q;
  if (!iam::ResolveAction(query.action, &q.action, &error->message, &error->help)) return false;
  q.resource = query.resource;
  Scope scope;
  bool filtered = false;
  if (!ResolveScope(state, query, &scope, &filtered, error)) return false;
  *out = WhoCanResult{};
  out->action = q.action;
  out->resource = q.resource;
  std::map<std::string, SetOutcome> outcomes;  // each set evaluated once per query
  std::map<std::string, std::string> privilege;
  for (const auto& [name, ps] : state.permission_sets) {
    SetOutcome& o = outcomes[name] = EvaluatePermissionSet(ps, documents, q);
    if (classify && o.kind == SetOutcome::kGranted) privilege[name] = classify(ps);
  }
  Join(state, outcomes, ExpandPaths(state, outcomes, scope, filtered), privilege, out);
  return true;
}

}  // namespace gatehouse
