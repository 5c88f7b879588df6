#pragma once
/// How plans and access reports classify a permission set: the IAM analyzer's
/// verdict ("admin", "permissions-management", "write" or "read-only").

#include <functional>
#include <string>

#include "compiler/model.h"
#include "compiler/policy_documents.h"

namespace gatehouse {

/// A classifier that analyses each distinct set of policies once (a plan
/// classifies a set per access change), with the customer managed policy
/// documents the config gives. Safe to call from several threads.
std::function<std::string(const PermissionSet&)> DefaultClassifier(const CustomerPolicyDocuments& documents = {});

}  // namespace gatehouse
