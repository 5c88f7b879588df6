#pragma once
/// Grammar and catalog checks of an IAM identity policy document (what AWS
/// would reject, plus actions and services that do not exist).

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/iam/action_catalog.h"
#include "compiler/iam/policy_issue.h"

namespace gatehouse::iam {

/// Every problem in `doc`, in document order. Errors are what IAM rejects
/// (PolicyIssue::refused; policy_acceptance.h selects them) or what can never
/// match (unknown service or action, an action pattern matching nothing, a
/// malformed ARN partition or condition key, a Bool value other than
/// true/false); warnings are legal but suspect (old Version, set operators on
/// single-valued keys, unknown service condition keys, type mismatches).
/// Checks: top-level and statement keys, Version, Id, Statement shape, Sid
/// charset and uniqueness, Effect, exactly one of Action/NotAction and of
/// Resource/NotResource, no Principal/NotPrincipal, action names, ARN shape,
/// condition operators (IfExists, ForAllValues:/ForAnyValue:) and values.
std::vector<PolicyIssue> ValidatePolicy(const nlohmann::json& doc, const ActionCatalog& catalog = BuiltinCatalog());

/// Where and why JSON text failed to parse (1-based line and column).
struct JsonTextError {
  std::size_t line = 0;
  std::size_t column = 0;
  std::string message;  ///< lowercase, e.g. "invalid JSON: unexpected end of input"
};

/// Parses a policy written as JSON text; false and *error on malformed JSON.
bool ParsePolicyJson(std::string_view text, nlohmann::json* out, JsonTextError* error);

/// The closest of `candidates` to `word` by case-insensitive edit distance, or
/// "" when none is close enough to be a plausible typo.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace gatehouse::iam
