#pragma once
/// What a permission set's policies let its holder do, over-approximated for
/// "what could be allowed": conditions never widen, and only unconditional
/// denies on every resource take actions away.

#include <cstddef>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/iam/action_catalog.h"
#include "compiler/iam/action_set.h"
#include "compiler/iam/policy_issue.h"

namespace gatehouse::iam {

struct EffectivePermissions {
  /// Actions allowed on some resource, possibly under a condition.
  ActionSet allowed;
  /// The part of `allowed` granted on every resource without a condition:
  /// an Allow with `Resource` containing "*" (or with `NotResource`, which
  /// allows all resources but the listed ones) and no `Condition`.
  // INVARIANT: unrestricted is a subset of allowed.
  ActionSet unrestricted;
  /// Actions every request for which is refused: denied by a Deny with no
  /// Condition and a Resource containing "*" (in the policies or the boundary).
  /// Disjoint from `allowed`. (For rules that require an explicit deny, e.g.
  /// of cloudtrail:StopLogging.)
  ActionSet denied;
};

/// The permissions of one policy document: the union of its Allow statements
/// (Action patterns, or every catalog action not matched by NotAction), minus
/// the actions of its Deny statements that have no Condition and a Resource
/// containing "*". Malformed statements (see ValidatePolicy) are skipped.
EffectivePermissions PolicyPermissions(const nlohmann::json& doc, const ActionCatalog& catalog = BuiltinCatalog());

/// The permissions of a permission set: the union of what `policies` (managed
/// documents and the inline one) allow, minus what any of them denies as in
/// PolicyPermissions; when `boundary` is not null, intersected with what the
/// boundary allows (an action stays unrestricted only if both grant it so).
EffectivePermissions ComputeEffectivePermissions(const std::vector<const nlohmann::json*>& policies,
                                                 const nlohmann::json* boundary = nullptr,
                                                 const ActionCatalog& catalog = BuiltinCatalog());

/// What kind of access an effective set amounts to.
struct PermissionSummary {
  /// Every catalog action is allowed unrestricted.
  bool full_admin = false;
  /// Effectively `*:*`: at least kAdminCoverage of the catalog is allowed
  /// unrestricted and so is every IAM "Permissions management" action (with
  /// those the holder can grant itself whatever few actions are missing).
  /// AdministratorAccess, and `*` minus a handful of denies, are admin-
  /// equivalent; PowerUserAccess (everything but IAM and Organizations) is not.
  bool admin_equivalent = false;
  /// Some allowed action has the "Permissions management" level.
  bool has_permissions_management = false;
  /// Some allowed action changes something: level Write, Permissions
  /// management or Tagging.
  bool has_write = false;
  /// No allowed action changes anything: only List and Read (Tagging counts
  /// as a change). True for a set that allows nothing.
  bool read_only = true;
  std::size_t allowed_count = 0;
  std::size_t unrestricted_count = 0;
};

/// The share of the catalog an admin-equivalent set must allow unrestricted.
inline constexpr double kAdminCoverage = 0.99;

PermissionSummary Summarize(const EffectivePermissions& permissions, const ActionCatalog& catalog = BuiltinCatalog());

/// The allowed actions carrying `level`, canonical names sorted by service.
std::vector<std::string> AllowedActionsAtLevel(const EffectivePermissions& permissions, AccessLevel level,
                                               const ActionCatalog& catalog = BuiltinCatalog());

/// Paths of the Allow statements of `doc` (e.g. {"Statement", 2}) whose Action
/// or NotAction lets through `action` ("iam:PassRole"), to point a finding at
/// the statement responsible. Ignores resources and conditions.
std::vector<JsonPath> StatementsAllowing(const nlohmann::json& doc, std::string_view action);

/// The strings of a string-or-array policy member (Action, Resource, ...); non-strings are skipped.
std::vector<std::string> PolicyStrings(const nlohmann::json& value);
/// Whether a statement has a non-empty Condition.
bool HasCondition(const nlohmann::json& statement);

}  // namespace gatehouse::iam
