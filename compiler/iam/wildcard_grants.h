#pragma once
/// Allow statements that grant by wildcard rather than by name, for the
/// `wildcard-actions` rule: `Action: "*"`, `service:*` on `Resource: "*"`, and
/// `NotAction` (or `NotResource`) with Allow.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/iam/policy_issue.h"

namespace gatehouse::iam {

enum class WildcardKind {
  kAllActions,        ///< Action "*" (any resource)
  kServiceWildcard,   ///< "service:*" on Resource "*"
  kNotActionAllow,    ///< Allow with NotAction: grants everything not listed
  kNotResourceAllow,  ///< Allow with NotResource: every resource not listed
};

/// "all-actions", "service-wildcard", "notaction-allow", "notresource-allow".
const char* WildcardKindName(WildcardKind kind);

struct WildcardGrant {
  WildcardKind kind;
  /// The offending node: the action string ({"Statement", 0, "Action", 1}) or
  /// the NotAction / NotResource member.
  JsonPath path;
  std::string pattern;       ///< "*", "s3:*"; "" for the Not* kinds
  bool conditional = false;  ///< the statement has a Condition
};

/// Every wildcard grant of the Allow statements of `doc`, in document order.
/// Malformed statements are skipped (ValidatePolicy reports them).
std::vector<WildcardGrant> FindWildcardGrants(const nlohmann::json& doc);

}  // namespace gatehouse::iam
