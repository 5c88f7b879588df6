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

/// Classifies a permission set: "admin", "permissions-management", "write", "read-only" or "".
using PrivilegeClassifier = std::function<std::string(const PermissionSet&)>;

/// The access matrix, sorted by user, account id, permission set.
std::vector<AccessEntry> EffectiveAccess(const DirectoryState& s, const PrivilegeClassifier& classify = nullptr);

/// Users gaining and losing access between `live` and `desired`, most privileged first.
std::vector<AccessChange> AccessChanges(const DirectoryState& live, const DirectoryState& desired,
                                        const PrivilegeClassifier& classify = nullptr);

/// 0 for admin … 3 for read-only, 4 unknown: the order reviewers want.
int PrivilegeRank(const std::string& privilege);

/// Admin-equivalent or permissions-management: what reviewers must look at first.
bool IsPrivileged(const std::string& privilege);

/// "alice gains AdministratorAccess on payments-prod (111111111111) via group Admins"
std::string DescribeAccessChange(const AccessChange& c);

}  // namespace gatehouse
