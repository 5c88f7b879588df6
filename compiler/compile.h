#pragma once
/// Compilation of a checked Config (check.h) into the desired DirectoryState:
/// managed policy names → ARNs, inline policies canonical, assignments expanded
/// to principal × permission set × account, expired assignments dropped.

#include <map>
#include <string>
#include <vector>

#include "compiler/config.h"
#include "compiler/diagnostics.h"
#include "compiler/model.h"
#include "compiler/selector.h"

namespace gatehouse {

struct CompileOptions {
  std::string today;  ///< YYYY-MM-DD; injected, never read from the clock here
  /// Accounts read from AWS Organizations when settings.discover_accounts is on;
  /// declared accounts refine them (name, environment, tags).
  const std::map<std::string, Account>* discovered_accounts = nullptr;
  /// The live applications (plan): an application declared by arn takes the
  /// name it has there. Without them it is named by its arn.
  const std::map<std::string, Application>* live_applications = nullptr;
};

struct CompiledConfig {
  DirectoryState desired;
  /// For each desired assignment, the index of the first declaration that made it.
  std::map<Assignment, size_t> origin;
  /// Assignments dropped because their `expires` date has passed, with their declaration.
  std::vector<std::pair<Assignment, size_t>> expired;
  /// The same for application assignments.
  std::map<ApplicationAssignment, size_t> application_origin;
  std::vector<std::pair<ApplicationAssignment, size_t>> expired_applications;
  std::vector<std::string> notes;
};

/// Compiles a config that passed CheckConfig (it does not validate again).
/// Reports only what compile alone can know: selectors that match no account,
/// and listed accounts missing from the discovered organization.
/// Returns !diags->HasErrors().
bool CompileConfig(const Config& config, const CompileOptions& options, CompiledConfig* out, Diagnostics* diags);

}  // namespace gatehouse
