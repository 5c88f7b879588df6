#include "compiler/iam/policy_acceptance.h"

#include <optional>

#include "compiler/iam/policy_validator.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

bool IsContinuationByte(unsigned char c) { return (c & 0xC0) == 0x80; }

/// Whether UTF-8 text holds a code point above U+00FF (its lead byte is
/// 0xC4 or more: 0xC2 and 0xC3 encode U+0080–U+00FF).
bool HasWideCharacter(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0xC4) return true;
  }
  return false;
}

/// The path of the first key or string value of `value` holding a code point
/// above U+00FF.
std::optional<JsonPath> FindWideCharacter(const json& value, const JsonPath& at) {
  if (value.is_string()) {
    if (HasWideCharacter(value.get_ref<const std::string&>())) return at;
  } else if (value.is_object()) {
    for (auto it = value.begin(); it != value.end(); ++it) {
      JsonPath child = at;
      child.push_back(it.key());
      if (HasWideCharacter(it.key())) return child;
      if (auto found = FindWideCharacter(it.value(), child)) return found;
    }
  } else if (value.is_array()) {
    for (std::size_t i = 0; i < value.size(); ++i) {
      JsonPath child = at;
      child.push_back(i);
      if (auto found = FindWideCharacter(value[i], child)) return found;
    }
  }
  return std::nullopt;
}

PolicyIssue Refusal(std::string code, std::string message, std::string help, JsonPath path = {}) {
  return PolicyIssue{IssueSeverity::kError, std::move(code), std::move(message),
                     std::move(help),       std::move(path), true};
}

void CheckSize(std::string_view submitted, std::vector<PolicyIssue>* out) {
  std::size_t chars = 0, non_whitespace = 0;
  for (char c : submitted) {
    auto byte = static_cast<unsigned char>(c);
    if (IsContinuationByte(byte)) continue;
    ++chars;
    if (c != ' ' && c != '\t' && c != '\n' && c != '\r') ++non_whitespace;
  }
  const char* help = "move statements to a customer managed policy";
  if (chars > kInlinePolicyMaxChars) {
    out->push_back(Refusal("policy-too-long",
                           "policy is " + std::to_string(chars) + " characters long; the limit is " +
                               std::to_string(kInlinePolicyMaxChars),
                           help));
  } else if (non_whitespace > kInlinePolicyMaxNonWhitespace) {
    out->push_back(Refusal("policy-too-large",
                           "policy has " + std::to_string(non_whitespace) +
                               " non-whitespace characters; IAM's limit for an inline policy is " +
                               std::to_string(kInlinePolicyMaxNonWhitespace),
                           help));
  }
}

}  // namespace

std::vector<PolicyIssue> PolicyRefusals(const json& doc, const ActionCatalog& catalog) {
  std::vector<PolicyIssue> refused;
  for (PolicyIssue& issue : ValidatePolicy(doc, catalog)) {
    if (issue.refused) refused.push_back(std::move(issue));
  }
  return refused;
}

std::vector<PolicyIssue> InlinePolicyRefusals(const json& doc, std::string_view submitted,
                                              const ActionCatalog& catalog) {
  std::vector<PolicyIssue> refused = PolicyRefusals(doc, catalog);
  CheckSize(submitted, &refused);
  if (HasWideCharacter(submitted)) {
    JsonPath at = FindWideCharacter(doc, {}).value_or(JsonPath{});
    refused.push_back(Refusal("invalid-character",
                              "policy holds a character outside Latin-1 (U+0020 to U+00FF), which Identity Center "
                              "refuses",
                              "write the text in ASCII, e.g. replace typographic quotes and dashes", std::move(at)));
  }
  return refused;
}

std::string DescribeRefusal(const PolicyIssue& issue, std::string_view set_name) {
  std::string where = JsonPathToString(issue.path);
  std::string out = "inline policy of permission set '";
  out += set_name;
  out += "' would be refused by AWS: ";
  out += issue.message;
  if (!where.empty()) out += " (at " + where + ")";
  return out;
}

}  // namespace gatehouse::iam
