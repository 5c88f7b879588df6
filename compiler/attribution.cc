#include "compiler/attribution.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <tuple>
#include <utility>

namespace gatehouse {

using nlohmann::json;

namespace {

const json& Member(const json& obj, const char* key) {
  static const json kNull;
  if (!obj.is_object()) return kNull;
  auto it = obj.find(key);
  return it == obj.end() ? kNull : *it;
}

std::string Str(const json& obj, const char* key) {
  const json& v = Member(obj, key);
  return v.is_string() ? v.get<std::string>() : "";
}

std::string FirstOf(std::initializer_list<std::string> values) {
  for (const auto& v : values) {
    if (!v.empty()) return v;
  }
  return "";
}

/// "2026-11-30T09:12:44.123Z" -> "2026-11-30T09:12:44Z" (times compare as strings).
std::string NormalTime(const std::string& t) { return t.size() >= 19 ? t.substr(0, 19) + "Z" : t; }

/// Who made the call (CLOUDTRAIL-NOTES.md "The caller"): a role's session name,
/// an IAM user's name, root; SCIM calls have no individual caller.
std::pair<std::string, std::string> Actor(const json& record, const std::string& source) {
  if (source == "identitystore-scim.amazonaws.com") return {kScimActor, ""};
  const json& ui = Member(record, "userIdentity");
  std::string type = Str(ui, "type"), arn = Str(ui, "arn");
  if (type == "AssumedRole") return {arn.substr(arn.rfind('/') + 1), arn};
  if (type == "Root") return {"root", arn};
  std::string name = FirstOf({Str(ui, "userName"), Str(Member(ui, "onBehalfOf"), "userId"), Str(ui, "invokedBy"),
                              Str(ui, "principalId"), arn});
  return {name.empty() ? "unknown caller" : name, arn};
}

bool IsWrite(const json& record) {
  const json& ro = Member(record, "readOnly");
  if (ro.is_boolean()) return !ro.get<bool>();
  if (ro.is_string()) return ro.get<std::string>() != "true";
  return true;
}

using Names = std::vector<std::string>;

/// The calls that change each part of a permission set.
Names SetUpdateNames(const PermissionSet& a, const PermissionSet& b) {
  Names n;
  if (std::tie(a.description, a.session_duration, a.relay_state) !=
      std::tie(b.description, b.session_duration, b.relay_state))
    n.push_back("UpdatePermissionSet");
  if (a.managed_policies != b.managed_policies)
    n.insert(n.end(), {"AttachManagedPolicyToPermissionSet", "DetachManagedPolicyFromPermissionSet"});
  if (a.customer_managed_policies != b.customer_managed_policies)
    n.insert(n.end(), {"AttachCustomerManagedPolicyReferenceToPermissionSet",
                       "DetachCustomerManagedPolicyReferenceFromPermissionSet"});
  if (a.inline_policy != b.inline_policy)
    n.insert(n.end(), {"PutInlinePolicyToPermissionSet", "DeleteInlinePolicyFromPermissionSet"});
  if (a.permissions_boundary != b.permissions_boundary)
    n.insert(n.end(), {"PutPermissionsBoundaryToPermissionSet", "DeletePermissionsBoundaryFromPermissionSet"});
  if (a.tags != b.tags) n.insert(n.end(), {"TagResource", "UntagResource"});
  return n;
}

/// The write events that can explain a drift change: those that make the live
/// directory differ that way. A drift `delete` is something created out of
/// band, a `create` something deleted, an `update` something changed.
Names EventNamesFor(const Operation& op) {
  const bool made = op.action == Action::kDelete, removed = op.action == Action::kCreate;
  switch (op.kind) {
    case ObjectKind::kUser:
      return made ? Names{"CreateUser"} : removed ? Names{"DeleteUser"} : Names{"UpdateUser", "PutUser", "PatchUser"};
    case ObjectKind::kGroup:
      return made ? Names{"CreateGroup"} : removed ? Names{"DeleteGroup"} : Names{"UpdateGroup", "PatchGroup"};
    case ObjectKind::kMembership:
      return made ? Names{"CreateGroupMembership", "AddMemberToGroup", "PatchGroup"}
                  : Names{"DeleteGroupMembership", "RemoveMemberFromGroup", "PatchGroup"};
    case ObjectKind::kAssignment: return {made ? "CreateAccountAssignment" : "DeleteAccountAssignment"};
    case ObjectKind::kApplicationAssignment:
      return {made ? "CreateApplicationAssignment" : "DeleteApplicationAssignment"};
    // Only assignment_required is compared (applications are never created or
    // deleted on AWS: a missing one is a plan error).
    case ObjectKind::kApplication: return made || removed ? Names{} : Names{"PutApplicationAssignmentConfiguration"};
    case ObjectKind::kPermissionSet: break;
  }
  if (made || removed) return {made ? "CreatePermissionSet" : "DeletePermissionSet"};
  Names n = SetUpdateNames(std::get<PermissionSet>(*op.before), std::get<PermissionSet>(*op.after));
  // Nothing but provisioning differs: any edit may have left it out of date.
  if (n.empty())
    n = {"UpdatePermissionSet",
         "AttachManagedPolicyToPermissionSet",
         "DetachManagedPolicyFromPermissionSet",
         "AttachCustomerManagedPolicyReferenceToPermissionSet",
         "DetachCustomerManagedPolicyReferenceFromPermissionSet",
         "PutInlinePolicyToPermissionSet",
         "DeleteInlinePolicyFromPermissionSet",
         "PutPermissionsBoundaryToPermissionSet",
         "DeletePermissionsBoundaryFromPermissionSet"};
  return n;
}

/// Ids the events of the window reveal: membership id -> (group id, user id),
/// permission set name -> ARN (from the answers of the creations).
struct EventIndex {
  std::map<std::string, std::pair<std::string, std::string>> memberships;
  std::map<std::string, std::string> set_arns;
  explicit EventIndex(const std::vector<WriteEvent>& events) {
    for (const auto& e : events) {
      if (e.who.event_name == "CreateGroupMembership" && !e.membership_id.empty())
        memberships[e.membership_id] = {e.group_id, e.user_id};
      if (e.who.event_name == "CreatePermissionSet" && !e.set_name.empty() && !e.permission_set_arn.empty())
        set_arns[e.set_name] = e.permission_set_arn;
    }
  }
};

/// The live ids of the objects an operation names ("" when not live).
struct OpIds {
  std::string user, group, set_arn, principal, account;
  std::string application_arn, principal_type;
};

std::string UserId(const DirectoryState& live, const std::string& name) {
  auto it = live.users.find(name);
  return it == live.users.end() ? "" : it->second.id;
}

std::string GroupId(const DirectoryState& live, const std::string& name) {
  auto it = live.groups.find(name);
  return it == live.groups.end() ? "" : it->second.id;
}

std::string SetArn(const DirectoryState& live, const EventIndex& index, const std::string& name) {
  auto it = live.permission_sets.find(name);
  if (it != live.permission_sets.end() && !it->second.arn.empty()) return it->second.arn;
  auto created = index.set_arns.find(name);
  return created == index.set_arns.end() ? "" : created->second;
}

std::string ApplicationArn(const DirectoryState& live, const std::string& name) {
  auto it = live.applications.find(name);
  return it == live.applications.end() ? "" : it->second.arn;
}

std::string PrincipalId(const DirectoryState& live, PrincipalType type, const std::string& name) {
  return type == PrincipalType::kUser ? UserId(live, name) : GroupId(live, name);
}

OpIds IdsOf(const Operation& op, const DirectoryState& live, const EventIndex& index) {
  OpIds ids;
  const Object& v = op.value();
  if (const auto* u = std::get_if<User>(&v)) ids.user = UserId(live, u->user_name);
  if (const auto* g = std::get_if<Group>(&v)) ids.group = GroupId(live, g->name);
  if (const auto* m = std::get_if<Membership>(&v)) {
    ids.user = UserId(live, m->user);
    ids.group = GroupId(live, m->group);
  }
  if (const auto* p = std::get_if<PermissionSet>(&v)) ids.set_arn = SetArn(live, index, p->name);
  if (const auto* a = std::get_if<Assignment>(&v)) {
    ids.principal = PrincipalId(live, a->principal_type, a->principal);
    ids.set_arn = SetArn(live, index, a->permission_set);
    ids.account = a->account_id;
  }
  if (const auto* app = std::get_if<Application>(&v)) ids.application_arn = ApplicationArn(live, app->name);
  if (const auto* a = std::get_if<ApplicationAssignment>(&v)) {
    ids.principal = PrincipalId(live, a->principal_type, a->principal);
    ids.principal_type = PrincipalTypeName(a->principal_type);
    ids.application_arn = ApplicationArn(live, a->application);
  }
  return ids;
}

/// How well an event names an operation's objects: 0 not, 1 the group only
/// (a SCIM PatchGroup hides the members), 2 exactly.
int MembershipNamed(const OpIds& ids, const WriteEvent& e, const EventIndex& index) {
  if (ids.group.empty()) return 0;
  if (e.who.event_name == "PatchGroup") return e.group_id == ids.group ? 1 : 0;
  if (e.who.event_name == "DeleteGroupMembership") {
    auto it = index.memberships.find(e.membership_id);
    return it != index.memberships.end() && it->second == std::make_pair(ids.group, ids.user) ? 2 : 0;
  }
  return !ids.user.empty() && e.group_id == ids.group && e.user_id == ids.user ? 2 : 0;
}

/// How well `e`, if it is one of the `explaining` events, names the objects of `op`.
int Named(const Operation& op, const Names& explaining, const OpIds& ids, const WriteEvent& e,
          const EventIndex& index) {
  if (std::find(explaining.begin(), explaining.end(), e.who.event_name) == explaining.end()) return 0;
  switch (op.kind) {
    case ObjectKind::kUser: return !ids.user.empty() && e.user_id == ids.user ? 2 : 0;
    case ObjectKind::kGroup: return !ids.group.empty() && e.group_id == ids.group ? 2 : 0;
    case ObjectKind::kMembership: return MembershipNamed(ids, e, index);
    case ObjectKind::kPermissionSet: return !ids.set_arn.empty() && e.permission_set_arn == ids.set_arn ? 2 : 0;
    case ObjectKind::kAssignment:
      return !ids.principal.empty() && !ids.set_arn.empty() && e.principal_id == ids.principal &&
                     e.permission_set_arn == ids.set_arn && e.target_id == ids.account
                 ? 2
                 : 0;
    case ObjectKind::kApplication:
      return !ids.application_arn.empty() && e.application_arn == ids.application_arn ? 2 : 0;
    case ObjectKind::kApplicationAssignment:
      return !ids.principal.empty() && !ids.application_arn.empty() && e.principal_id == ids.principal &&
                     e.application_arn == ids.application_arn &&
                     (e.principal_type.empty() || e.principal_type == ids.principal_type)
                 ? 2
                 : 0;
  }
  return 0;
}

/// A DeleteGroupMembership names only a membership id; when no creation in the
/// window answered it (a membership older than the window), it can still be
/// told apart when it is the only such deletion and one missing membership is
/// the only one left unexplained.
void PairLoneDeletion(const Plan& plan, const std::vector<WriteEvent>& events, const EventIndex& index,
                      const std::string& from, const std::string& to, std::vector<std::optional<Attribution>>* out) {
  std::vector<size_t> missing;
  for (size_t i = 0; i < plan.operations.size(); ++i) {
    const Operation& op = plan.operations[i];
    if (op.kind == ObjectKind::kMembership && op.action == Action::kCreate && !(*out)[i]) missing.push_back(i);
  }
  std::vector<const WriteEvent*> unresolved;
  for (const auto& e : events) {
    if (e.who.event_name == "DeleteGroupMembership" && e.who.time >= from && e.who.time <= to &&
        index.memberships.count(e.membership_id) == 0)
      unresolved.push_back(&e);
  }
  if (missing.size() == 1 && unresolved.size() == 1) (*out)[missing[0]] = unresolved[0]->who;
}

}  // namespace

bool ParseWriteEvent(const std::string& record_json, WriteEvent* out) {
  static const std::set<std::string> kSources = {"sso.amazonaws.com", "identitystore.amazonaws.com",
                                                 "identitystore-scim.amazonaws.com", "sso-directory.amazonaws.com"};
  json r = json::parse(record_json, nullptr, false);
  if (!r.is_object()) return false;
  std::string source = Str(r, "eventSource");
  const json& error = Member(r, "errorCode");
  if (kSources.count(source) == 0 || !(error.is_null() || error == "") || !IsWrite(r)) return false;
  WriteEvent e;
  e.source = source;
  std::tie(e.who.actor, e.who.actor_arn) = Actor(r, source);
  e.who.time = NormalTime(Str(r, "eventTime"));
  e.who.event_name = Str(r, "eventName");
  e.who.event_id = Str(r, "eventID");
  const json& req = Member(r, "requestParameters");
  const json& resp = Member(r, "responseElements");
  e.group_id = FirstOf({Str(req, "groupId"), Str(resp, "groupId")});
  e.user_id = FirstOf({Str(req, "userId"), Str(Member(req, "memberId"), "userId"),
                       Str(Member(req, "member"), "memberId"), Str(resp, "userId")});
  e.membership_id = FirstOf({Str(req, "membershipId"), Str(resp, "membershipId")});
  e.permission_set_arn = FirstOf(
      {Str(req, "permissionSetArn"), Str(req, "resourceArn"), Str(Member(resp, "permissionSet"), "permissionSetArn")});
  e.principal_id = Str(req, "principalId");
  e.target_id = Str(req, "targetId");
  e.application_arn = Str(req, "applicationArn");
  e.principal_type = Str(req, "principalType");
  if (e.who.event_name == "CreatePermissionSet") e.set_name = Str(req, "name");
  if (e.who.event_name.empty() || e.who.time.empty()) return false;
  *out = std::move(e);
  return true;
}

void DropDuplicateEvents(std::vector<WriteEvent>* events) {
  std::set<std::string> seen;
  auto dup = [&seen](const WriteEvent& e) { return !e.who.event_id.empty() && !seen.insert(e.who.event_id).second; };
  events->erase(std::remove_if(events->begin(), events->end(), dup), events->end());
}

std::vector<std::string> AttributionEventNames(const Plan& plan) {
  std::set<std::string> names;
  for (const auto& op : plan.operations) {
    for (const auto& n : EventNamesFor(op)) names.insert(n);
    // What a deletion names is found through the creation that answered its id.
    if (op.kind == ObjectKind::kMembership && op.action == Action::kCreate) names.insert("CreateGroupMembership");
    if (op.kind == ObjectKind::kPermissionSet && op.action == Action::kCreate) names.insert("CreatePermissionSet");
  }
  return {names.begin(), names.end()};
}

std::vector<std::optional<Attribution>> AttributeChanges(const Plan& plan, const DirectoryState& live,
                                                         const std::vector<WriteEvent>& events, const std::string& from,
                                                         const std::string& to) {
  EventIndex index(events);
  std::vector<std::optional<Attribution>> out(plan.operations.size());
  for (size_t i = 0; i < plan.operations.size(); ++i) {
    const Operation& op = plan.operations[i];
    OpIds ids = IdsOf(op, live, index);
    const Names explaining = EventNamesFor(op);
    int best = 0;
    for (const auto& e : events) {
      if (e.who.time < from || e.who.time > to) continue;
      int how = Named(op, explaining, ids, e, index);
      // An exact match beats a group-only one; then the newest wins, and on a
      // tie the first seen (LookupEvents lists newest first).
      if (how == 0 || how < best || (how == best && e.who.time <= out[i]->time)) continue;
      best = how;
      out[i] = e.who;
    }
  }
  PairLoneDeletion(plan, events, index, from, to, &out);
  return out;
}

std::string AttributionLine(const Attribution& a) {
  return "changed out of band by " + a.actor + " at " + a.time + " (" + a.event_name + ")";
}

}  // namespace gatehouse
