#pragma once
/// The least-privilege linter (PRODUCT.md §3): built-in rules over a declared
/// and compiled config, levels and parameters from `policy.rules`, waivers from
/// `policy.exceptions`. Pure: "today" is injected, nothing is read from disk.

#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/config.h"
#include "compiler/diagnostics.h"

namespace gatehouse::lint {

struct LintOptions {
  std::string today;  ///< YYYY-MM-DD, for expired exceptions; never read from the clock here
  /// The config checks already report what AWS refuses in inline policies
  /// (iam::InlinePolicyRefusals), so policy-grammar reports only what AWS
  /// accepts but is unwise, and each problem is reported once.
  bool policy_refusals_in_validate = false;
};

/// One finding of one rule. `diag.code` is the rule id.
struct Finding {
  Diagnostic diag;
  /// What an exception names to waive it (rules.md: "exception targets"),
  /// e.g. "carol/AdministratorAccess/payments-prod" or a permission set name.
  std::string target;
  bool suppressed = false;         ///< waived by an exception
  std::string suppression_reason;  ///< the exception's reason
};

struct LintResult {
  /// Sorted by file, line, column; waived findings stay, marked suppressed.
  std::vector<Finding> findings;
  /// Problems in `policy.rules` parameters: config errors, reported like validate's.
  Diagnostics config_errors;

  /// Findings of `severity` that are not waived.
  size_t Count(Severity severity) const;
  size_t SuppressedCount() const;
};

/// Runs every enabled rule. `compiled` must come from CompileConfig(config).
LintResult RunLint(const Config& config, const CompiledConfig& compiled, const LintOptions& options);

/// The findings that are not waived, as diagnostics (for `plan --format markdown`).
std::vector<Diagnostic> LintConfig(const Config& config, const CompiledConfig& compiled, const LintOptions& options);

}  // namespace gatehouse::lint
