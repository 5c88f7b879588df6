#pragma once
/// The plan: the program that turns a live directory into the desired one.
/// Operations carry typed before/after values; the executor runs them in a
/// topological order of their dependencies (plan_graph.h).

#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "compiler/model.h"

namespace gatehouse {

struct Scope;  // compiler/scope.h

enum class ObjectKind { kUser, kGroup, kMembership, kPermissionSet, kAssignment, kApplication, kApplicationAssignment };
/// What an operation does. An object whose key changes is a different object
/// (deleted and created), so the plan never replaces.
enum class Action {
  kCreate,
  kUpdate,
  kDelete,
};

const char* ObjectKindName(ObjectKind k);  ///< "user", "group", "membership", ..., "application_assignment"
const char* ActionName(Action a);          ///< "create", "update", "delete"
std::optional<ObjectKind> ParseObjectKind(const std::string& s);
/// "create", "update" or "delete"; nullopt for anything else.
std::optional<Action> ParseAction(const std::string& s);

using Object = std::variant<User, Group, Membership, PermissionSet, Assignment, Application, ApplicationAssignment>;

struct Operation {
  ObjectKind kind = ObjectKind::kUser;
  Action action = Action::kCreate;
  std::string name;                ///< human key: "alice", "DevOps/alice", "DevOps->DevOpsProd@111111111111"
  std::optional<Object> before;    ///< null for create
  std::optional<Object> after;     ///< null for delete
  std::vector<size_t> depends_on;  ///< indices into Plan::operations
  std::string reason;              ///< display only ("expired 2027-01-31"); never steers apply

  /// The object operated on: `after`, or `before` for a delete.
  const Object& value() const { return after ? *after : *before; }
};

/// What happens to a holder's access: gained or lost, or kept while the
/// permission set's policies make it more (escalate) or less (deescalate) powerful.
enum class AccessChangeKind { kGain, kLose, kEscalate, kDeescalate };
const char* AccessChangeKindName(AccessChangeKind k);  ///< "gain", "lose", "escalate", "deescalate"
std::optional<AccessChangeKind> ParseAccessChangeKind(const std::string& s);

/// "alice gains AdministratorAccess on payments-prod (via group Admins)".
struct AccessChange {
  AccessChangeKind change = AccessChangeKind::kGain;
  std::string user;
  std::string permission_set;
  std::string account_id;
  std::string account_name;
  std::vector<std::string> via;  ///< "direct" or group names
  std::string
      privilege;  ///< "admin", "permissions-management", "write", "read-only", "" (after, for escalate/deescalate)
  /// Only for escalate/deescalate: the class before, and the set's notable
  /// actions (escalation, credentials, audit logs, Identity Center) gained and lost.
  std::string privilege_before;
  std::vector<std::string> notable_actions_gained;
  std::vector<std::string> notable_actions_lost;
  /// An application gained or lost (gain/lose only): its name; permission_set,
  /// account and privilege are then empty. via may hold "everyone" (the
  /// application does not require an assignment).
  std::string application;

  bool gained() const { return change == AccessChangeKind::kGain; }
  bool privilege_change() const {
    return change == AccessChangeKind::kEscalate || change == AccessChangeKind::kDeescalate;
  }
};

struct Plan {
  std::string config_digest;     ///< sha256 of the config sources
  std::string live_fingerprint;  ///< sha256 of the live state the plan was computed from
  std::vector<Operation> operations;
  std::vector<AccessChange> access_changes;
  std::vector<std::string> notes;  ///< "assignment ... expired on ..., removed"
  /// A scoped plan (plan --changed-from / --only): the slice it read and may
  /// change; nothing outside it is read, diffed or changed. Null: the whole directory.
  std::shared_ptr<Scope> scope;
  size_t objects_read = 0;  ///< scoped plans: live objects read in the slice
  bool empty() const { return operations.empty(); }
};

struct PlanSummary {
  size_t create = 0, update = 0, del = 0;
  /// Always 0 (the plan never replaces); the plan JSON summary and the summary
  /// line print it, so their format stays stable.
  size_t replace = 0;
};
PlanSummary Summarize(const Plan& plan);

}  // namespace gatehouse
