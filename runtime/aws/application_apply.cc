// AwsTarget's applications: assignment_required and application assignments.
// Applications themselves are never created or deleted (SAML applications are
// made in the console; planning refuses a declared one that is missing).
#include "runtime/aws/aws_target.h"

namespace gatehouse::aws {

using nlohmann::json;

bool AwsTarget::ApplicationArn(const std::string& name, std::string* arn, AwsError* err) {
  if (auto known = app_arns_.Find(name)) {
    *arn = *known;
    return true;
  }
  json body = Instance();
  body["MaxResults"] = 50;
  std::vector<json> apps;
  if (!client_.CallAll(Service::kSsoAdmin, "ListApplications", body, "Applications", &apps, err)) return false;
  for (const auto& a : apps) {
    std::string candidate = a.value("ApplicationArn", "");
    if (a.value("Name", "") == name || candidate == name) {
      app_arns_.Remember(name, candidate);
      *arn = candidate;
      return true;
    }
  }
  *err = AwsError{"ResourceNotFoundException", "application `" + name + "` does not exist", 400, 0,
                  "sso-admin ListApplications"};
  return false;
}

bool AwsTarget::ApplyApplication(const Operation& op, const Application& app, AwsError* err) {
  if (op.action != Action::kUpdate) {
    *err =
        AwsError{"Unsupported",
                 "application `" + app.name + "` cannot be " + (op.action == Action::kCreate ? "created" : "deleted") +
                     " through the API; use the IAM Identity Center console",
                 0, 0, "sso-admin"};
    return false;
  }
  std::string arn;
  if (!ApplicationArn(app.name, &arn, err)) return false;
  json out;
  return client_.Call(Service::kSsoAdmin, "PutApplicationAssignmentConfiguration",
                      json{{"ApplicationArn", arn}, {"AssignmentRequired", app.assignment_required.value_or(true)}},
                      &out, err);
}

bool AwsTarget::ApplyApplicationAssignment(Action action, const ApplicationAssignment& a, AwsError* err) {
  bool deleting = action == Action::kDelete;
  std::string principal_id, arn;
  if (!PrincipalId(a.principal_type, a.principal, &principal_id, err))
    return deleting && err->Is("ResourceNotFoundException");
  if (!ApplicationArn(a.application, &arn, err)) return deleting && err->Is("ResourceNotFoundException");
  json key = {{"ApplicationArn", arn},
              {"PrincipalId", principal_id},
              {"PrincipalType", a.principal_type == PrincipalType::kUser ? "USER" : "GROUP"}};
  json out;
  if (deleting)  // a missing assignment answers ResourceNotFoundException: already gone
    return client_.Call(Service::kSsoAdmin, "DeleteApplicationAssignment", key, &out, err) ||
           err->Is("ResourceNotFoundException");
  // A duplicate answers ConflictException (tests/fake_aws/README.md): adopt it
  // when DescribeApplicationAssignment finds it, else it is still propagating.
  return CreateOrAdopt(
      [&](AwsError* e) {
        return client_.Call(Service::kSsoAdmin, "CreateApplicationAssignment", key, &out, e, CallOptions{false});
      },
      [&](bool* found, AwsError* e) {
        json described;
        if (client_.Call(Service::kSsoAdmin, "DescribeApplicationAssignment", key, &described, e)) return *found = true;
        if (!e->Is("ResourceNotFoundException")) return false;
        *found = false;
        return true;
      },
      err);
}

}  // namespace gatehouse::aws
