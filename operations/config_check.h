#pragma once
/// Check once: one pass loads and validates a config directory and returns every
/// diagnostic of the config; compiling adds only what compiling finds, through
/// the one merge point below. Every operation starts here.

#include <string>

#include "compiler/compile.h"
#include "compiler/config.h"
#include "runtime/target.h"

namespace gatehouse {

/// What every command that reads a config is asked.
struct ConfigRequest {
  std::string dir = ".";
  std::string target_override;  ///< --target local:PATH
  std::string profile;          ///< --profile
  std::string today;            ///< YYYY-MM-DD (GATEHOUSE_NOW or the clock)
};

/// A loaded and validated config: the declaration, its sources, its digest,
/// every diagnostic of loading and validating, and the resolved target.
struct CheckedConfig {
  Config config;
  SourceFiles sources;
  Diagnostics diags;   ///< sorted; errors mean the config cannot be compiled
  std::string digest;  ///< sha256 over every source file read
  TargetSpec target;   ///< resolved target (config + overrides)
  bool ok() const { return !diags.HasErrors(); }
};

/// Parses and validates `req.dir` and resolves its target.
CheckedConfig CheckConfig(const ConfigRequest& req);

/// Which compile diagnostics a command reports beside the checked config's.
enum class CompileFindings { kAll, kErrorsOnly, kNonErrors };

/// The one merge point of compile diagnostics: appends to `into` those of
/// `compiled` that `keep` selects and that `into` does not already hold.
// TODO(merge): once CompileConfig no longer re-runs ValidateConfig (helper C),
// the duplicate check below is dead and goes.
void MergeCompileDiagnostics(const Diagnostics& compiled, CompileFindings keep, Diagnostics* into);

/// Compiles a checked config for `today` (without discovered accounts); the
/// compile diagnostics go to `diags`. False on compile errors.
bool CompileChecked(const CheckedConfig& checked, const std::string& today, CompiledConfig* out, Diagnostics* diags);

}  // namespace gatehouse
