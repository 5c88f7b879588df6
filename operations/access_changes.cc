#include "operations/access_changes.h"

#include <set>
#include <string>

#include "compiler/lint/set_analysis.h"
#include "operations/classifier.h"

namespace gatehouse {

namespace {

/// The users whose access can differ between the two states.
std::set<std::string> AffectedUsers(const DirectoryState& live, const DirectoryState& desired) {
  std::set<std::string> users, groups;
  auto sym_diff = [](const auto& a, const auto& b, auto each) {
    for (const auto& x : a)
      if (!b.count(x)) each(x);
    for (const auto& x : b)
      if (!a.count(x)) each(x);
  };
  sym_diff(live.memberships, desired.memberships, [&](const Membership& m) { users.insert(m.user); });
  sym_diff(live.assignments, desired.assignments, [&](const Assignment& a) {
    (a.principal_type == PrincipalType::kUser ? users : groups).insert(a.principal);
  });
  for (const auto* s : {&live, &desired})
    for (const auto& m : s->memberships)
      if (groups.count(m.group)) users.insert(m.user);
  return users;
}

/// `s` narrowed to the memberships and user assignments of `users` (group assignments stay).
DirectoryState Restrict(const DirectoryState& s, const std::set<std::string>& users) {
  DirectoryState r;
  r.accounts = s.accounts;
  r.permission_sets = s.permission_sets;
  for (const auto& m : s.memberships)
    if (users.count(m.user)) r.memberships.insert(m);
  for (const auto& a : s.assignments)
    if (a.principal_type == PrincipalType::kGroup || users.count(a.principal)) r.assignments.insert(a);
  return r;
}

}  // namespace

std::vector<AccessChange> ChangedAccess(const DirectoryState& live, const DirectoryState& desired,
                                        const CustomerPolicyDocuments& documents) {
  std::set<std::string> users = AffectedUsers(live, desired);
  std::vector<AccessChange> out;
  if (!users.empty())
    out = AccessChanges(Restrict(live, users), Restrict(desired, users), DefaultClassifier(documents));
  std::vector<AccessChange> reclassified = PrivilegeChanges(
      live, desired, [&documents](const PermissionSet& ps) { return lint::ProfilePermissionSet(ps, documents); });
  if (reclassified.empty()) return out;
  out.insert(out.end(), reclassified.begin(), reclassified.end());
  SortAccessChanges(&out);
  return out;
}

}  // namespace gatehouse
