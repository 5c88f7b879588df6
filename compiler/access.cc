#include "compiler/access.h"

#include <algorithm>
#include <functional>
#include <iterator>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

#include "compiler/parallel.h"

namespace gatehouse {

int PrivilegeRank(const std::string& p) {
  if (p == "admin") return 0;
  if (p == "permissions-management") return 1;
  if (p == "write") return 2;
  if (p == "read-only") return 3;
  return 4;
}

bool IsPrivileged(const std::string& p) { return PrivilegeRank(p) <= 1; }

namespace {

/// One user's paths, before merging: account, set, group ("" for direct).
struct UserPath {
  const std::string* account_id;
  const std::string* permission_set;
  const std::string* via;
  bool operator<(const UserPath& o) const {
    return std::tie(*account_id, *permission_set, *via) < std::tie(*o.account_id, *o.permission_set, *o.via);
  }
};

/// The state indexed by principal, so access is built one user at a time
/// (no map of every grant: 1.7 million at the largest sizes).
class AccessIndex {
 public:
  /// `only`: index just these users (and their groups), when not null.
  AccessIndex(const DirectoryState& s, const PrivilegeClassifier& classify,
              const std::unordered_set<std::string>* only = nullptr)
      : s_(s) {
    ClassifySets(classify);
    std::unordered_set<std::string_view> groups;
    for (const auto& m : s.memberships)
      if (!only || only->count(m.user)) {
        groups_of_[m.user].push_back(&m.group);
        groups.insert(m.group);
      }
    for (const auto& a : s.assignments) {
      if (a.principal_type == PrincipalType::kUser && (!only || only->count(a.principal)))
        direct_[a.principal].push_back(&a);
      else if (a.principal_type == PrincipalType::kGroup && (!only || groups.count(a.principal)))
        of_group_[a.principal].push_back(&a);
    }
  }

  /// Every user with a membership or a direct assignment, sorted.
  std::vector<const std::string*> Users() const {
    std::vector<const std::string*> out;
    auto a = groups_of_.begin();
    auto b = direct_.begin();
    while (a != groups_of_.end() || b != direct_.end()) {
      bool take_a = b == direct_.end() || (a != groups_of_.end() && a->first <= b->first);
      bool take_b = a == groups_of_.end() || (b != direct_.end() && b->first <= a->first);
      out.push_back(take_a ? &a->first : &b->first);
      if (take_a) ++a;
      if (take_b) ++b;
    }
    return out;
  }

  /// The user's entries, sorted by account id and permission set, appended to `out`.
  void AppendUser(const std::string& user, std::vector<AccessEntry>* out) {
    static const std::string kDirect;
    std::vector<UserPath> paths;
    if (auto d = direct_.find(user); d != direct_.end())
      for (const Assignment* a : d->second) paths.push_back({&a->account_id, &a->permission_set, &kDirect});
    if (auto g = groups_of_.find(user); g != groups_of_.end())
      for (const std::string* group : g->second)
        if (auto it = of_group_.find(*group); it != of_group_.end())
          for (const Assignment* a : it->second) paths.push_back({&a->account_id, &a->permission_set, group});
    std::sort(paths.begin(), paths.end());
    for (size_t i = 0; i < paths.size();) {
      AccessEntry e{user, *paths[i].account_id, AccountName(*paths[i].account_id), *paths[i].permission_set, {}, ""};
      for (const std::string* last = nullptr;
           i < paths.size() && *paths[i].account_id == e.account_id && *paths[i].permission_set == e.permission_set;
           last = paths[i++].via)
        if (!last || *last != *paths[i].via) e.via.push_back(paths[i].via->empty() ? "direct" : *paths[i].via);
      e.privilege = Privilege(e.permission_set);
      out->push_back(std::move(e));
    }
  }

 private:
  std::string AccountName(const std::string& id) const {
    auto acc = s_.accounts.find(id);
    return acc != s_.accounts.end() ? acc->second.name : "";
  }

