#pragma once
/// The calls that turn one permission set's policies, attributes and tags
/// from `before` into `after`. Attaching what is attached (Conflict) or
/// detaching what is gone (NotFound) counts as done, so an interrupted update
/// can be rerun.

#include <string>

#include <nlohmann/json.hpp>

#include "compiler/model.h"
#include "runtime/aws/json_client.h"

namespace gatehouse::aws {

class PermissionSetEdit {
 public:
  /// `instance` is {"InstanceArn": ...}; `arn` the set's ARN.
  PermissionSetEdit(JsonClient* client, nlohmann::json instance, const std::string& arn);

  /// Runs every edit; false with `err` at the first failure.
  bool Run(const PermissionSet& before, const PermissionSet& after, AwsError* err);
  /// Whether an edit needs a provisioning before accounts see it.
  bool needs_provisioning() const { return needs_provisioning_; }

 private:
  /// One sso-admin call of an edit that accounts see only after provisioning.
  bool Call(const std::string& operation, const nlohmann::json& body, bool tolerate_conflict, AwsError* err);
  bool EditPolicies(const PermissionSet& before, const PermissionSet& after, AwsError* err);
  bool EditInlineAndBoundary(const PermissionSet& before, const PermissionSet& after, AwsError* err);
  bool EditAttributes(const PermissionSet& before, const PermissionSet& after, AwsError* err);
  bool EditTags(const Tags& before, const Tags& after, AwsError* err);

  JsonClient* client_;
  nlohmann::json instance_;
  nlohmann::json key_;  ///< instance + PermissionSetArn
  bool needs_provisioning_ = false;
};

/// {"Name", "Path"} of a customer managed policy reference ("/" when no path).
nlohmann::json CustomerPolicyRef(const CustomerManagedPolicy& p);
/// [{"Key", "Value"}, ...].
nlohmann::json TagList(const Tags& tags);

}  // namespace gatehouse::aws
