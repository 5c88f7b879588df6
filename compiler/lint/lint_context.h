#pragma once
/// Internal to gh_lint: what every rule reads (the config, the compiled state,
/// parameters, per-set analyses) and how it reports a finding.

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <unordered_set>
#include <vector>

#include "compiler/lint/lint.h"
#include "compiler/lint/lint_params.h"
#include "compiler/lint/set_analysis.h"

namespace gatehouse::lint {

class LintContext {
 public:
  LintContext(const Config& config, const CompiledConfig& compiled, const LintOptions& options,
              const LintParams& params, std::vector<Finding>* out);

  const Config& config() const { return config_; }
  const CompiledConfig& compiled() const { return compiled_; }
  const LintOptions& options() const { return options_; }
  const LintParams& params() const { return params_; }

  /// False when the rule's level is `off`.
  bool Enabled(const std::string& rule) const;
  /// Adds a finding at the rule's level; returns it, or nullptr when the rule is off
  /// or the same finding was already reported.
  Finding* Report(const std::string& rule, const SourceSpan& at, std::string message, std::string target,
                  std::string help = "", std::vector<std::string> notes = {});

  /// The declaration of a permission set, or nullptr.
  const PermissionSetDecl* SetDecl(const std::string& name) const;
  /// The analysis of a declared permission set (computed once), or nullptr.
  const SetAnalysis* Analysis(const std::string& set_name);
  /// Analyses every declared set up front, on one thread per core.
  void AnalyzeAll();
  /// A context for one rule group on its own thread, after AnalyzeAll: it reads
  /// this context's analyses and indexes (built here first, then only read) and
  /// reports into `out`. The groups report disjoint rules, so each dedupes alone.
  LintContext Fork(std::vector<Finding>* out);
  /// The account's name, or its id when it has none.
  std::string AccountLabel(const std::string& account_id) const;
  /// Whether the account's environment is one of `environments` (case-insensitive).
  bool IsProduction(const std::string& account_id, const std::vector<std::string>& environments) const;
  /// "principal/permission_set/account" — the exception target of an assignment.
  std::string AssignmentTarget(const Assignment& a) const;
  /// Where the declaration that made `a` names its principal.
  SourceSpan PrincipalSpan(const Assignment& a) const;
  SourceSpan PrincipalSpan(const ApplicationAssignment& a) const;
  /// Whether `a` is to a group listed in policy.break_glass_groups.
  bool IsBreakGlass(const Assignment& a) const;
  /// Whether some user or group other than a break-glass group holds the set.
  bool HeldBeyondBreakGlass(const std::string& set_name) const;
  /// The ids of the accounts the set is assigned on (each once).
  const std::set<std::string>& AccountsOfSet(const std::string& set_name) const;
  /// Whether a live exception waives `rule`'s findings on `target`.
  bool Waived(const std::string& rule, const std::string& target) const;
  /// Administrator access, or the power to take it through an escalation no
  /// exception accepts: what only break-glass groups may hold.
  bool AdminOrEscalation(const SetAnalysis& set) const;

 private:
  const Config& config_;
  const CompiledConfig& compiled_;
  const LintOptions& options_;
  const LintParams& params_;
  std::vector<Finding>* out_;
  const LintContext* parent_ = nullptr;  ///< set in a Fork: whose analyses and indexes to read
  std::map<std::string, const PermissionSetDecl*> sets_;
  std::map<std::string, std::unique_ptr<SetAnalysis>> analyses_;
  // What Report has added (rule, target, message, file, line): a repeat is dropped in O(1).
  std::unordered_set<std::string> reported_;
  // The sets some non-break-glass principal holds, computed on first use (one pass).
  mutable std::optional<std::set<std::string>> held_beyond_break_glass_;
  // Account ids by set name, computed on first use (one pass over the assignments).
  mutable std::optional<std::map<std::string, std::set<std::string>>> accounts_of_set_;
};

// The rules, by concern (rules_*.cc).
void CheckAssignmentRules(LintContext& ctx);
void CheckPermissionSetRules(LintContext& ctx);
void CheckPolicyGrammar(LintContext& ctx);
void CheckSeparationOfDuties(LintContext& ctx);
void CheckHygieneRules(LintContext& ctx);

}  // namespace gatehouse::lint