  /// Every set's class, up front and on one thread per core (a classification
  /// is a policy analysis: ~1 ms each, 500 sets at the largest sizes).
  void ClassifySets(const PrivilegeClassifier& classify) {
    if (!classify) return;
    std::vector<const PermissionSet*> sets;
    for (const auto& [name, ps] : s_.permission_sets) sets.push_back(&ps);
    std::vector<std::string> classes(sets.size());
    ParallelFor(sets.size(), [&](size_t i) { classes[i] = classify(*sets[i]); });
    for (size_t i = 0; i < sets.size(); ++i) privilege_.emplace(sets[i]->name, std::move(classes[i]));
  }

  std::string Privilege(const std::string& set) const {
    auto it = privilege_.find(set);
    return it == privilege_.end() ? "" : it->second;
  }

  const DirectoryState& s_;
  std::map<std::string, std::vector<const std::string*>> groups_of_;  ///< user -> groups
  std::map<std::string, std::vector<const Assignment*>> direct_;      ///< user -> assignments
  std::unordered_map<std::string, std::vector<const Assignment*>> of_group_;
  std::unordered_map<std::string, std::string> privilege_;
};

}  // namespace

std::vector<AccessEntry> EffectiveAccess(const DirectoryState& s, const PrivilegeClassifier& classify) {
  AccessIndex index(s, classify);
  std::vector<AccessEntry> out;
  for (const std::string* user : index.Users()) index.AppendUser(*user, &out);
  return out;
}

std::vector<ApplicationAccessEntry> EffectiveApplicationAccess(const DirectoryState& s) {
  std::map<std::string, std::vector<std::string>> members;  // group -> users
  for (const auto& m : s.memberships) members[m.group].push_back(m.user);
  std::map<std::pair<std::string, std::string>, std::set<std::string>> paths;  // (user, app) -> via
  for (const auto& a : s.application_assignments) {
    if (a.principal_type == PrincipalType::kUser) {
      paths[{a.principal, a.application}].insert("");  // "" sorts first: direct
      continue;
    }
    auto it = members.find(a.principal);
    if (it != members.end())
      for (const auto& u : it->second) paths[{u, a.application}].insert(a.principal);
  }
  for (const auto& [name, app] : s.applications)
    if (app.assignment_required == false)
      for (const auto& [user, u] : s.users) paths[{user, name}] = {"*"};
  std::vector<ApplicationAccessEntry> out;
  for (const auto& [key, via] : paths) {
    ApplicationAccessEntry e{key.first, key.second, {}};
    for (const auto& v : via) e.via.push_back(v.empty() ? "direct" : v == "*" ? "everyone" : v);
    out.push_back(std::move(e));
  }
  return out;
}

namespace {

/// An access change of `kind` for the path `e` (privilege as `e` has it).
AccessChange ChangeOf(const AccessEntry& e, AccessChangeKind kind) {
  AccessChange c;
  c.change = kind;
  c.user = e.user;
  c.permission_set = e.permission_set;
  c.account_id = e.account_id;
  c.account_name = e.account_name;
  c.via = e.via;
  c.privilege = e.privilege;
  return c;
}

}  // namespace

namespace {

/// Adds to `out` what is in exactly one of two sorted ranges.
template <typename Set, typename Visit>
void ForEachDifference(const Set& a, const Set& b, Visit visit) {
  std::vector<typename Set::value_type> diff;
  std::set_symmetric_difference(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(diff));
  for (const auto& x : diff) visit(x);
}

/// The users whose access may differ between two states: those whose
/// memberships or direct assignments differ, and every member (in either
/// state) of a group whose assignments differ. Everyone else has the same
/// groups, and the same assignments through them, on both sides.
std::unordered_set<std::string> AffectedUsers(const DirectoryState& live, const DirectoryState& desired) {
  std::unordered_set<std::string> users, groups;
  ForEachDifference(live.memberships, desired.memberships, [&](const Membership& m) { users.insert(m.user); });
  ForEachDifference(live.assignments, desired.assignments, [&](const Assignment& a) {
    (a.principal_type == PrincipalType::kUser ? users : groups).insert(a.principal);
  });
  for (const DirectoryState* s : {&live, &desired})
    for (const auto& m : s->memberships)
      if (groups.count(m.group)) users.insert(m.user);
  return users;
}

/// `user`'s paths in `before` and not in `after` (both sorted by account and
/// set, as AppendUser makes them), appended to `out` as changes of `kind`.
void AppendMissing(const std::vector<AccessEntry>& before, const std::vector<AccessEntry>& after, AccessChangeKind kind,
                   std::vector<AccessChange>* out) {
  auto key = [](const AccessEntry& e) { return std::tie(e.account_id, e.permission_set); };
  auto it = after.begin();
  for (const auto& e : before) {
    while (it != after.end() && key(*it) < key(e)) ++it;
    if (it == after.end() || key(*it) != key(e)) out->push_back(ChangeOf(e, kind));
  }
}

/// The privilege of each change's set, as `s` defines it: only the sets that
/// appear in changes are classified (a classification is a policy analysis).
void ClassifyChanges(const DirectoryState& s, const PrivilegeClassifier& classify, AccessChangeKind kind,
                     std::vector<AccessChange>* changes) {
  if (!classify) return;
  std::vector<const PermissionSet*> sets;
  std::unordered_map<std::string_view, size_t> index;
  for (const auto& c : *changes) {
    auto ps = s.permission_sets.find(c.permission_set);
    if (c.change == kind && ps != s.permission_sets.end() && index.emplace(ps->first, sets.size()).second)
      sets.push_back(&ps->second);
  }
  std::vector<std::string> classes(sets.size());
  ParallelFor(sets.size(), [&](size_t i) { classes[i] = classify(*sets[i]); });
  for (auto& c : *changes)
    if (auto it = index.find(c.permission_set); c.change == kind && it != index.end())
      c.privilege = classes[it->second];
}

/// Gains (in `after`, not in `before`) then losses, as `change_of` makes them.
template <typename Entry, typename Key, typename Make>
std::vector<AccessChange> GainsAndLosses(const std::vector<Entry>& before, const std::vector<Entry>& after, Key key,
                                         Make change_of) {
  std::map<decltype(key(before.front())), const Entry*> b, a;
  for (const auto& e : before) b[key(e)] = &e;
  for (const auto& e : after) a[key(e)] = &e;
  std::vector<AccessChange> out;
  for (const auto& [k, e] : a)
    if (!b.count(k)) out.push_back(change_of(*e, AccessChangeKind::kGain));
  for (const auto& [k, e] : b)
    if (!a.count(k)) out.push_back(change_of(*e, AccessChangeKind::kLose));
  return out;
}

AccessChange ApplicationChangeOf(const ApplicationAccessEntry& e, AccessChangeKind kind) {
  AccessChange c;
  c.change = kind;
  c.user = e.user;
  c.application = e.application;
  c.via = e.via;
  return c;
}

}  // namespace

std::vector<AccessChange> AccessChanges(const DirectoryState& live, const DirectoryState& desired,
                                        const PrivilegeClassifier& classify) {
  std::unordered_set<std::string> affected = AffectedUsers(live, desired);
  AccessIndex before(live, nullptr, &affected), after(desired, nullptr, &affected);
  std::vector<AccessChange> out;
  std::vector<AccessEntry> b, a;
  for (const std::string& user : affected) {
    b.clear();
    a.clear();
    before.AppendUser(user, &b);
    after.AppendUser(user, &a);
    AppendMissing(a, b, AccessChangeKind::kGain, &out);
    AppendMissing(b, a, AccessChangeKind::kLose, &out);
  }
  ClassifyChanges(desired, classify, AccessChangeKind::kGain, &out);
  ClassifyChanges(live, classify, AccessChangeKind::kLose, &out);
  SortAccessChanges(&out);
  return out;
}

std::vector<AccessChange> ApplicationAccessChanges(const DirectoryState& before, const DirectoryState& after) {
  auto key = [](const ApplicationAccessEntry& e) { return std::make_pair(e.user, e.application); };
  auto out =
      GainsAndLosses(EffectiveApplicationAccess(before), EffectiveApplicationAccess(after), key, ApplicationChangeOf);
  SortAccessChanges(&out);
  return out;
}

void PlannedApplications(const DirectoryState& live, const DirectoryState& desired, DirectoryState* after) {
  after->applications.clear();
  after->application_assignments.clear();
  for (const auto& [name, app] : live.applications)
    if (!desired.applications.count(name)) after->applications.emplace(name, app);
  for (const auto& a : live.application_assignments)
    if (!desired.applications.count(a.application)) after->application_assignments.insert(a);
  for (const auto& [name, w] : desired.applications) {
    Application app = w;
    if (!app.assignment_required) {
      auto it = live.applications.find(name);
      // Identity Center's default for an application created without the setting.
      app.assignment_required = it != live.applications.end() ? it->second.assignment_required : true;
    }
    after->applications[name] = std::move(app);
  }
  after->application_assignments.insert(desired.application_assignments.begin(), desired.application_assignments.end());
}

bool PoliciesDiffer(const PermissionSet& a, const PermissionSet& b) {
  return std::tie(a.managed_policies, a.customer_managed_policies, a.inline_policy, a.permissions_boundary) !=
         std::tie(b.managed_policies, b.customer_managed_policies, b.inline_policy, b.permissions_boundary);
}

namespace {

/// What `before` had and `after` lacks (both sorted).
std::vector<std::string> Minus(const std::vector<std::string>& before, const std::vector<std::string>& after) {
  std::vector<std::string> out;
  std::set_difference(before.begin(), before.end(), after.begin(), after.end(), std::back_inserter(out));
  return out;
}

/// The sets whose class changes: name -> {before, after}.
std::map<std::string, std::pair<SetProfile, SetProfile>> ReclassifiedSets(const DirectoryState& live,
                                                                          const DirectoryState& desired,
                                                                          const SetProfiler& profile) {
  std::map<std::string, std::pair<SetProfile, SetProfile>> out;
  for (const auto& [name, after] : desired.permission_sets) {
    auto it = live.permission_sets.find(name);
    if (it == live.permission_sets.end() || !PoliciesDiffer(it->second, after)) continue;
    SetProfile b = profile(it->second), a = profile(after);
    // An unknown class (customer managed policies not in the config) is no change to report.
    if (b.privilege != a.privilege && !b.privilege.empty() && !a.privilege.empty())
      out.emplace(name, std::make_pair(std::move(b), std::move(a)));
  }
  return out;
}

/// `s` with only the assignments of `sets` (and the memberships of their groups).
template <typename Sets>
DirectoryState HoldersOf(const DirectoryState& s, const Sets& sets) {
  DirectoryState r;
  r.accounts = s.accounts;
  std::set<std::string> groups;
  for (const auto& a : s.assignments)
    if (sets.count(a.permission_set)) {
      r.assignments.insert(a);
      if (a.principal_type == PrincipalType::kGroup) groups.insert(a.principal);
    }
  for (const auto& m : s.memberships)
    if (groups.count(m.group)) r.memberships.insert(m);
  return r;
}

}  // namespace

std::vector<AccessChange> PrivilegeChanges(const DirectoryState& live, const DirectoryState& desired,
                                           const SetProfiler& profile) {
  auto sets = ReclassifiedSets(live, desired, profile);
  if (sets.empty()) return {};
  auto key = [](const AccessEntry& e) { return std::tie(e.user, e.account_id, e.permission_set); };
  std::set<std::tuple<std::string, std::string, std::string>> held_before;
  for (const auto& e : EffectiveAccess(HoldersOf(live, sets))) held_before.insert(key(e));
  std::vector<AccessChange> out;
  for (const auto& e : EffectiveAccess(HoldersOf(desired, sets))) {
    if (!held_before.count(key(e))) continue;  // a gain: listed as such
    const auto& [before, after] = sets.at(e.permission_set);
    AccessChange c =
        ChangeOf(e, PrivilegeRank(after.privilege) < PrivilegeRank(before.privilege) ? AccessChangeKind::kEscalate
                                                                                     : AccessChangeKind::kDeescalate);
    c.privilege = after.privilege;
    c.privilege_before = before.privilege;
    c.notable_actions_gained = Minus(after.notable_actions, before.notable_actions);
    c.notable_actions_lost = Minus(before.notable_actions, after.notable_actions);
    out.push_back(std::move(c));
  }
  return out;
}

void SortAccessChanges(std::vector<AccessChange>* changes) {
  auto order = [](const AccessChange& c) {
    bool first = c.change == AccessChangeKind::kEscalate || (c.gained() && IsPrivileged(c.privilege));
    // A deescalation is read as what it takes away.
    const std::string& p = c.change == AccessChangeKind::kDeescalate ? c.privilege_before : c.privilege;
    bool losing = c.change == AccessChangeKind::kLose || c.change == AccessChangeKind::kDeescalate;
    // The names by reference: this key is built twice per comparison.
    return std::make_tuple(!first, PrivilegeRank(p), losing, c.change == AccessChangeKind::kEscalate, std::cref(c.user),
                           std::cref(c.account_id), std::cref(c.permission_set), std::cref(c.application));
  };
  std::stable_sort(changes->begin(), changes->end(),
                   [&](const AccessChange& x, const AccessChange& y) { return order(x) < order(y); });
}

namespace {

std::string Label(const std::string& privilege) { return privilege.empty() ? "unknown" : privilege; }

/// " gains ", or " escalates to admin with "
std::string Verb(const AccessChange& c) {
  switch (c.change) {
    case AccessChangeKind::kGain: return " gains ";
    case AccessChangeKind::kLose: return " loses ";
    case AccessChangeKind::kEscalate: return " escalates to " + Label(c.privilege) + " with ";
    case AccessChangeKind::kDeescalate: return " deescalates to " + Label(c.privilege) + " with ";
  }
  return " ";
}

/// "iam:A, iam:B, iam:C and 4 more"
std::string FewActions(const std::vector<std::string>& actions) {
  constexpr size_t kShown = 4;
  std::string s;
  for (size_t i = 0; i < actions.size() && i < kShown; ++i) s += (i ? ", " : "") + actions[i];
  if (actions.size() > kShown) s += " and " + std::to_string(actions.size() - kShown) + " more";
  return s;
}

/// " [admin]", or " [was read-only; notable actions gained: ...]"
std::string PrivilegeNote(const AccessChange& c) {
  if (!c.privilege_change()) return c.privilege.empty() ? "" : " [" + c.privilege + "]";
  std::string s = " [was " + Label(c.privilege_before);
  if (!c.notable_actions_gained.empty()) s += "; notable actions gained: " + FewActions(c.notable_actions_gained);
  if (!c.notable_actions_lost.empty()) s += "; notable actions lost: " + FewActions(c.notable_actions_lost);
  return s + "]";
}

}  // namespace

std::string DescribeAccessChange(const AccessChange& c) {
  std::string s = c.user + Verb(c);
  if (!c.application.empty())
    s += "application " + c.application;
  else
    s += c.permission_set + " on " +
         (c.account_name.empty() || c.account_name == c.account_id ? c.account_id
                                                                   : c.account_name + " (" + c.account_id + ")");
  std::string via;
  for (const auto& v : c.via) {
    if (!via.empty()) via += ", ";
    via += v == "direct" ? "direct assignment" : v == "everyone" ? "everyone (no assignment required)" : "group " + v;
  }
  if (!via.empty()) s += " via " + via;
  return s + PrivilegeNote(c);
}

}  // namespace gatehouse
