#pragma once
/// What each built-in lint rule is: id, default level, rationale, fix, the
/// parameters it takes, its exception target, examples. `--explain`, SARIF's
/// rule metadata and docs/rules.md are all drawn from this one table.

#include <string>
#include <string_view>
#include <vector>

namespace gatehouse::lint {

struct RuleParam {
  std::string name;
  std::string type;           ///< "duration", "list of strings", ...
  std::string default_value;  ///< as YAML
  std::string description;
};

struct RuleInfo {
  std::string id;                 ///< "no-user-assignments"
  std::string name;               ///< SARIF rule name, CamelCase: "NoUserAssignments"
  std::string default_level;      ///< error | warning | note
  std::string rationale;          ///< one line: why the rule exists
  std::string help;               ///< one line: how to fix a finding
  std::string target;             ///< the exception target format
  std::string security_severity;  ///< SARIF "security-severity", "0.1".."10.0"
  std::vector<std::string> tags;
  std::vector<RuleParam> params;
  std::string bad_example;   ///< YAML
  std::string good_example;  ///< YAML
};

/// Every built-in rule, in the order of PRODUCT.md §3.
const std::vector<RuleInfo>& LintRules();
/// The rule with this id, or nullptr.
const RuleInfo* FindLintRule(std::string_view id);
/// The pseudo-rule config errors are reported under in machine formats.
const RuleInfo& ConfigErrorRule();

/// `gatehouse lint --explain RULE`: rationale, level, parameters, target, examples.
std::string ExplainRule(const RuleInfo& rule);

}  // namespace gatehouse::lint
