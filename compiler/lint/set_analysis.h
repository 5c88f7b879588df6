#pragma once
/// What a permission set's policies allow, computed once per set with the IAM
/// analyzer, and where in the YAML a given action comes from.

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/access.h"
#include "compiler/config.h"
#include "compiler/iam/effective_permissions.h"
#include "compiler/iam/policy_issue.h"
#include "compiler/model.h"
#include "compiler/policy_documents.h"

namespace gatehouse::lint {

struct SetAnalysis {
  const PermissionSetDecl* decl = nullptr;
  std::optional<nlohmann::json> inline_doc;  ///< the inline policy, when it parses
  /// The AWS managed policies the set names that the analyzer knows, with the span of their reference.
  std::vector<std::pair<const nlohmann::json*, SourceSpan>> managed;
  iam::EffectivePermissions effective;
  iam::PermissionSummary summary;
  /// Customer managed policies (or boundary) whose documents are not in the config
  /// (document_file), or managed policies the analyzer does not know.
  bool has_unknown_policies = false;
  /// The set meets a privilege-escalation pattern / an identity-center-escalation
  /// pattern: its holder can grant itself more, so it is as good as administrator access.
  bool escalates_privileges = false;
  bool escalates_identity_center = false;

  /// Whether the set's declaration says it is privileged or its policies make it admin.
  bool privileged() const { return decl->privileged || summary.admin_equivalent; }
  bool can_escalate() const { return escalates_privileges || escalates_identity_center; }
  /// The YAML place that grants `action`: the inline statement allowing it, else the
  /// managed policy entry, else the set's name.
  SourceSpan Locate(std::string_view action) const;
};

/// Analyses the set with the customer managed policy documents its declaration gives.
SetAnalysis AnalyzePermissionSet(const PermissionSetDecl& decl);

/// The span of the node at `path` below `root` (a policy document as written),
/// or of the deepest node the path reaches.
SourceSpan LocateJsonPath(const YamlNode& root, const iam::JsonPath& path);

/// "admin", "permissions-management", "write", "read-only", or "" when the set's
/// customer managed policies leave it unknown. For plans and the access report.
std::string ClassifyPermissionSet(const PermissionSet& ps);
/// The same, analysing the customer managed policies (and boundary) `customer` holds.
std::string ClassifyPermissionSet(const PermissionSet& ps, const CustomerPolicyDocuments& customer);

/// The set's class and its notable actions: those meeting a privilege-escalation,
/// identity-center-escalation or credentials-exposure pattern, and the audit-log
/// actions protect-audit-logs asks to deny. For a plan's escalations.
SetProfile ProfilePermissionSet(const PermissionSet& ps);
/// The same, analysing the customer managed policies (and boundary) `customer` holds.
SetProfile ProfilePermissionSet(const PermissionSet& ps, const CustomerPolicyDocuments& customer);

}  // namespace gatehouse::lint
