// AwsTarget::Apply: one plan operation → its API calls. Idempotent so a
// rerun after a crash converges: creating what exists adopts it, deleting
// what is gone succeeds.
#include <algorithm>

#include "runtime/aws/aws_target.h"

namespace gatehouse::aws {

using nlohmann::json;

namespace {

json TagList(const Tags& tags) {
  json list = json::array();
  for (const auto& [k, v] : tags) list.push_back({{"Key", k}, {"Value", v}});
  return list;
}

json CustomerPolicyRef(const CustomerManagedPolicy& p) {
  return json{{"Name", p.name}, {"Path", p.path.empty() ? "/" : p.path}};
}

json BoundaryJson(const PermissionsBoundary& b) {
  if (b.customer_managed_policy) {
    return json{{"CustomerManagedPolicyReference", CustomerPolicyRef(*b.customer_managed_policy)}};
  }
  return json{{"ManagedPolicyArn", b.managed_policy_arn}};
}

bool IsNotFound(const AwsError& e) { return e.Is("ResourceNotFoundException"); }

template <typename T>
const T* As(const std::optional<Object>& o) {
  return o ? std::get_if<T>(&*o) : nullptr;
}

}  // namespace

OpResult AwsTarget::Apply(const Operation& op) {
  AwsError err;
  bool ok = true;
  std::vector<Action> steps;
  if (op.action == Action::kReplace) {
    steps = {Action::kDelete, Action::kCreate};
  } else {
    steps = {op.action};
  }
  for (Action step : steps) {
    const std::optional<Object>& obj = step == Action::kDelete ? op.before : op.after;
    if (!obj) {
      return OpResult{false, std::string("operation `") + op.name + "` lacks its " +
                                 (step == Action::kDelete ? "before" : "after") + " value"};
    }
    switch (op.kind) {
      case ObjectKind::kUser: ok = ApplyUser(op, step, &*obj, &err); break;
      case ObjectKind::kGroup: ok = ApplyGroup(op, step, &*obj, &err); break;
      case ObjectKind::kMembership: ok = ApplyMembership(step, std::get<Membership>(*obj), &err); break;
      case ObjectKind::kPermissionSet:
        if (step == Action::kCreate) {
          ok = CreatePermissionSet(std::get<PermissionSet>(*obj), &err);
        } else if (step == Action::kDelete) {
          ok = DeletePermissionSet(std::get<PermissionSet>(*obj), &err);
        } else {
          const auto* before = As<PermissionSet>(op.before);
          if (before == nullptr) return OpResult{false, "update of `" + op.name + "` lacks its before value"};
          ok = UpdatePermissionSet(*before, std::get<PermissionSet>(*obj), &err);
        }
        break;
      case ObjectKind::kAssignment: ok = ApplyAssignment(step, std::get<Assignment>(*obj), &err); break;
    }
    if (!ok) break;
  }
  ReportProgress();
  if (!ok) return OpResult{false, err.ToString()};
  return OpResult{};
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
    long ceiling = std::min<long>(10'000, 200L << std::min(attempt, 6));
    env_.sleep(std::chrono::milliseconds(static_cast<long>(env_.random() * ceiling)));
  }
}

bool AwsTarget::ApplyUser(const Operation& op, Action action, const Object* obj, AwsError* err) {
  const User& u = std::get<User>(*obj);
  if (action == Action::kCreate) {
    json body = Store();
    body["UserName"] = u.user_name;
    body["DisplayName"] = u.display_name;
    body["Name"] = {{"GivenName", u.given_name}, {"FamilyName", u.family_name}};
    if (!u.email.empty()) body["Emails"] = json::array({{{"Value", u.email}, {"Primary", true}}});
    return CreateOrAdopt(
        [&](AwsError* e) {
          json out;
          if (!client_.Call(Service::kIdentityStore, "CreateUser", body, &out, e, CallOptions{false})) {
            return false;
          }
          Remember(&user_ids_, u.user_name, out.value("UserId", ""));
          return true;
        },
        [&](bool* found, AwsError* e) {
          Forget(&user_ids_, u.user_name);
          std::string id;
          if (!UserId(u.user_name, &id, e)) return IsNotFound(*e) ? (*found = false, true) : false;
          *found = true;
          return true;
        },
        err);
  }
  std::string id;
  if (!UserId(u.user_name, &id, err)) return action == Action::kDelete && IsNotFound(*err);
  if (action == Action::kDelete) {
    json body = Store();
    body["UserId"] = id;
    json out;
    bool ok = client_.Call(Service::kIdentityStore, "DeleteUser", body, &out, err) || IsNotFound(*err);
    if (ok) Forget(&user_ids_, u.user_name);
    return ok;
  }
  const User* before = As<User>(op.before);
  json ops = json::array();
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
  if (ops.empty()) return true;
  json body = Store();
  body["UserId"] = id;
  body["Operations"] = ops;
  json out;
  return client_.Call(Service::kIdentityStore, "UpdateUser", body, &out, err);
}

bool AwsTarget::ApplyGroup(const Operation& op, Action action, const Object* obj, AwsError* err) {
  (void)op;
  const Group& g = std::get<Group>(*obj);
  if (action == Action::kCreate) {
    json body = Store();
    body["DisplayName"] = g.name;
    if (!g.description.empty()) body["Description"] = g.description;
    return CreateOrAdopt(
        [&](AwsError* e) {
          json out;
          if (!client_.Call(Service::kIdentityStore, "CreateGroup", body, &out, e, CallOptions{false})) {
            return false;
          }
          Remember(&group_ids_, g.name, out.value("GroupId", ""));
          return true;
        },
        [&](bool* found, AwsError* e) {
          Forget(&group_ids_, g.name);
          std::string id;
          if (!GroupId(g.name, &id, e)) return IsNotFound(*e) ? (*found = false, true) : false;
          *found = true;
          return true;
        },
        err);
  }
  std::string id;
  if (!GroupId(g.name, &id, err)) return action == Action::kDelete && IsNotFound(*err);
  json body = Store();
  body["GroupId"] = id;
  json out;
  if (action == Action::kDelete) {
    bool ok = client_.Call(Service::kIdentityStore, "DeleteGroup", body, &out, err) || IsNotFound(*err);
    if (ok) Forget(&group_ids_, g.name);
    return ok;
  }
  json operation = {{"AttributePath", "description"}};
  if (!g.description.empty()) operation["AttributeValue"] = g.description;
  body["Operations"] = json::array({operation});
  return client_.Call(Service::kIdentityStore, "UpdateGroup", body, &out, err);
}

bool AwsTarget::ApplyMembership(Action action, const Membership& m, AwsError* err) {
  std::string group_id, user_id;
  bool deleting = action == Action::kDelete;
  if (!GroupId(m.group, &group_id, err)) return deleting && IsNotFound(*err);
  if (!UserId(m.user, &user_id, err)) return deleting && IsNotFound(*err);
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
  body["SessionDuration"] = ps.session_duration.empty() ? "PT1H" : ps.session_duration;
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
  Remember(&set_arns_, ps.name, arn);
  // The new set has its attributes and tags; add the policies. A set adopted
  // after a crash may hold some of them already, which the edits tolerate;
  // it may also be provisioned, so it gets the provisioning check too.
  PermissionSet fresh;
  fresh.name = ps.name;
  fresh.session_duration = body["SessionDuration"];
  fresh.description = ps.description;
  fresh.relay_state = ps.relay_state;
  fresh.tags = ps.tags;
  bool changed = false;
  if (!EditPermissionSet(arn, fresh, ps, &changed, err)) return false;
  return !adopted || ProvisionIfNeeded(arn, false, err);
}

bool AwsTarget::UpdatePermissionSet(const PermissionSet& before, const PermissionSet& after, AwsError* err) {
  std::string arn;
  if (!PermissionSetArn(after.name, &arn, err)) return false;
  bool changed = false;
  if (!EditPermissionSet(arn, before, after, &changed, err)) return false;
  // One provisioning after all edits; also when the set was already out of date.
  if (!changed && before.outdated_accounts.empty()) return true;
  return ProvisionIfNeeded(arn, !before.outdated_accounts.empty(), err);
}

bool AwsTarget::EditPermissionSet(const std::string& arn, const PermissionSet& before, const PermissionSet& after,
                                  bool* policy_changed_out, AwsError* err) {
  bool& policy_changed = *policy_changed_out;
  json key = Instance();
  key["PermissionSetArn"] = arn;
  json out;
  // Attaching what is attached (Conflict) or detaching what is gone (NotFound)
  // counts as done, so an interrupted update can be rerun.
  auto call = [&](const std::string& operation, const json& body, bool tolerate_conflict) {
    policy_changed = true;
    if (client_.Call(Service::kSsoAdmin, operation, body, &out, err, CallOptions{!tolerate_conflict})) {
      return true;
    }
    if (IsNotFound(*err) && operation.rfind("Detach", 0) == 0) return true;
    if (IsNotFound(*err) && operation.rfind("Delete", 0) == 0) return true;
    if (tolerate_conflict && err->Is("ConflictException")) {
      // "already attached" (a rerun) is done; anything else is a write still
      // propagating: retry the normal way.
      if (err->message.find("already") != std::string::npos) return true;
      return client_.Call(Service::kSsoAdmin, operation, body, &out, err);
    }
    return false;
  };
  for (const auto& p : before.managed_policies) {
    if (after.managed_policies.count(p) != 0) continue;
    json body = key;
    body["ManagedPolicyArn"] = p;
    if (!call("DetachManagedPolicyFromPermissionSet", body, false)) return false;
  }
  for (const auto& p : before.customer_managed_policies) {
    if (after.customer_managed_policies.count(p) != 0) continue;
    json body = key;
    body["CustomerManagedPolicyReference"] = CustomerPolicyRef(p);
    if (!call("DetachCustomerManagedPolicyReferenceFromPermissionSet", body, false)) return false;
  }
  for (const auto& p : after.managed_policies) {
    if (before.managed_policies.count(p) != 0) continue;
    json body = key;
    body["ManagedPolicyArn"] = p;
    if (!call("AttachManagedPolicyToPermissionSet", body, true)) return false;
  }
  for (const auto& p : after.customer_managed_policies) {
    if (before.customer_managed_policies.count(p) != 0) continue;
    json body = key;
    body["CustomerManagedPolicyReference"] = CustomerPolicyRef(p);
    if (!call("AttachCustomerManagedPolicyReferenceToPermissionSet", body, true)) return false;
  }
  if (before.inline_policy != after.inline_policy) {
    if (after.inline_policy.empty()) {
      if (!call("DeleteInlinePolicyFromPermissionSet", key, false)) return false;
    } else {
      json body = key;
      body["InlinePolicy"] = after.inline_policy;
      if (!call("PutInlinePolicyToPermissionSet", body, false)) return false;
    }
  }
  if (before.permissions_boundary != after.permissions_boundary) {
    if (!after.permissions_boundary) {
      if (!call("DeletePermissionsBoundaryFromPermissionSet", key, false)) return false;
    } else {
      json body = key;
      body["PermissionsBoundary"] = BoundaryJson(*after.permissions_boundary);
      if (!call("PutPermissionsBoundaryToPermissionSet", body, false)) return false;
    }
  }
  if (before.description != after.description || before.session_duration != after.session_duration ||
      before.relay_state != after.relay_state) {
    // UpdatePermissionSet clears what it is not sent: always send all three.
    json body = key;
    if (!after.description.empty()) body["Description"] = after.description;
    body["SessionDuration"] = after.session_duration.empty() ? "PT1H" : after.session_duration;
    if (!after.relay_state.empty()) body["RelayState"] = after.relay_state;
    policy_changed = true;
    if (!client_.Call(Service::kSsoAdmin, "UpdatePermissionSet", body, &out, err)) return false;
  }
  Tags old_tags = before.tags, new_tags = after.tags;
  json untag = json::array();
  for (const auto& [k, v] : old_tags) {
    if (new_tags.count(k) == 0 && !(k == "managed-by" && v == "gatehouse")) untag.push_back(k);
  }
  if (!untag.empty()) {
    json body = Instance();
    body["ResourceArn"] = arn;
    body["TagKeys"] = untag;
    if (!client_.Call(Service::kSsoAdmin, "UntagResource", body, &out, err)) return false;
  }
  Tags changed;
  for (const auto& [k, v] : new_tags) {
    auto it = old_tags.find(k);
    if (it == old_tags.end() || it->second != v) changed[k] = v;
  }
  if (!changed.empty()) {
    json body = Instance();
    body["ResourceArn"] = arn;
    body["Tags"] = TagList(changed);
    if (!client_.Call(Service::kSsoAdmin, "TagResource", body, &out, err)) return false;
  }
  return true;
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
  if (ok) Forget(&set_arns_, ps.name);
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

bool AwsTarget::ApplyAssignment(Action action, const Assignment& a, AwsError* err) {
  bool deleting = action == Action::kDelete;
  std::string principal_id, arn;
  bool found = a.principal_type == PrincipalType::kUser ? UserId(a.principal, &principal_id, err)
                                                        : GroupId(a.principal, &principal_id, err);
  if (!found) return deleting && IsNotFound(*err);
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
