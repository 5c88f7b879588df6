#include "runtime/aws/permission_set_edit.h"

namespace gatehouse::aws {

using nlohmann::json;

namespace {

json BoundaryJson(const PermissionsBoundary& b) {
  if (b.customer_managed_policy) {
    return json{{"CustomerManagedPolicyReference", CustomerPolicyRef(*b.customer_managed_policy)}};
  }
  return json{{"ManagedPolicyArn", b.managed_policy_arn}};
}

/// The items of `from` that `other` lacks.
template <typename Set>
Set Missing(const Set& from, const Set& other) {
  Set out;
  for (const auto& x : from)
    if (other.count(x) == 0) out.insert(x);
  return out;
}

}  // namespace

json CustomerPolicyRef(const CustomerManagedPolicy& p) {
  return json{{"Name", p.name}, {"Path", p.path.empty() ? "/" : p.path}};
}

json TagList(const Tags& tags) {
  json list = json::array();
  for (const auto& [k, v] : tags) list.push_back({{"Key", k}, {"Value", v}});
  return list;
}

PermissionSetEdit::PermissionSetEdit(JsonClient* client, json instance, const std::string& arn)
    : client_(client), instance_(std::move(instance)), key_(instance_) {
  key_["PermissionSetArn"] = arn;
}

bool PermissionSetEdit::Run(const PermissionSet& before, const PermissionSet& after, AwsError* err) {
  return EditPolicies(before, after, err) && EditInlineAndBoundary(before, after, err) &&
         EditAttributes(before, after, err) && EditTags(before.tags, after.tags, err);
}

bool PermissionSetEdit::Call(const std::string& operation, const json& body, bool tolerate_conflict, AwsError* err) {
  needs_provisioning_ = true;
  json out;
  if (client_->Call(Service::kSsoAdmin, operation, body, &out, err, CallOptions{!tolerate_conflict})) return true;
  bool not_found = err->Is("ResourceNotFoundException");
  if (not_found && operation.rfind("Detach", 0) == 0) return true;
  if (not_found && operation.rfind("Delete", 0) == 0) return true;
  if (tolerate_conflict && err->Is("ConflictException")) {
    // "already attached" (a rerun) is done; anything else is a write still
    // propagating: retry the normal way.
    if (err->message.find("already") != std::string::npos) return true;
    return client_->Call(Service::kSsoAdmin, operation, body, &out, err);
  }
  return false;
}

bool PermissionSetEdit::EditPolicies(const PermissionSet& before, const PermissionSet& after, AwsError* err) {
  auto managed = [&](const std::string& operation, const std::set<std::string>& arns, bool attach) {
    for (const auto& p : arns) {
      json body = key_;
      body["ManagedPolicyArn"] = p;
      if (!Call(operation, body, attach, err)) return false;
    }
    return true;
  };
  auto customer = [&](const std::string& operation, const std::set<CustomerManagedPolicy>& refs, bool attach) {
    for (const auto& p : refs) {
      json body = key_;
      body["CustomerManagedPolicyReference"] = CustomerPolicyRef(p);
      if (!Call(operation, body, attach, err)) return false;
    }
    return true;
  };
  // Detach first, then attach, so the set never holds more than either side allows.
  return managed("DetachManagedPolicyFromPermissionSet", Missing(before.managed_policies, after.managed_policies),
                 false) &&
         customer("DetachCustomerManagedPolicyReferenceFromPermissionSet",
                  Missing(before.customer_managed_policies, after.customer_managed_policies), false) &&
         managed("AttachManagedPolicyToPermissionSet", Missing(after.managed_policies, before.managed_policies),
                 true) &&
         customer("AttachCustomerManagedPolicyReferenceToPermissionSet",
                  Missing(after.customer_managed_policies, before.customer_managed_policies), true);
}

bool PermissionSetEdit::EditInlineAndBoundary(const PermissionSet& before, const PermissionSet& after, AwsError* err) {
  if (before.inline_policy != after.inline_policy) {
    if (after.inline_policy.empty()) {
      if (!Call("DeleteInlinePolicyFromPermissionSet", key_, false, err)) return false;
    } else {
      json body = key_;
      body["InlinePolicy"] = after.inline_policy;
      if (!Call("PutInlinePolicyToPermissionSet", body, false, err)) return false;
    }
  }
  if (before.permissions_boundary == after.permissions_boundary) return true;
  if (!after.permissions_boundary) return Call("DeletePermissionsBoundaryFromPermissionSet", key_, false, err);
  json body = key_;
  body["PermissionsBoundary"] = BoundaryJson(*after.permissions_boundary);
  return Call("PutPermissionsBoundaryToPermissionSet", body, false, err);
}

bool PermissionSetEdit::EditAttributes(const PermissionSet& before, const PermissionSet& after, AwsError* err) {
  if (before.description == after.description && before.session_duration == after.session_duration &&
      before.relay_state == after.relay_state) {
    return true;
  }
  // UpdatePermissionSet clears what it is not sent: always send all three.
  json body = key_;
  if (!after.description.empty()) body["Description"] = after.description;
  body["SessionDuration"] = after.session_duration.empty() ? kDefaultSessionDuration : after.session_duration;
  if (!after.relay_state.empty()) body["RelayState"] = after.relay_state;
  needs_provisioning_ = true;
  json out;
  return client_->Call(Service::kSsoAdmin, "UpdatePermissionSet", body, &out, err);
}

bool PermissionSetEdit::EditTags(const Tags& before, const Tags& after, AwsError* err) {
  json untag = json::array();
  for (const auto& [k, v] : before) {
    // Our own managed-by tag stays: it is not part of the model.
    if (after.count(k) == 0 && !(k == "managed-by" && v == "gatehouse")) untag.push_back(k);
  }
  json out;
  json body = instance_;
  body["ResourceArn"] = key_["PermissionSetArn"];
  if (!untag.empty()) {
    json req = body;
    req["TagKeys"] = untag;
    if (!client_->Call(Service::kSsoAdmin, "UntagResource", req, &out, err)) return false;
  }
  Tags changed;
  for (const auto& [k, v] : after) {
    auto it = before.find(k);
    if (it == before.end() || it->second != v) changed[k] = v;
  }
  if (changed.empty()) return true;
  body["Tags"] = TagList(changed);
  return client_->Call(Service::kSsoAdmin, "TagResource", body, &out, err);
}

}  // namespace gatehouse::aws
