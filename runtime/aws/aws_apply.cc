// AwsTarget::Apply: one plan operation → its API calls. Idempotent so a
// rerun after a crash converges: creating what exists adopts it, deleting
// what is gone succeeds.
#include <algorithm>

#include "runtime/aws/aws_target.h"
#include "runtime/aws/permission_set_edit.h"

namespace gatehouse::aws {

using nlohmann::json;

namespace {

/// Between create-or-adopt rounds: 200 ms doubling up to 10 s.
constexpr net::Backoff kConflictBackoff{std::chrono::milliseconds(200), std::chrono::milliseconds(10'000)};

bool IsNotFound(const AwsError& e) { return e.Is("ResourceNotFoundException"); }

/// The body of CreateUser / CreateGroup (without the identity store id).
json CreateBody(const Object& obj) {
  json body = json::object();
  if (const auto* u = std::get_if<User>(&obj)) {
    body["UserName"] = u->user_name;
    body["DisplayName"] = u->display_name;
    body["Name"] = {{"GivenName", u->given_name}, {"FamilyName", u->family_name}};
    if (!u->email.empty()) body["Emails"] = json::array({{{"Value", u->email}, {"Primary", true}}});
    return body;
  }
  const Group& g = std::get<Group>(obj);
  body["DisplayName"] = g.name;
  if (!g.description.empty()) body["Description"] = g.description;
  return body;
}

/// The Operations of UpdateUser / UpdateGroup: what changed from `before`.
json UpdateOperations(const std::optional<Object>& before_obj, const Object& obj) {
  json ops = json::array();
  if (const auto* g = std::get_if<Group>(&obj)) {
    json operation = {{"AttributePath", "description"}};
    if (!g->description.empty()) operation["AttributeValue"] = g->description;
    ops.push_back(operation);
    return ops;
  }
  const User& u = std::get<User>(obj);
  const User* before = before_obj ? std::get_if<User>(&*before_obj) : nullptr;
  auto set = [&ops](const char* path, json value) {
    ops.push_back({{"AttributePath", path}, {"AttributeValue", std::move(value)}});
  };
  if (!before || before->display_name != u.display_name) set("displayName", u.display_name);
  if (!before || before->given_name != u.given_name) set("name.givenName", u.given_name);
  if (!before || before->family_name != u.family_name) set("name.familyName", u.family_name);
  if (!before || before->email != u.email) {
    if (u.email.empty()) {
      ops.push_back({{"AttributePath", "emails"}});  // no value: remove the attribute
    } else {
      set("emails", json::array({{{"value", u.email}, {"primary", true}}}));
    }
  }
  return ops;
}

}  // namespace

OpResult AwsTarget::Apply(const Operation& op) {
  bool deleting = op.action == Action::kDelete;
  const std::optional<Object>& obj = deleting ? op.before : op.after;
  if (!obj) {
    return OpResult{false,
                    std::string("operation `") + op.name + "` lacks its " + (deleting ? "before" : "after") + " value"};
  }
  if (op.kind == ObjectKind::kPermissionSet && op.action == Action::kUpdate && !op.before) {
    return OpResult{false, "update of `" + op.name + "` lacks its before value"};
  }
  AwsError err;
  try {
    if (!ApplyObject(op, *obj, &err)) return OpResult{false, err.ToString()};
  } catch (const std::exception& e) {
    return OpResult{false, UnexpectedAnswer(e)};
  }
  return OpResult{};
}

bool AwsTarget::ApplyObject(const Operation& op, const Object& obj, AwsError* err) {
  switch (op.kind) {
    case ObjectKind::kUser:
    case ObjectKind::kGroup: return ApplyPrincipal(op, obj, err);
    case ObjectKind::kMembership: return ApplyMembership(op.action, std::get<Membership>(obj), err);
    case ObjectKind::kPermissionSet: {
      const PermissionSet& ps = std::get<PermissionSet>(obj);
      if (op.action == Action::kCreate) return CreatePermissionSet(ps, err);
      if (op.action == Action::kDelete) return DeletePermissionSet(ps, err);
      return UpdatePermissionSet(std::get<PermissionSet>(*op.before), ps, err);
    }
    case ObjectKind::kAssignment: return ApplyAssignment(op.action, std::get<Assignment>(obj), err);
    case ObjectKind::kApplication: return ApplyApplication(op, std::get<Application>(obj), err);
    case ObjectKind::kApplicationAssignment:
      return ApplyApplicationAssignment(op.action, std::get<ApplicationAssignment>(obj), err);
  }
  return false;
}

bool AwsTarget::CreateOrAdopt(const std::function<bool(AwsError*)>& create,
                              const std::function<bool(bool* found, AwsError*)>& exists, AwsError* err) {
  for (int attempt = 0;; ++attempt) {
    if (create(err)) return true;
    if (!err->Is("ConflictException")) return false;
    bool found = false;
    AwsError lookup_err;
    if (exists(&found, &lookup_err) && found) return true;
    // A conflict on something not there yet: an earlier write is still
    // propagating. Back off like any transient error.
    if (attempt + 1 >= options_.conflict_attempts) return false;
    env_.sleep(kConflictBackoff.Delay(attempt, env_.random()));
  }
}

bool AwsTarget::ApplyPrincipal(const Operation& op, const Object& obj, AwsError* err) {
  PrincipalType type = op.kind == ObjectKind::kUser ? PrincipalType::kUser : PrincipalType::kGroup;
  const std::string& name = type == PrincipalType::kUser ? std::get<User>(obj).user_name : std::get<Group>(obj).name;
  const PrincipalApi& api = ApiFor(type);
  if (op.action == Action::kCreate) return CreatePrincipal(type, name, CreateBody(obj), err);
  std::string id;
  if (!PrincipalId(type, name, &id, err)) return op.action == Action::kDelete && IsNotFound(*err);
  json body = Store();
  body[api.id_field] = id;
  json out;
  if (op.action == Action::kDelete) {
    bool ok =
        client_.Call(Service::kIdentityStore, std::string("Delete") + api.noun, body, &out, err) || IsNotFound(*err);
    if (ok) PrincipalIds(type).Forget(name);
    return ok;
  }
  json operations = UpdateOperations(op.before, obj);
  if (operations.empty()) return true;
  body["Operations"] = operations;
  return client_.Call(Service::kIdentityStore, std::string("Update") + api.noun, body, &out, err);
}

bool AwsTarget::CreatePrincipal(PrincipalType type, const std::string& name, const json& fields, AwsError* err) {
  const PrincipalApi& api = ApiFor(type);
  json body = Store();
  body.update(fields);
  return CreateOrAdopt(
      [&](AwsError* e) {
        json out;
        if (!client_.Call(Service::kIdentityStore, std::string("Create") + api.noun, body, &out, e,
                          CallOptions{false})) {
          return false;
        }
        PrincipalIds(type).Remember(name, out.value(api.id_field, ""));
        return true;
      },
      [&](bool* found, AwsError* e) {
        PrincipalIds(type).Forget(name);
        std::string id;
        if (!PrincipalId(type, name, &id, e)) return IsNotFound(*e) ? (*found = false, true) : false;
        *found = true;
        return true;
      },
      err);
}

bool AwsTarget::ApplyMembership(Action action, const Membership& m, AwsError* err) {
  std::string group_id, user_id;
  bool deleting = action == Action::kDelete;
  if (!PrincipalId(PrincipalType::kGroup, m.group, &group_id, err)) return deleting && IsNotFound(*err);
  if (!PrincipalId(PrincipalType::kUser, m.user, &user_id, err)) return deleting && IsNotFound(*err);
  json key = Store();
  key["GroupId"] = group_id;
  key["MemberId"] = {{"UserId", user_id}};
  auto lookup = [&](std::string* membership_id, AwsError* e) {
    json out;
    if (!client_.Call(Service::kIdentityStore, "GetGroupMembershipId", key, &out, e)) return false;
    *membership_id = out.value("MembershipId", "");
    return true;
  };
  if (action == Action::kCreate) {
    return CreateOrAdopt(
        [&](AwsError* e) {
          json out;
          return client_.Call(Service::kIdentityStore, "CreateGroupMembership", key, &out, e, CallOptions{false});
        },
        [&](bool* found, AwsError* e) {
          std::string id;
          if (!lookup(&id, e)) return IsNotFound(*e) ? (*found = false, true) : false;
          *found = true;
          return true;
        },
        err);
  }
  std::string membership_id;
  if (!lookup(&membership_id, err)) return IsNotFound(*err);
  json body = Store();
  body["MembershipId"] = membership_id;
  json out;
  return client_.Call(Service::kIdentityStore, "DeleteGroupMembership", body, &out, err) || IsNotFound(*err);
}

bool AwsTarget::CreatePermissionSet(const PermissionSet& ps, AwsError* err) {
  json body = Instance();
  body["Name"] = ps.name;
  if (!ps.description.empty()) body["Description"] = ps.description;
  body["SessionDuration"] = ps.session_duration.empty() ? kDefaultSessionDuration : ps.session_duration;
  if (!ps.relay_state.empty()) body["RelayState"] = ps.relay_state;
  Tags tags = ps.tags;
  tags.emplace("managed-by", "gatehouse");  // unless the config names another owner
  body["Tags"] = TagList(tags);
  std::string arn;
  bool adopted = false;
  bool ok = CreateOrAdopt(
      [&](AwsError* e) {
        json out;
        if (!client_.Call(Service::kSsoAdmin, "CreatePermissionSet", body, &out, e, CallOptions{false})) {
          return false;
        }
        arn = out["PermissionSet"].value("PermissionSetArn", "");
        return true;
      },
      [&](bool* found, AwsError* e) {
        if (!FindPermissionSetArn(ps.name, &arn, e)) return false;
        *found = adopted = !arn.empty();
        return true;
      },
      err);
  if (!ok) return false;
  set_arns_.Remember(ps.name, arn);
  // The new set has its attributes and tags; add the policies. A set adopted
  // after a crash may hold some of them already, which the edits tolerate;
  // it may also be provisioned, so it gets the provisioning check too.
  PermissionSet fresh;
  fresh.name = ps.name;
  fresh.session_duration = body["SessionDuration"];
  fresh.description = ps.description;
  fresh.relay_state = ps.relay_state;
  fresh.tags = ps.tags;
  if (!PermissionSetEdit(&client_, Instance(), arn).Run(fresh, ps, err)) return false;
  return !adopted || ProvisionIfNeeded(arn, false, err);
}

bool AwsTarget::UpdatePermissionSet(const PermissionSet& before, const PermissionSet& after, AwsError* err) {
  std::string arn;
  if (!PermissionSetArn(after.name, &arn, err)) return false;
  PermissionSetEdit edit(&client_, Instance(), arn);
  if (!edit.Run(before, after, err)) return false;
  // One provisioning after all edits; also when the set was already out of date.
  if (!edit.needs_provisioning() && before.outdated_accounts.empty()) return true;
  return ProvisionIfNeeded(arn, !before.outdated_accounts.empty(), err);
}

bool AwsTarget::ProvisionIfNeeded(const std::string& arn, bool outdated, AwsError* err) {
  json key = Instance();
  key["PermissionSetArn"] = arn;
  if (!outdated) {
    json body = key;
    body["MaxResults"] = 1;
    json out;
    if (!client_.Call(Service::kSsoAdmin, "ListAccountsForProvisionedPermissionSet", body, &out, err)) {
      return false;
    }
    if (!out.contains("AccountIds") || out["AccountIds"].empty()) return true;  // nowhere yet
  }
  provisionings_.acquire();
  json body = key;
  body["TargetType"] = "ALL_PROVISIONED_ACCOUNTS";
  json out;
  bool ok = client_.Call(Service::kSsoAdmin, "ProvisionPermissionSet", body, &out, err);
  json status;
  if (ok) {
    status = out["PermissionSetProvisioningStatus"];
    if (status.value("Status", "") == "IN_PROGRESS") {
      ok = PollStatus("DescribePermissionSetProvisioningStatus", "ProvisionPermissionSetRequestId",
                      status.value("RequestId", ""), "PermissionSetProvisioningStatus", &status, err);
    }
  }
  provisionings_.release();
  if (!ok) return false;
  if (status.value("Status", "") == "FAILED") {
    *err = AwsError{"ProvisioningFailed", status.value("FailureReason", "no reason given"), 0, 0,
                    "sso-admin ProvisionPermissionSet"};
    return false;
  }
  return true;
}

bool AwsTarget::DeletePermissionSet(const PermissionSet& ps, AwsError* err) {
  std::string arn;
  if (!PermissionSetArn(ps.name, &arn, err)) return IsNotFound(*err);
  json body = Instance();
  body["PermissionSetArn"] = arn;
  json out;
  // Conflict (assignments or provisioning still draining) is retried by the client.
  bool ok = client_.Call(Service::kSsoAdmin, "DeletePermissionSet", body, &out, err) || IsNotFound(*err);
  if (ok) set_arns_.Forget(ps.name);
  return ok;
}

bool AwsTarget::PollStatus(const std::string& describe_op, const std::string& id_field, const std::string& request_id,
                           const std::string& status_field, json* status, AwsError* err) {
  auto delay = options_.poll_initial;
  auto deadline = std::chrono::steady_clock::now() + options_.poll_timeout;
  for (;;) {
    env_.sleep(delay);
    json body = Instance();
    body[id_field] = request_id;
    json out;
    if (!client_.Call(Service::kSsoAdmin, describe_op, body, &out, err)) return false;
    *status = out[status_field];
    if (status->value("Status", "") != "IN_PROGRESS") return true;
    if (std::chrono::steady_clock::now() > deadline) {
      *err = AwsError{"Timeout", "request " + request_id + " still IN_PROGRESS", 0, 0, "sso-admin " + describe_op};
      return false;
    }
    delay = std::min(options_.poll_max, delay * 3 / 2);
  }
}

namespace {
/// The asynchronous requests of Identity Center: how to list and describe each.
struct AsyncKind {
  const char* noun;  ///< for the note
  const char* list_op;
  const char* list_key;
  const char* describe_op;
  const char* id_field;
  const char* status_field;
};
constexpr AsyncKind kAsyncKinds[] = {
    {"assignment creation", "ListAccountAssignmentCreationStatus", "AccountAssignmentsCreationStatus",
     "DescribeAccountAssignmentCreationStatus", "AccountAssignmentCreationRequestId",
     "AccountAssignmentCreationStatus"},
    {"assignment deletion", "ListAccountAssignmentDeletionStatus", "AccountAssignmentsDeletionStatus",
     "DescribeAccountAssignmentDeletionStatus", "AccountAssignmentDeletionRequestId",
     "AccountAssignmentDeletionStatus"},
    {"permission set provisioning", "ListPermissionSetProvisioningStatus", "PermissionSetsProvisioningStatus",
     "DescribePermissionSetProvisioningStatus", "ProvisionPermissionSetRequestId", "PermissionSetProvisioningStatus"},
};
}  // namespace

bool AwsTarget::WaitForInFlight(std::string* err) {
  lock_note_.clear();
  std::vector<std::string> waited, unknown;
  for (const AsyncKind& kind : kAsyncKinds) {
    json body = Instance();
    body["Filter"] = {{"Status", "IN_PROGRESS"}};
    std::vector<json> items;
    AwsError aerr;
    if (!client_.CallAll(Service::kSsoAdmin, kind.list_op, body, kind.list_key, &items, &aerr)) {
      unknown.push_back(kind.list_op);  // e.g. not allowed: the apply goes on as before
      continue;
    }
    for (const json& item : items) {
      json status;
      if (!PollStatus(kind.describe_op, kind.id_field, item.value("RequestId", ""), kind.status_field, &status,
                      &aerr)) {
        *err = "an earlier " + std::string(kind.noun) + " is still in progress: " + aerr.ToString();
        return false;
      }
    }
    if (!items.empty()) waited.push_back(std::to_string(items.size()) + " " + kind.noun + "(s)");
  }
  for (const std::string& w : waited) lock_note_ += (lock_note_.empty() ? "" : ", ") + w;
  if (!lock_note_.empty()) lock_note_ = "waited for " + lock_note_ + " an earlier apply left in progress";
  if (!unknown.empty() && waited.empty())
    lock_note_ = "could not check for operations an earlier apply left in progress (" + unknown.front() + " refused)";
  return true;
}

bool AwsTarget::ApplyAssignment(Action action, const Assignment& a, AwsError* err) {
  bool deleting = action == Action::kDelete;
  std::string principal_id, arn;
  if (!PrincipalId(a.principal_type, a.principal, &principal_id, err)) return deleting && IsNotFound(*err);
  if (!PermissionSetArn(a.permission_set, &arn, err)) return deleting && IsNotFound(*err);
  json body = Instance();
  body["TargetId"] = a.account_id;
  body["TargetType"] = "AWS_ACCOUNT";
  body["PermissionSetArn"] = arn;
  body["PrincipalType"] = a.principal_type == PrincipalType::kUser ? "USER" : "GROUP";
  body["PrincipalId"] = principal_id;
  std::string op = deleting ? "DeleteAccountAssignment" : "CreateAccountAssignment";
  std::string status_field = deleting ? "AccountAssignmentDeletionStatus" : "AccountAssignmentCreationStatus";
  // Only creations count against the 15-in-flight quota.
  if (!deleting) creations_.acquire();
  json out, status;
  bool ok = client_.Call(Service::kSsoAdmin, op, body, &out, err);
  if (ok) {
    status = out[status_field];
    if (status.value("Status", "") == "IN_PROGRESS") {
      // The shared poller: one List…Status scan resolves every waiting request.
      json initial = status;
      ok = (deleting ? deletion_poller_ : creation_poller_)->Wait(initial, &status, err);
    }
  }
  if (!deleting) creations_.release();
  if (!ok) return deleting && IsNotFound(*err);
  if (status.value("Status", "") == "FAILED") {
    std::string reason = status.value("FailureReason", "no reason given");
    *err = AwsError{"AssignmentFailed", reason, 0, 0, "sso-admin " + op};
    return false;
  }
  return true;
}

}  // namespace gatehouse::aws
