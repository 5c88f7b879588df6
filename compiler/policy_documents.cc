#include "compiler/policy_documents.h"

namespace gatehouse {

namespace {

void Add(const CustomerManagedPolicy& policy, const PolicySource& source, CustomerPolicyDocuments* out) {
  nlohmann::json doc = nlohmann::json::parse(source.json, nullptr, false);
  if (!doc.is_discarded()) out->emplace(policy, std::move(doc));
}

void AddDecl(const PermissionSetDecl& decl, CustomerPolicyDocuments* out) {
  for (const auto& [policy, source] : decl.customer_policy_documents) Add(policy, source, out);
  const auto& boundary = decl.ps.permissions_boundary;
  if (decl.boundary_document && boundary && boundary->customer_managed_policy)
    Add(*boundary->customer_managed_policy, *decl.boundary_document, out);
}

}  // namespace

CustomerPolicyDocuments CustomerPolicyDocumentsOf(const PermissionSetDecl& decl) {
  CustomerPolicyDocuments out;
  AddDecl(decl, &out);
  return out;
}

CustomerPolicyDocuments CustomerPolicyDocumentsOf(const Config& config) {
  CustomerPolicyDocuments out;
  for (const auto& decl : config.permission_sets) AddDecl(decl, &out);
  return out;
}

}  // namespace gatehouse
