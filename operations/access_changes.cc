#include "operations/access_changes.h"

#include <iterator>
#include <set>
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

namespace {

/// Live items of one kind after the plan's creates and deletes of that kind.
template <typename T>
std::set<T> AfterPlan(const std::set<T>& live, const Plan& plan, ObjectKind kind) {
  std::set<T> out = live;
  for (const Operation& op : plan.operations) {
    if (op.kind != kind) continue;
    if (op.action == Action::kDelete) out.erase(std::get<T>(*op.before));
    if (op.action == Action::kCreate) out.insert(std::get<T>(*op.after));
  }
  return out;
}

}  // namespace

std::unique_ptr<DirectoryState> PlannedState(const DirectoryState& live, const DirectoryState& desired,
                                             const Plan& plan) {
  // The plan creates only what live lacks and deletes only what desired lacks, so
  // when the counts come out equal the planned sets are desired's.
  long memberships_after = static_cast<long>(live.memberships.size());
  long assignments_after = static_cast<long>(live.assignments.size());
  for (const Operation& op : plan.operations) {
    long step = op.action == Action::kCreate ? 1 : op.action == Action::kDelete ? -1 : 0;
    if (op.kind == ObjectKind::kMembership) memberships_after += step;
    if (op.kind == ObjectKind::kAssignment) assignments_after += step;
  }
  if (memberships_after == static_cast<long>(desired.memberships.size()) &&
      assignments_after == static_cast<long>(desired.assignments.size()))
    return nullptr;
  std::set<Membership> memberships = AfterPlan(live.memberships, plan, ObjectKind::kMembership);
  std::set<Assignment> assignments = AfterPlan(live.assignments, plan, ObjectKind::kAssignment);
  auto after = std::make_unique<DirectoryState>(desired);
  std::set<std::string> gone_users, gone_groups;
  for (const Operation& op : plan.operations)
    if (op.action == Action::kDelete && op.kind == ObjectKind::kUser)
      gone_users.insert(op.name);
    else if (op.action == Action::kDelete && op.kind == ObjectKind::kGroup)
      gone_groups.insert(op.name);
  for (auto it = memberships.begin(); it != memberships.end();)
    it = gone_users.count(it->user) || gone_groups.count(it->group) ? memberships.erase(it) : std::next(it);
  for (auto it = assignments.begin(); it != assignments.end();) {
    const auto& gone = it->principal_type == PrincipalType::kUser ? gone_users : gone_groups;
    it = gone.count(it->principal) ? assignments.erase(it) : std::next(it);
  }
  after->memberships = std::move(memberships);
  after->assignments = std::move(assignments);
  for (const auto& [name, ps] : live.permission_sets) after->permission_sets.emplace(name, ps);  // kept ones
  return after;
}

}  // namespace gatehouse
