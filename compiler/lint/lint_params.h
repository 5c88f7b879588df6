#pragma once
/// Internal to gh_lint: levels and parameters of `policy.rules`, checked.

#include <map>
#include <string>
#include <vector>

#include "compiler/config.h"
#include "compiler/diagnostics.h"

namespace gatehouse::lint {

struct DutyPair {
  bool groups = true;  ///< groups: [A, B]; false: permission_sets: [X, Y]
  std::string first, second;
  SourceSpan span;
};

struct LintParams {
  std::map<std::string, Severity> levels;  ///< every enabled rule's level
  long session_max = 8 * 3600;
  long privileged_session_max = 3600;
  std::vector<std::string> separation_production = {"production", "prod"};
  std::vector<std::string> audit_production = {"production", "prod"};
  std::vector<std::string> audit_actions;
  std::vector<DutyPair> duty_pairs;
};

/// The actions protect-audit-logs requires a Deny for by default.
const std::vector<std::string>& DefaultAuditActions();

/// Reads policy.rules into `out` (defaults for what is not set). Bad parameters
/// are config errors at their line in `errors`; their rule keeps its defaults.
void ReadLintParams(const Config& config, LintParams* out, Diagnostics* errors);

}  // namespace gatehouse::lint
