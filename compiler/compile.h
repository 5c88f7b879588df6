#pragma once
/// Validation (duplicates, references) and compilation of a Config into the
/// desired DirectoryState: managed policy names → ARNs, inline policies
/// canonical, assignments expanded to principal × permission set × account,
/// expired assignments dropped.

#include <map>
#include <string>
#include <vector>

#include "compiler/config.h"
#include "compiler/diagnostics.h"
#include "compiler/model.h"

namespace gatehouse {

struct CompileOptions {
  std::string today;  ///< YYYY-MM-DD; injected, never read from the clock here
  /// Accounts read from AWS Organizations when settings.discover_accounts is on;
  /// declared accounts refine them (name, environment, tags).
  const std::map<std::string, Account>* discovered_accounts = nullptr;
};

struct CompiledConfig {
  DirectoryState desired;
  /// For each desired assignment, the index of the first declaration that made it.
  std::map<Assignment, size_t> origin;
  /// Assignments dropped because their `expires` date has passed, with their declaration.
  std::vector<std::pair<Assignment, size_t>> expired;
  std::vector<std::string> notes;
};

/// Checks duplicates and references. Adds every problem to `diags`.
void ValidateConfig(const Config& config, Diagnostics* diags);

/// Validates, then compiles. Returns !diags->HasErrors().
bool CompileConfig(const Config& config, const CompileOptions& options, CompiledConfig* out,
                   Diagnostics* diags);

/// Whether an account matches a selector (explicit lists are resolved elsewhere).
bool SelectorMatches(const AccountSelector& s, const Account& a);
/// `*` within one level, `**` any depth (at the end: one level or more), `?` one character.
bool OuGlobMatch(const std::string& pattern, const std::string& ou);
/// `*` any run of characters, `?` one character.
bool GlobMatch(const std::string& pattern, const std::string& text);

}  // namespace gatehouse
