#include "compiler/scope.h"

#include <tuple>

#include "compiler/plan_json.h"
#include "compiler/state_json.h"

namespace gatehouse {

bool Scope::empty() const {
  return users.empty() && groups.empty() && permission_sets.empty() && accounts.empty() && memberships.empty() &&
         assignments.empty() && whole_users.empty() && whole_groups.empty() && whole_sets.empty();
}

bool Scope::HasMembership(const Membership& m) const {
  return memberships.count(m) || whole_users.count(m.user) || whole_groups.count(m.group);
}

bool Scope::HasAssignment(const Assignment& a) const {
  if (assignments.count(a) || whole_sets.count(a.permission_set)) return true;
  const auto& whole = a.principal_type == PrincipalType::kUser ? whole_users : whole_groups;
  return whole.count(a.principal) > 0;
}

namespace {

/// Names whose object differs (added, removed or changed); removed ones also go to `whole`.
template <class Map>
void ChangedKeys(const Map& before, const Map& after, std::set<std::string>* changed, std::set<std::string>* whole) {
  for (const auto& [name, b] : before) {
    auto it = after.find(name);
    if (it == after.end()) {
      changed->insert(name);
      if (whole) whole->insert(name);
    } else if (!(it->second == b)) {
      changed->insert(name);
    }
  }
  for (const auto& [name, a] : after)
    if (!before.count(name)) changed->insert(name);
}

template <class T>
void SymmetricDifference(const std::set<T>& a, const std::set<T>& b, std::set<T>* out) {
  for (const auto& x : a)
    if (!b.count(x)) out->insert(x);
  for (const auto& x : b)
    if (!a.count(x)) out->insert(x);
}

void AddAssignmentDependencies(const Assignment& a, Scope* scope) {
  (a.principal_type == PrincipalType::kUser ? scope->users : scope->groups).insert(a.principal);
  scope->permission_sets.insert(a.permission_set);
  scope->accounts.insert(a.account_id);
}

/// The account id of `key` (an id or a name) in `desired`, or "".
std::string AccountId(const DirectoryState& desired, const std::string& key) {
  if (desired.accounts.count(key)) return key;
  for (const auto& [id, account] : desired.accounts)
    if (account.name == key) return id;
  return "";
}

bool AddOnlyAssignment(const std::string& rest, const DirectoryState& desired, Scope* scope, std::string* err) {
  size_t colon = rest.find(':');
  std::string type = rest.substr(0, colon);
  std::string path = colon == std::string::npos ? "" : rest.substr(colon + 1);
  size_t s1 = path.find('/'), s2 = path.rfind('/');
  if ((type != "user" && type != "group") || s1 == std::string::npos || s1 == s2) {
    *err = "an assignment is named assignment:user:NAME/SET/ACCOUNT or assignment:group:NAME/SET/ACCOUNT";
    return false;
  }
  std::string account = AccountId(desired, path.substr(s2 + 1));
  if (account.empty()) account = path.substr(s2 + 1);
  scope->assignments.insert(Assignment{type == "user" ? PrincipalType::kUser : PrincipalType::kGroup,
                                       path.substr(0, s1), path.substr(s1 + 1, s2 - s1 - 1), account});
  return true;
}

bool AddOnlyAccount(const std::string& name, const DirectoryState& desired, Scope* scope, std::string* err) {
  std::string id = AccountId(desired, name);
  if (id.empty()) {
    *err = "account '" + name + "' is not declared in the config";
    return false;
  }
  scope->accounts.insert(id);
  for (const auto& a : desired.assignments)
    if (a.account_id == id) scope->assignments.insert(a);
  return true;
}

}  // namespace

Scope ChangedScope(const DirectoryState& before, const DirectoryState& after) {
  Scope scope;
  ChangedKeys(before.users, after.users, &scope.users, &scope.whole_users);
  ChangedKeys(before.groups, after.groups, &scope.groups, &scope.whole_groups);
  ChangedKeys(before.permission_sets, after.permission_sets, &scope.permission_sets, &scope.whole_sets);
  ChangedKeys(before.accounts, after.accounts, &scope.accounts, nullptr);
  SymmetricDifference(before.memberships, after.memberships, &scope.memberships);
  SymmetricDifference(before.assignments, after.assignments, &scope.assignments);
  AddDependencies(after, &scope);
  return scope;
}

void AddDependencies(const DirectoryState& desired, Scope* scope) {
  for (const auto& m : desired.memberships)
    if (scope->whole_users.count(m.user) || scope->whole_groups.count(m.group)) scope->memberships.insert(m);
  for (const auto& a : desired.assignments)
    if (scope->HasAssignment(a)) scope->assignments.insert(a);
  for (const auto& m : scope->memberships) {
    scope->users.insert(m.user);
    scope->groups.insert(m.group);
  }
  for (const auto& a : scope->assignments) AddAssignmentDependencies(a, scope);
  scope->users.insert(scope->whole_users.begin(), scope->whole_users.end());
  scope->groups.insert(scope->whole_groups.begin(), scope->whole_groups.end());
  scope->permission_sets.insert(scope->whole_sets.begin(), scope->whole_sets.end());
}

void AddSetHints(const DirectoryState& known, Scope* scope) {
  // A hint's principal holds few sets on its account when it is well chosen:
  // the fewer, the fewer candidate ARNs to describe.
  constexpr size_t kHints = 2;
  std::map<std::tuple<PrincipalType, std::string, std::string>, size_t> held;  // (principal, account) → sets
  for (const auto& a : known.assignments) ++held[{a.principal_type, a.principal, a.account_id}];
  std::map<std::string, std::set<std::pair<size_t, Assignment>>> ranked;
  for (const auto& a : known.assignments)
    if (scope->permission_sets.count(a.permission_set) && !scope->assignments.count(a))
      ranked[a.permission_set].insert({held[{a.principal_type, a.principal, a.account_id}], a});
  for (const auto& [set, hints] : ranked) {
    auto& out = scope->set_hints[set];
    out.clear();
    for (auto it = hints.begin(); it != hints.end() && out.size() < kHints; ++it) out.push_back(it->second);
  }
}

bool AddOnly(const std::string& spec, const DirectoryState& desired, Scope* scope, std::string* err) {
  size_t colon = spec.find(':');
  std::string kind = spec.substr(0, colon);
  std::string name = colon == std::string::npos ? "" : spec.substr(colon + 1);
  if (name.empty()) {
    *err = "'" + spec + "' is not KIND:NAME (user, group, permission_set, membership, assignment, account)";
    return false;
  }
  if (kind == "user") return scope->whole_users.insert(name), true;
  if (kind == "group") return scope->whole_groups.insert(name), true;
  if (kind == "permission_set") return scope->whole_sets.insert(name), true;
  if (kind == "account") return AddOnlyAccount(name, desired, scope, err);
  if (kind == "assignment") return AddOnlyAssignment(name, desired, scope, err);
  if (kind == "membership") {
    size_t slash = name.find('/');
    if (slash == std::string::npos || slash == 0 || slash + 1 == name.size()) {
      *err = "a membership is named membership:GROUP/USER";
      return false;
    }
    scope->memberships.insert(Membership{name.substr(0, slash), name.substr(slash + 1)});
    return true;
  }
  *err =
      "unknown kind '" + kind + "' in '" + spec + "' (user, group, permission_set, membership, assignment or account)";
  return false;
}

DirectoryState Restrict(const DirectoryState& state, const Scope& scope) {
  DirectoryState out;
  for (const auto& [name, u] : state.users)
    if (scope.users.count(name)) out.users.emplace(name, u);
  for (const auto& [name, g] : state.groups)
    if (scope.groups.count(name)) out.groups.emplace(name, g);
  for (const auto& m : state.memberships)
    if (scope.HasMembership(m)) out.memberships.insert(m);
  for (const auto& [name, p] : state.permission_sets)
    if (scope.permission_sets.count(name)) out.permission_sets.emplace(name, p);
  for (const auto& [id, a] : state.accounts)
    if (scope.accounts.count(id)) out.accounts.emplace(id, a);
  for (const auto& a : state.assignments)
    if (scope.HasAssignment(a)) out.assignments.insert(a);
  return out;
}

DirectoryState Overlay(const DirectoryState& outside, const DirectoryState& inside, const Scope& scope) {
  DirectoryState out;
  for (const auto& [name, u] : outside.users)
    if (!scope.users.count(name)) out.users.emplace(name, u);
  for (const auto& [name, g] : outside.groups)
    if (!scope.groups.count(name)) out.groups.emplace(name, g);
  for (const auto& m : outside.memberships)
    if (!scope.HasMembership(m)) out.memberships.insert(m);
  for (const auto& [name, p] : outside.permission_sets)
    if (!scope.permission_sets.count(name)) out.permission_sets.emplace(name, p);
  out.accounts = outside.accounts;
  for (const auto& a : outside.assignments)
    if (!scope.HasAssignment(a)) out.assignments.insert(a);
  // A slice holds no applications: they are all outside it.
  out.applications = outside.applications;
  out.application_assignments = outside.application_assignments;
  DirectoryState in = Restrict(inside, scope);
  out.users.insert(in.users.begin(), in.users.end());
  out.groups.insert(in.groups.begin(), in.groups.end());
  out.memberships.insert(in.memberships.begin(), in.memberships.end());
  out.permission_sets.insert(in.permission_sets.begin(), in.permission_sets.end());
  out.assignments.insert(in.assignments.begin(), in.assignments.end());
  return out;
}

size_t CountObjects(const DirectoryState& s) {
  return s.users.size() + s.groups.size() + s.memberships.size() + s.permission_sets.size() + s.assignments.size();
}

nlohmann::json ScopeToJson(const Scope& scope) {
  nlohmann::json j = {{"users", scope.users},
                      {"groups", scope.groups},
                      {"permission_sets", scope.permission_sets},
                      {"accounts", scope.accounts},
                      {"memberships", nlohmann::json::array()},
                      {"assignments", nlohmann::json::array()},
                      {"whole_users", scope.whole_users},
                      {"whole_groups", scope.whole_groups},
                      {"whole_permission_sets", scope.whole_sets},
                      {"permission_set_hints", nlohmann::json::object()}};
  for (const auto& [set, hints] : scope.set_hints)
    for (const auto& a : hints) j["permission_set_hints"][set].push_back(ToJson(a));
  for (const auto& m : scope.memberships) j["memberships"].push_back(ToJson(m));
  for (const auto& a : scope.assignments) j["assignments"].push_back(ToJson(a));
  return j;
}

Scope ScopeFromJson(const nlohmann::json& j) {
  Scope scope;
  scope.users = j.at("users").get<std::set<std::string>>();
  scope.groups = j.at("groups").get<std::set<std::string>>();
  scope.permission_sets = j.at("permission_sets").get<std::set<std::string>>();
  scope.accounts = j.at("accounts").get<std::set<std::string>>();
  scope.whole_users = j.at("whole_users").get<std::set<std::string>>();
  scope.whole_groups = j.at("whole_groups").get<std::set<std::string>>();
  scope.whole_sets = j.at("whole_permission_sets").get<std::set<std::string>>();
  if (j.contains("permission_set_hints"))
    for (const auto& [set, hints] : j.at("permission_set_hints").items())
      for (const auto& a : hints)
        scope.set_hints[set].push_back(std::get<Assignment>(ObjectFromJson(ObjectKind::kAssignment, a)));
  for (const auto& m : j.at("memberships"))
    scope.memberships.insert(std::get<Membership>(ObjectFromJson(ObjectKind::kMembership, m)));
  for (const auto& a : j.at("assignments"))
    scope.assignments.insert(std::get<Assignment>(ObjectFromJson(ObjectKind::kAssignment, a)));
  return scope;
}

}  // namespace gatehouse
