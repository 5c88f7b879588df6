#include "compiler/lint/set_analysis.h"

#include "compiler/iam/json_path_locate.h"
#include "compiler/iam/managed_policies.h"
#include "compiler/iam/risky_actions.h"

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
  const nlohmann::json* boundary = nullptr;
  bool unknown = false;
};

Documents Collect(const PermissionSet& ps) {
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
  if (!ps.customer_managed_policies.empty()) d.unknown = true;
  if (ps.permissions_boundary) {
    if (!ps.permissions_boundary->managed_policy_arn.empty())
      d.boundary = iam::FindManagedPolicy(ps.permissions_boundary->managed_policy_arn);
  }
  return d;
}

iam::EffectivePermissions Effective(const Documents& d) {
  std::vector<const nlohmann::json*> docs = d.managed;
  if (d.inline_doc) docs.push_back(&*d.inline_doc);
  return iam::ComputeEffectivePermissions(docs, d.boundary);
}

}  // namespace

SetAnalysis AnalyzePermissionSet(const PermissionSetDecl& decl) {
  SetAnalysis a;
  a.decl = &decl;
  Documents d = Collect(decl.ps);
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

std::string ClassifyPermissionSet(const PermissionSet& ps) {
  Documents d = Collect(ps);
  iam::PermissionSummary s = iam::Summarize(Effective(d));
  if (s.admin_equivalent) return "admin";
  if (s.has_permissions_management) return "permissions-management";
  if (s.has_write) return "write";
  return d.unknown ? "" : "read-only";
}

}  // namespace gatehouse::lint
