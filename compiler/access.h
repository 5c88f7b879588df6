#pragma once
/// Effective access: which user can enter which account with which permission
/// set, and through which paths (direct, or via which groups). Computed from
/// any DirectoryState, desired or live.

#include <functional>
#include <string>
#include <vector>

#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse {

struct AccessEntry {
  std::string user;
  std::string account_id;
  std::string account_name;
  std::string permission_set;
  std::vector<std::string> via;  ///< "direct" first, then group names, sorted
  std::string privilege;         ///< classification of the permission set ("" unknown)
};

/// A user who may use an application, and how: "direct", group names, or
/// "everyone" when the application does not require an assignment.
struct ApplicationAccessEntry {
  std::string user;
  std::string application;
  std::vector<std::string> via;  ///< "direct" first, then group names, sorted; or "everyone"
};

/// Who may use which application, sorted by user, application.
std::vector<ApplicationAccessEntry> EffectiveApplicationAccess(const DirectoryState& s);

/// Classifies a permission set: "admin", "permissions-management", "write", "read-only" or "".
using PrivilegeClassifier = std::function<std::string(const PermissionSet&)>;

/// The access matrix, sorted by user, account id, permission set.
std::vector<AccessEntry> EffectiveAccess(const DirectoryState& s, const PrivilegeClassifier& classify = nullptr);

/// Users gaining and losing applications between two states (gain/lose entries with `application` set).
std::vector<AccessChange> ApplicationAccessChanges(const DirectoryState& before, const DirectoryState& after);

/// Sets `after`'s applications and application assignments to what a plan
/// from `live` to `desired` leaves: the declared applications with their
/// assignments (assignment_required from live where the config leaves it
/// alone), and the applications the config does not declare as they are.
void PlannedApplications(const DirectoryState& live, const DirectoryState& desired, DirectoryState* after);

/// Users gaining and losing access between `live` and `desired`, most privileged first.
std::vector<AccessChange> AccessChanges(const DirectoryState& live, const DirectoryState& desired,
                                        const PrivilegeClassifier& classify = nullptr);

/// A permission set as a plan weighs it: its privilege class and its notable
/// actions (privilege escalation, credentials exposure, audit-log tampering,
/// Identity Center administration), canonical names, sorted.
struct SetProfile {
  std::string privilege;
  std::vector<std::string> notable_actions;
};
using SetProfiler = std::function<SetProfile(const PermissionSet&)>;

/// Whether two versions of a set differ in what they allow: managed, customer
/// managed or inline policies, or the permissions boundary.
bool PoliciesDiffer(const PermissionSet& a, const PermissionSet& b);

/// Holders (user x account) who keep a permission set whose policies change
/// between `live` and `desired` and whose privilege class changes with them:
/// escalate/deescalate entries. Each changed set is profiled once per side and
/// holders are expanded only for the sets whose class changes. Holders who gain
/// or lose the set on that account are gain/lose entries, not listed here.
std::vector<AccessChange> PrivilegeChanges(const DirectoryState& live, const DirectoryState& desired,
                                           const SetProfiler& profile);

/// The order reviewers read: escalations and privileged gains first, then by
/// privilege (the class gained, or the class lost), gains before losses.
void SortAccessChanges(std::vector<AccessChange>* changes);

/// 0 for admin … 3 for read-only, 4 unknown: the order reviewers want.
int PrivilegeRank(const std::string& privilege);

/// Admin-equivalent or permissions-management: what reviewers must look at first.
bool IsPrivileged(const std::string& privilege);

/// "alice gains AdministratorAccess on payments-prod (111111111111) via group Admins"
std::string DescribeAccessChange(const AccessChange& c);

}  // namespace gatehouse
