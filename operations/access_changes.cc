#include "operations/access_changes.h"

#include <string>

#include "compiler/lint/set_analysis.h"
#include "operations/classifier.h"

namespace gatehouse {

namespace {

/// Calls `each` with what is in one of `a` and `b` only.
template <typename Set, typename Each>
void SymDiff(const Set& a, const Set& b, Each each) {
  for (const auto& x : a)
    if (!b.count(x)) each(x);
  for (const auto& x : b)
    if (!a.count(x)) each(x);
}

/// The users whose access to applications can differ between `live` and
/// `after` (memberships from `desired`); all users when an application's
/// assignment_required changes.
std::set<std::string> AffectedApplicationUsers(const DirectoryState& live, const DirectoryState& desired,
                                               const DirectoryState& after) {
  std::set<std::string> users, groups;
  auto required = [](const DirectoryState& s, const std::string& app) {
    auto it = s.applications.find(app);
    return it == s.applications.end() || it->second.assignment_required.value_or(true);
  };
  for (const auto* s : {&live, &after})
    for (const auto& [name, app] : s->applications)
      if (required(live, name) != required(after, name)) {
        for (const auto* t : {&live, &desired})
          for (const auto& [user, u] : t->users) users.insert(user);
        return users;
      }
  SymDiff(live.memberships, desired.memberships, [&](const Membership& m) { users.insert(m.user); });
  SymDiff(live.application_assignments, after.application_assignments, [&](const ApplicationAssignment& a) {
    (a.principal_type == PrincipalType::kUser ? users : groups).insert(a.principal);
  });
  for (const auto* s : {&live, &desired})
    for (const auto& m : s->memberships)
      if (groups.count(m.group)) users.insert(m.user);
  return users;
}

/// `s`'s users, memberships and user assignments of `users`, with `apps`'s applications and assignments.
DirectoryState RestrictApplications(const DirectoryState& s, const DirectoryState& apps,
                                    const std::set<std::string>& users) {
  DirectoryState r;
  for (const auto& u : users) {
    auto it = s.users.find(u);
    if (it != s.users.end()) r.users.insert(*it);
  }
  for (const auto& m : s.memberships)
    if (users.count(m.user)) r.memberships.insert(m);
  r.applications = apps.applications;
  for (const auto& a : apps.application_assignments)
    if (a.principal_type == PrincipalType::kGroup || users.count(a.principal)) r.application_assignments.insert(a);
  return r;
}

/// Users gaining and losing applications: the plan leaves the applications it
/// does not declare as they are, so their assignments count on both sides.
std::vector<AccessChange> ChangedApplicationAccess(const DirectoryState& live, const DirectoryState& desired) {
  if (live.applications.empty() && desired.applications.empty()) return {};
  DirectoryState after;
  PlannedApplications(live, desired, &after);
  std::set<std::string> users = AffectedApplicationUsers(live, desired, after);
  if (users.empty()) return {};
  return ApplicationAccessChanges(RestrictApplications(live, live, users), RestrictApplications(desired, after, users));
}

}  // namespace

std::vector<AccessChange> ChangedAccess(const DirectoryState& live, const DirectoryState& desired,
                                        const CustomerPolicyDocuments& documents) {
  // AccessChanges expands only the users whose memberships or assignments differ.
  std::vector<AccessChange> out = AccessChanges(live, desired, DefaultClassifier(documents));
  std::vector<AccessChange> more = PrivilegeChanges(
      live, desired, [&documents](const PermissionSet& ps) { return lint::ProfilePermissionSet(ps, documents); });
  std::vector<AccessChange> apps = ChangedApplicationAccess(live, desired);
  more.insert(more.end(), apps.begin(), apps.end());
  if (more.empty()) return out;
  out.insert(out.end(), more.begin(), more.end());
  SortAccessChanges(&out);
  return out;
}

}  // namespace gatehouse
