#pragma once
/// Who changed what out of band (EVIDENCE.md "Attribution in gatehouse
/// drift"), pure: CloudTrail write records in, for each drift change the
/// newest successful write of the window whose request names the same
/// objects (by the live directory's ids), and who made it.

#include <optional>
#include <string>
#include <vector>

#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse {

/// The actor shown for changes made through SCIM (a bearer token, no caller).
inline constexpr char kScimActor[] = "identity provider (SCIM)";

struct Attribution {
  std::string actor;      ///< session name, IAM user name, "root", or kScimActor
  std::string actor_arn;  ///< userIdentity.arn; "" when there is none (SCIM)
  std::string time;       ///< eventTime, "YYYY-MM-DDTHH:MM:SSZ"
  std::string event_name;
  std::string event_id;
};

/// What attribution reads of one write record: the ids its request (or, for
/// creations, its answer) names.
struct WriteEvent {
  Attribution who;  ///< actor, time, event name and id
  std::string source;
  std::string group_id, user_id, membership_id;  ///< identitystore (+ SCIM, sso-directory)
  std::string permission_set_arn, principal_id, target_id;
  std::string application_arn, principal_type;  ///< sso application calls ("USER" | "GROUP")
  std::string set_name;                         ///< CreatePermissionSet's name
};

/// Reads one CloudTrail record (JSON text). False when it is not a successful
/// write of Identity Center (sso, identitystore, identitystore-scim,
/// sso-directory) that attribution uses.
bool ParseWriteEvent(const std::string& record_json, WriteEvent* out);

/// Keeps the first of the events that share an event id (a trail's duplicate
/// records, or the same event from two sources); order otherwise unchanged.
void DropDuplicateEvents(std::vector<WriteEvent>* events);

/// The event names that can explain the changes of `plan` (none for an empty
/// plan): what drift looks up, one query per name.
std::vector<std::string> AttributionEventNames(const Plan& plan);

/// For each operation of `plan` (same index), the newest event of `events`
/// within [from, to] (RFC 3339 UTC, inclusive) that names its objects, by the
/// ids of `live`; nullopt when none does. A DeleteGroupMembership names only a
/// membership id: it is resolved through a CreateGroupMembership whose answer
/// holds that id, or, when none did, paired with the one missing membership
/// left unexplained if it is the only unresolved deletion.
std::vector<std::optional<Attribution>> AttributeChanges(const Plan& plan, const DirectoryState& live,
                                                         const std::vector<WriteEvent>& events, const std::string& from,
                                                         const std::string& to);

/// "changed out of band by ACTOR at TIME (EVENT)".
std::string AttributionLine(const Attribution& a);

}  // namespace gatehouse
