#pragma once
/// AWS managed policies (name, ARN, default-version document), compiled into
/// the binary from third_party/iam-data/managed-policies.json.

#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace gatehouse::iam {

struct ManagedPolicy {
  std::string name;       ///< "ViewOnlyAccess"
  std::string path_name;  ///< path and name after "policy/": "job-function/ViewOnlyAccess"
  std::string arn;        ///< "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess"
  nlohmann::json document;
};

/// The policy named by `name_or_arn`: a bare name ("AdministratorAccess",
/// "ViewOnlyAccess"), path and name ("job-function/ViewOnlyAccess") or the full
/// ARN in any partition ("arn:aws:iam::aws:policy/job-function/ViewOnlyAccess").
/// A path or ARN must name the policy's real path. Case-sensitive, like IAM.
/// nullptr when there is no such policy.
const ManagedPolicy* FindManagedPolicyInfo(std::string_view name_or_arn);
/// The document of FindManagedPolicyInfo(name_or_arn), or nullptr.
const nlohmann::json* FindManagedPolicy(std::string_view name_or_arn);
/// True when `arn` is exactly the ARN of an AWS managed policy (any partition).
bool ManagedPolicyArnExists(std::string_view arn);
/// Every managed policy's bare name, sorted (for "did you mean").
std::vector<std::string> ManagedPolicyNames();
/// Every managed policy, sorted by name.
const std::vector<ManagedPolicy>& AllManagedPolicies();

}  // namespace gatehouse::iam
