#pragma once
/// A problem found in an IAM policy document, located by its JSON path so the
/// caller can map it to the line of the YAML or JSON it came from.

#include <cstddef>
#include <string>
#include <variant>
#include <vector>

namespace gatehouse::iam {

/// One step into a JSON value: an object key or an array index.
using PathSegment = std::variant<std::string, std::size_t>;
/// From the document root, e.g. {"Statement", 2, "Action", 1}; empty = the root.
using JsonPath = std::vector<PathSegment>;

/// "Statement[2].Action[1]"; "" for the root.
std::string JsonPathToString(const JsonPath& path);

enum class IssueSeverity { kError, kWarning };

struct PolicyIssue {
  IssueSeverity severity = IssueSeverity::kError;
  std::string code;     ///< stable id, e.g. "unknown-action", "invalid-effect"
  std::string message;  ///< lowercase, no final period, names in backticks
  std::string help;     ///< optional fix ("did you mean `s3:GetObject`?")
  /// The smallest offending node; for a missing member, the object lacking it.
  JsonPath path;
  /// AWS refuses a document with this issue (Identity Center's
  /// PutInlinePolicyToPermissionSet fails); false for what AWS accepts but is
  /// unwise or can never match (unknown actions, style). Every refused issue
  /// is an error. See policy_acceptance.h.
  bool refused = false;
};

}  // namespace gatehouse::iam
