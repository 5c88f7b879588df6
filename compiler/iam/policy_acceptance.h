#pragma once
/// What AWS refuses in a permission set's inline policy: the problems that
/// make Identity Center's PutInlinePolicyToPermissionSet fail. `validate` and
/// `plan` stop on them (exit 1, at the YAML line) and the local target refuses
/// them at apply, as Identity Center does; `lint`'s policy-grammar rule keeps
/// what AWS accepts but is unwise (unknown actions, an old Version...).
///
/// Refused: a document that is not an object; an unknown top-level or
/// statement key; a missing Version or one other than "2012-10-17" and
/// "2008-10-17"; no Statement, or one that is not an object or a list of
/// objects; Effect other than exactly "Allow" or "Deny"; neither or both of
/// Action/NotAction, Resource/NotResource; an empty Action or Resource list;
/// an action not of the form `service:action` (or `*`); a resource that is not
/// `*` or an ARN; Principal/NotPrincipal (an identity policy has none); a Sid
/// that is not letters and digits, or used twice; a malformed Condition (not a
/// map, unknown operator, `NullIfExists`, values that are not scalars); and, for
/// the text submitted, more than 32,768 characters, more than 10,240
/// non-whitespace characters (IAM's inline policy limit) or a character
/// outside U+0009, U+000A, U+000D, U+0020–U+00FF (the API's pattern).
///
/// A permissions boundary has no document in the config (it names an AWS
/// managed policy or a customer managed one by name), so only inline_policy
/// and inline_policy_file need this check.
///
/// How the config checks call it (compiler/config.h: PermissionSetDecl d has
/// `std::optional<PolicySource> inline_policy` for both `inline_policy` and
/// `inline_policy_file`; PolicySource::json is the canonical compact JSON sent
/// to AWS and PolicySource::node the tree as written, with spans in the YAML
/// file or in the JSON policy file):
///
///   #include "compiler/iam/json_path_locate.h"
///   #include "compiler/iam/policy_acceptance.h"
///   if (d.inline_policy) {
///     nlohmann::json doc = nlohmann::json::parse(d.inline_policy->json, nullptr, false);
///     for (const iam::PolicyIssue& issue : iam::InlinePolicyRefusals(doc, d.inline_policy->json))
///       diags->Error(iam::LocateJsonPath(d.inline_policy->node, issue.path),
///                    iam::DescribeRefusal(issue, d.ps.name), issue.help);
///   }
///
/// (The config loader checks the two size limits itself today; drop those
/// checks, or call PolicyRefusals(doc) for the grammar alone.) Then set
/// lint::LintOptions::policy_refusals_in_validate so `lint` does not report
/// them twice.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/iam/action_catalog.h"
#include "compiler/iam/policy_issue.h"

namespace gatehouse::iam {

/// PutInlinePolicyToPermissionSet's limit on the policy text, in characters.
inline constexpr std::size_t kInlinePolicyMaxChars = 32768;
/// IAM's limit on an inline policy's non-whitespace characters.
inline constexpr std::size_t kInlinePolicyMaxNonWhitespace = 10240;

/// The grammar problems of an identity policy document that AWS refuses
/// (ValidatePolicy's issues with `refused`), in document order. Every AWS
/// managed policy passes.
std::vector<PolicyIssue> PolicyRefusals(const nlohmann::json& doc, const ActionCatalog& catalog = BuiltinCatalog());

/// PolicyRefusals plus what Identity Center refuses in the text it is sent
/// (`submitted`, e.g. PolicySource::json): its length, non-whitespace length
/// and character set. Size problems point at the document's root (path {}),
/// a bad character at the string holding it.
std::vector<PolicyIssue> InlinePolicyRefusals(const nlohmann::json& doc, std::string_view submitted,
                                              const ActionCatalog& catalog = BuiltinCatalog());

/// "inline policy of permission set 'NAME' would be refused by AWS: MESSAGE",
/// with the element's JSON path when it has one — a diagnostic's message.
std::string DescribeRefusal(const PolicyIssue& issue, std::string_view set_name);

}  // namespace gatehouse::iam
