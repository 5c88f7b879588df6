#pragma once
/// The access a plan gains or removes, for its "Access changes" section.

#include <memory>
#include <vector>

#include "compiler/access.h"
#include "compiler/model.h"
#include "compiler/plan.h"
#include "compiler/policy_documents.h"

namespace gatehouse {

/// Access changes between two states, computed only for the users whose access
/// can differ (changed memberships, changed user assignments, members of groups
/// whose assignments changed): a converged plan costs nothing, and a large
/// directory is not expanded twice in full. With them, the holders who keep a
/// permission set whose policies change its privilege class (escalate and
/// deescalate entries, PrivilegeChanges). Customer managed policies are analysed
/// with the documents the config gives (`documents`), on both sides. Then the
/// users who gain or lose an application (via a group, directly, or everyone
/// when it stops or starts requiring an assignment).
std::vector<AccessChange> ChangedAccess(const DirectoryState& live, const DirectoryState& desired,
                                        const CustomerPolicyDocuments& documents = {});

/// What the directory holds once `plan` (from `live` to `desired`) is applied:
/// `desired`, plus the live memberships, assignments and permission sets the plan
/// leaves in place (`mode: additive`, `settings.ignore`), less those of the users
/// and groups it deletes. The state to compare `live` with for access changes,
/// so an ignored user's memberships are not shown as lost. Null when it is
/// `desired` itself (the plan removes everything `desired` lacks): no copy.
std::unique_ptr<DirectoryState> PlannedState(const DirectoryState& live, const DirectoryState& desired,
                                             const Plan& plan);

}  // namespace gatehouse
