#pragma once
/// The pipeline every command shares: load and compile a config directory,
/// open its target, read the live directory, and plan. Commands stay thin.

#include <functional>
#include <memory>
#include <string>

#include "compiler/compile.h"
#include "compiler/config.h"
#include "compiler/plan.h"
#include "runtime/target.h"

namespace gatehouse {

/// Options every command that reads a config takes.
struct RunOptions {
  std::string dir = ".";
  std::string target_override;  ///< --target local:PATH
  std::string profile;          ///< --profile
  std::string today;            ///< YYYY-MM-DD (GATEHOUSE_NOW or the clock)
  bool color = false;
};

/// A loaded config: the declaration, its sources, its digest and diagnostics.
struct LoadedConfig {
  Config config;
  SourceFiles sources;
  Diagnostics diags;
  std::string digest;  ///< sha256 over every source file read
  TargetSpec target;   ///< resolved target (config + overrides)
};

/// Makes the target named by a spec. The CLI registers the AWS factory when built with it.
using TargetFactory = std::function<std::unique_ptr<Target>(const TargetSpec&, std::string* err)>;

/// Parses and validates `opt.dir`. Returns false when the config has errors
/// (they are in loaded->diags).
bool LoadConfigDir(const RunOptions& opt, LoadedConfig* loaded);

/// The target for a loaded config; local targets are made here, others (aws, and
/// any target with users_and_groups.scim) by `aws_factory`.
std::unique_ptr<Target> OpenTarget(const TargetSpec& spec, const TargetFactory& aws_factory, std::string* err);

/// Everything a plan is computed from.
struct PlanInputs {
  DirectoryState live;
  CompiledConfig compiled;
  Plan plan;
};

/// Reads the live directory, compiles against it (discovered accounts, today),
/// diffs and links the plan. Errors go to loaded->diags or `err`.
bool ComputePlan(const RunOptions& opt, LoadedConfig* loaded, Target& target, PlanInputs* out, std::string* err);

/// Today's date (UTC) as YYYY-MM-DD, or GATEHOUSE_NOW when set (tests pin the clock).
std::string Today();

/// The classifier lint gives plans and access reports (nullptr without the IAM data).
std::function<std::string(const PermissionSet&)> DefaultClassifier();

}  // namespace gatehouse
