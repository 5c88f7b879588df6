#pragma once
/// Diff: (desired, live, settings) → the operations of a plan, each with the
/// operations it depends on (plan_graph.h).

#include "compiler/config.h"
#include "compiler/diagnostics.h"
#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse {

/// Fills plan->operations (in a stable order: kinds, then names) and their
/// depends_on. With identity_source external, users and groups are never
/// created or deleted; a desired one missing live is an error naming it.
/// Returns false when such errors were added to `diags`.
bool DiffStates(const DirectoryState& desired, const DirectoryState& live, const Settings& settings, Plan* plan,
                Diagnostics* diags);

/// The human key of an object: "alice", "DevOps/alice", "group:DevOps/Admin/111111111111".
std::string ObjectName(const Object& o);
std::string AssignmentName(const Assignment& a);
std::string ApplicationAssignmentName(const ApplicationAssignment& a);  ///< "group:Sales/application:Salesforce"

/// Whether a live object is out of Gatehouse's scope (settings.ignore).
bool IsIgnored(const Settings& settings, ObjectKind kind, const std::string& name);

}  // namespace gatehouse
