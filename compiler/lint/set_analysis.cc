#include "compiler/lint/set_analysis.h"

#include "compiler/iam/json_path_locate.h"
#include "compiler/iam/managed_policies.h"
#include "compiler/iam/risky_actions.h"
#include "compiler/lint/lint_params.h"

#include <set>

namespace gatehouse::lint {

SourceSpan LocateJsonPath(const YamlNode& root, const iam::JsonPath& path) { return iam::LocateJsonPath(root, path); }

SourceSpan SetAnalysis::Locate(std::string_view action) const {
  if (inline_doc) {
    std::vector<iam::JsonPath> paths = iam::StatementsAllowing(*inline_doc, action);
    if (!paths.empty()) return LocateJsonPath(decl->inline_policy->node, paths.front());
  }
  for (const auto& [doc, span] : managed)
    if (!iam::StatementsAllowing(*doc, action).empty()) return span;
  return decl->name_span;
}

namespace {

struct Documents {
  std::optional<nlohmann::json> inline_doc;
  std::vector<const nlohmann::json*> managed;
  std::vector<const nlohmann::json*> customer;  ///< documents the config gives
  const nlohmann::json* boundary = nullptr;
  bool unknown = false;
};

/// The set's documents; a policy the analyzer cannot read (a customer managed policy
/// without a document, a managed ARN it does not know) makes it unknown, never guessed.
Documents Collect(const PermissionSet& ps, const CustomerPolicyDocuments& customer) {
  Documents d;
  if (!ps.inline_policy.empty()) {
    nlohmann::json j = nlohmann::json::parse(ps.inline_policy, nullptr, false);
    if (!j.is_discarded()) d.inline_doc = std::move(j);
  }
  for (const std::string& arn : ps.managed_policies) {
    if (const nlohmann::json* doc = iam::FindManagedPolicy(arn))
      d.managed.push_back(doc);
    else
      d.unknown = true;
  }
  for (const CustomerManagedPolicy& policy : ps.customer_managed_policies) {
    auto it = customer.find(policy);
    if (it != customer.end())
      d.customer.push_back(&it->second);
    else
      d.unknown = true;
  }
  if (ps.permissions_boundary) {
    const PermissionsBoundary& b = *ps.permissions_boundary;
    if (!b.managed_policy_arn.empty()) {
      d.boundary = iam::FindManagedPolicy(b.managed_policy_arn);
    } else if (b.customer_managed_policy) {
      auto it = customer.find(*b.customer_managed_policy);
      d.boundary = it != customer.end() ? &it->second : nullptr;
    }
    // A boundary without a document is left out: it can only take permissions away,
    // so what the set's policies allow stays an over-approximation.
  }
  return d;
}

iam::EffectivePermissions Effective(const Documents& d) {
  std::vector<const nlohmann::json*> docs = d.managed;
  docs.insert(docs.end(), d.customer.begin(), d.customer.end());
  if (d.inline_doc) docs.push_back(&*d.inline_doc);
  return iam::ComputeEffectivePermissions(docs, d.boundary);
}

}  // namespace

SetAnalysis AnalyzePermissionSet(const PermissionSetDecl& decl) {
  SetAnalysis a;
  a.decl = &decl;
  CustomerPolicyDocuments customer = CustomerPolicyDocumentsOf(decl);
  Documents d = Collect(decl.ps, customer);
  a.effective = Effective(d);
  a.summary = iam::Summarize(a.effective);
  a.has_unknown_policies = d.unknown;
  a.escalates_privileges = !iam::FindPrivilegeEscalations(a.effective).empty();
  a.escalates_identity_center = !iam::FindIdentityCenterEscalations(a.effective).empty();
  a.inline_doc = std::move(d.inline_doc);
  for (const auto& ref : decl.managed_policy_refs)
    if (const nlohmann::json* doc = iam::FindManagedPolicy(ref.value)) a.managed.push_back({doc, ref.span});
  return a;
}

namespace {

std::string Classify(const iam::PermissionSummary& s, bool unknown) {
  if (s.admin_equivalent) return "admin";
  if (s.has_permissions_management) return "permissions-management";
  if (s.has_write) return "write";
  return unknown ? "" : "read-only";
}

std::vector<std::string> NotableActions(const iam::EffectivePermissions& effective) {
  std::set<std::string> actions;
  for (auto category : {iam::kPrivilegeEscalation, iam::kIdentityCenterEscalation, iam::kCredentialsExposure})
    for (const iam::RiskMatch& m : iam::BuiltinRiskCatalog().Find(effective, category))
      for (std::string& a : m.AllActions()) actions.insert(std::move(a));
  const iam::ActionCatalog& catalog = iam::BuiltinCatalog();
  for (const std::string& action : DefaultAuditActions()) {
    std::optional<iam::ActionId> id = catalog.Find(action);
    if (id && effective.allowed.Contains(*id)) actions.insert(catalog.action(*id).FullName());
  }
  return {actions.begin(), actions.end()};
}

}  // namespace

std::string ClassifyPermissionSet(const PermissionSet& ps, const CustomerPolicyDocuments& customer) {
  Documents d = Collect(ps, customer);
  return Classify(iam::Summarize(Effective(d)), d.unknown);
}

std::string ClassifyPermissionSet(const PermissionSet& ps) { return ClassifyPermissionSet(ps, {}); }

SetProfile ProfilePermissionSet(const PermissionSet& ps, const CustomerPolicyDocuments& customer) {
  Documents d = Collect(ps, customer);
  iam::EffectivePermissions effective = Effective(d);
  return SetProfile{Classify(iam::Summarize(effective), d.unknown), NotableActions(effective)};
}

SetProfile ProfilePermissionSet(const PermissionSet& ps) { return ProfilePermissionSet(ps, {}); }

}  // namespace gatehouse::lint
