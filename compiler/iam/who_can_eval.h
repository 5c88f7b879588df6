#pragma once
/// Whether one permission set's policies allow one action (on one resource, or on
/// any): the per-set step of `gatehouse who-can` (WHO-CAN.md). Evaluated once per
/// set and query, then joined with effective access (compiler/who_can.h).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/iam/action_catalog.h"

namespace gatehouse::iam {

/// One policy document of a permission set, with the name who-can reports it by.
struct NamedPolicy {
  std::string name;  ///< managed policy ARN, "inline", or a customer policy's "/path/name"
  const nlohmann::json* document = nullptr;
};

/// Ordered: a weaker decision compares less.
enum class Decision { kDeny, kConditional, kAllow };
/// "deny", "conditional", "allow".
const char* DecisionName(Decision d);

/// An Allow statement of the set's identity policies that matches the query.
struct GrantReason {
  std::string policy;                  ///< NamedPolicy::name
  std::string statement;               ///< the Sid, else the 0-based index in the policy
  std::vector<std::string> resources;  ///< the statement's Resource (or NotResource) patterns
  bool not_resource = false;           ///< `resources` are NotResource: every resource but these
  bool conditional = false;            ///< the statement has a Condition
};

struct ActionQuery {
  std::string action;                   ///< canonical "service:Action" (ResolveAction)
  std::optional<std::string> resource;  ///< an ARN; none = any resource
};

struct ActionEvaluation {
  Decision decision = Decision::kDeny;
  /// The matching Allow statements of the identity policies, in policy and statement
  /// order; empty when denied.
  std::vector<GrantReason> because;
  /// An unconditional Deny matched (in the policies or the boundary): no other policy
  /// can change the answer.
  bool explicitly_denied = false;
  /// Some identity policy allows the action (the boundary aside).
  bool identity_allows = false;
};

/// WHO-CAN.md's evaluation: an Allow statement matches when its Action matches
/// (wildcards, case-insensitive) or its NotAction does not, and — with a resource —
/// its Resource matches the ARN (wildcards, case-sensitive) or its NotResource does
/// not; without one any resource counts. An unconditional matching Deny wins (without
/// a resource only a Deny whose Resource holds "*" matches); a conditional one makes
/// the result conditional. An Allow with a Condition is conditional unless another
/// matching Allow has none. With a boundary the action must also be allowed by it
/// (same rules; a conditional boundary makes the result conditional). Malformed
/// statements match nothing.
ActionEvaluation EvaluateAction(const std::vector<NamedPolicy>& policies, const NamedPolicy* boundary,
                                const ActionQuery& query);

/// Resolves an action as typed ("CloudTrail:stoplogging") to its canonical name.
/// False with *error (and *help "did you mean …" when there is a close one) when the
/// text is not `service:Action`, has wildcards, or the catalog does not know it.
bool ResolveAction(std::string_view text, std::string* canonical, std::string* error, std::string* help,
                   const ActionCatalog& catalog = BuiltinCatalog());

/// IAM resource match: `*` any run (also empty), `?` one character; case-sensitive.
bool ArnMatch(std::string_view pattern, std::string_view arn);

}  // namespace gatehouse::iam
