#include "compiler/who_can.h"

#include <algorithm>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
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
    if (const nlohmann::json* doc = iam::FindManagedPolicy(arn))
      out->known.push_back({arn, doc});
    else
      out->unknown.push_back(arn);
  }
  if (!ps.inline_policy.empty()) {
    nlohmann::json j = nlohmann::json::parse(ps.inline_policy, nullptr, false);
    if (!j.is_discarded()) out->inline_doc = std::move(j);
  }
  for (const CustomerManagedPolicy& p : ps.customer_managed_policies) {
    auto it = documents.find(p);
    if (it != documents.end())
      out->known.push_back({PolicyName(p), &it->second});
    else
      out->unknown.push_back(PolicyName(p));
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
  if (doc != nullptr)
    out->boundary = iam::NamedPolicy{name, doc};
  else
    out->unknown_boundary = name;
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
  // A missing identity policy matters unless the known ones allow outright (WHO-CAN.md:
  // "a set that is not already allowed") or deny outright; a conditional answer could
  // become an outright allow. A missing boundary matters when the set would be allowed.
  if (out.evaluation.decision != iam::Decision::kAllow && !out.evaluation.explicitly_denied && !p.unknown.empty()) {
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
using AccountScope = std::unordered_map<std::string, const Account*>;

bool ResolveScope(const DirectoryState& s, const WhoCanQuery& q, AccountScope* scope, bool* filtered,
                  WhoCanError* error) {
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

/// Dense ids for the names a query joins, numbered in name order so that sorting ids
/// sorts names: the expansion sorts millions of small integer tuples, not strings.
/// The name tables move into the result; the lookups point into them.
struct Index {
  WhoCanNames names;
  std::vector<std::string> groups, sets;
  std::unordered_map<std::string_view, int> user, account, set, group;

  explicit Index(const DirectoryState& s) {
    for (const auto& [id, a] : s.accounts) names.account_ids.push_back(id);
    for (const auto& [name, u] : s.users) names.users.push_back(name);
    for (const Membership& m : s.memberships)  // sorted by group
      if (groups.empty() || groups.back() != m.group) groups.push_back(m.group);
    Number(&names.account_ids, &account);
    Number(&names.users, &user);
    Number(&groups, &group);
    // Users and accounts that only memberships or assignments name (rare): added in order.
    std::set<std::string> extra_users, extra_accounts;
    for (const Membership& m : s.memberships)
      if (!user.count(m.user)) extra_users.insert(m.user);
    for (const Assignment& a : s.assignments) {
      if (!account.count(a.account_id)) extra_accounts.insert(a.account_id);
      if (a.principal_type == PrincipalType::kUser && !user.count(a.principal)) extra_users.insert(a.principal);
    }
    Merge(extra_users, &names.users, &user);
    Merge(extra_accounts, &names.account_ids, &account);
    for (const auto& [name, ps] : s.permission_sets) sets.push_back(name);
    Number(&sets, &set);
    for (const std::string& id : names.account_ids) {
      auto acc = s.accounts.find(id);
      names.account_names.push_back(acc != s.accounts.end() ? acc->second.name : "");
    }
    names.via.push_back("direct");
    for (const std::string& g : groups) names.via.push_back("group:" + g);
  }

 private:
  /// ids[name] = its index in the sorted *names.
  static void Number(std::vector<std::string>* names, std::unordered_map<std::string_view, int>* ids) {
    ids->clear();
    ids->reserve(names->size());
    for (std::size_t i = 0; i < names->size(); ++i) ids->emplace((*names)[i], static_cast<int>(i));
  }
  static void Merge(const std::set<std::string>& extra, std::vector<std::string>* names,
                    std::unordered_map<std::string_view, int>* ids) {
    if (extra.empty()) return;
    std::vector<std::string> all;
    std::merge(names->begin(), names->end(), extra.begin(), extra.end(), std::back_inserter(all));
    *names = std::move(all);
    Number(names, ids);
  }
};

/// One path to access: a user holds a set on an account directly (group 0) or via group-1.
struct Path {
  int user, account, set, group;
  bool operator<(const Path& o) const {
    return std::tie(user, account, set, group) < std::tie(o.user, o.account, o.set, o.group);
  }
  bool SameHolding(const Path& o) const { return user == o.user && account == o.account && set == o.set; }
};

/// Every (user, account, set, group) path to a set whose outcome is not kDenied, in scope.
std::vector<Path> ExpandPaths(const DirectoryState& s, const Index& ix, const std::vector<SetOutcome>& outcomes,
                              const AccountScope& scope, bool filtered) {
  std::vector<std::vector<int>> members(ix.groups.size());
  for (const Membership& m : s.memberships) members[ix.group.at(m.group)].push_back(ix.user.at(m.user));
  std::vector<Path> paths;
  for (const Assignment& a : s.assignments) {
    auto set = ix.set.find(a.permission_set);
    if (set == ix.set.end() || outcomes[set->second].kind == SetOutcome::kDenied) continue;
    if (filtered && !scope.count(a.account_id)) continue;
    int account = ix.account.at(a.account_id);
    if (a.principal_type == PrincipalType::kUser) {
      paths.push_back({ix.user.at(a.principal), account, set->second, 0});
      continue;
    }
    auto group = ix.group.find(a.principal);
    if (group == ix.group.end()) continue;
    for (int user : members[group->second]) paths.push_back({user, account, set->second, group->second + 1});
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

/// The holder of the paths [first, last) (one user, account and set), its via into *via_ids.
WhoCanHolder Holder(std::vector<Path>::const_iterator first, std::vector<Path>::const_iterator last,
                    std::vector<int>* via_ids) {
  WhoCanHolder h{first->user, first->account, static_cast<std::uint32_t>(via_ids->size()), 0};
  for (auto it = first; it != last; ++it)
    if (it == first || it->group != (it - 1)->group) via_ids->push_back(it->group);
  h.via_end = static_cast<std::uint32_t>(via_ids->size());
  return h;
}

/// Joins the outcomes with the paths into grants and unknown holders.
void Join(const Index& ix, const std::vector<SetOutcome>& outcomes, const std::vector<int>& answer,
          const std::vector<Path>& paths, WhoCanResult* out) {
  std::map<int, WhoCanUnknown> unknown;
  out->grants.reserve(paths.size());
  out->via_ids.reserve(paths.size());
  for (auto first = paths.begin(); first != paths.end();) {
    auto last = first;
    while (last != paths.end() && last->SameHolding(*first)) ++last;
    const SetOutcome& o = outcomes[first->set];
    if (o.kind == SetOutcome::kGranted) {
      out->grants.push_back({Holder(first, last, &out->via_ids), static_cast<std::size_t>(answer[first->set])});
    } else {
      WhoCanUnknown& u = unknown[first->set];
      if (u.permission_set.empty()) u = {ix.sets[first->set], o.unknown, o.reason, {}};
      u.holders.push_back(Holder(first, last, &out->via_ids));
    }
    first = last;
  }
  for (auto& [id, u] : unknown) out->unknown.push_back(std::move(u));
}

void Summarize(WhoCanResult* out) {
  std::vector<bool> users(out->names.users.size()), accounts(out->names.account_ids.size()), sets(out->sets.size());
  for (const WhoCanGrant& g : out->grants) {
    users[g.holder.user] = accounts[g.holder.account] = sets[g.set] = true;
  }
  auto count = [](const std::vector<bool>& v) {
    return static_cast<std::size_t>(std::count(v.begin(), v.end(), true));
  };
  out->summary = {count(users), count(accounts), count(sets)};
}

}  // namespace

bool WhoCan(const DirectoryState& state, const CustomerPolicyDocuments& documents, const WhoCanQuery& query,
            WhoCanResult* out, WhoCanError* error, const PrivilegeClassifier& classify) {
  iam::ActionQuery q;
  if (!iam::ResolveAction(query.action, &q.action, &error->message, &error->help)) return false;
  q.resource = query.resource;
  AccountScope scope;
  bool filtered = false;
  if (!ResolveScope(state, query, &scope, &filtered, error)) return false;
  *out = WhoCanResult{};
  out->action = q.action;
  out->resource = q.resource;
  Index ix(state);
  std::vector<SetOutcome> outcomes;  // each set evaluated once per query, by set id
  std::vector<int> answer;           // set id -> index in out->sets
  for (const auto& [name, ps] : state.permission_sets) {
    outcomes.push_back(EvaluatePermissionSet(ps, documents, q));
    const SetOutcome& o = outcomes.back();
    answer.push_back(static_cast<int>(out->sets.size()));
    if (o.kind == SetOutcome::kGranted)
      out->sets.push_back({name, o.evaluation.decision, o.evaluation.because, classify ? classify(ps) : ""});
  }
  Join(ix, outcomes, answer, ExpandPaths(state, ix, outcomes, scope, filtered), out);
  out->names = std::move(ix.names);
  Summarize(out);
  return true;
}

}  // namespace gatehouse
