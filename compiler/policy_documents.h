#pragma once
/// The documents of customer managed policies that a config gives (`document_file`
/// of `customer_managed_policies` and of a customer managed permissions boundary).
/// They only make the policies analysable (lint, who-can): Gatehouse never sends
/// them to AWS and never reads them from member accounts.

#include <map>

#include <nlohmann/json.hpp>

#include "compiler/config.h"
#include "compiler/model.h"

namespace gatehouse {

/// Parsed documents by policy (path and name). A policy missing here is unknown.
using CustomerPolicyDocuments = std::map<CustomerManagedPolicy, nlohmann::json>;

/// The documents one permission set's declaration gives.
CustomerPolicyDocuments CustomerPolicyDocumentsOf(const PermissionSetDecl& decl);

/// Every document the config gives, for any set (check.cc makes sure that two
/// documents given for the same policy agree).
CustomerPolicyDocuments CustomerPolicyDocumentsOf(const Config& config);

}  // namespace gatehouse
