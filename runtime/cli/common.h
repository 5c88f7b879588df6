#pragma once
/// What the subcommands share: options, exit codes, colour, printing diagnostics.

#include <CLI/CLI.hpp>

#include <string>

#include "runtime/pipeline.h"

namespace gatehouse::cli {

/// Exit codes, in one place (PRODUCT.md §6).
enum ExitCode { kOk = 0, kError = 1, kChanges = 2 };

/// Options common to the commands that read a config.
struct Common {
  RunOptions run;
  bool no_color = false;
  TargetFactory aws_factory;
};

/// Adds DIR, --target, --profile, --no-color to a subcommand.
void AddConfigOptions(CLI::App* cmd, Common* common, bool with_target);
/// Resolves colour (terminal, --no-color, NO_COLOR) and today's date.
void Finalize(Common* common, bool stdout_is_machine_format);

/// Prints diagnostics to stderr. Returns the number of errors.
size_t PrintDiagnostics(const LoadedConfig& loaded, bool color);

/// Loads the config and prints its diagnostics; false on errors.
bool Load(Common& common, LoadedConfig* loaded);

/// Opens the target (unless *target is already open) and computes a plan; prints errors; false on failure.
bool Plan(Common& common, LoadedConfig* loaded, std::unique_ptr<Target>* target, PlanInputs* inputs);

/// Writes `text` to `path` (or stdout when empty). False with a message on failure.
bool WriteOutput(const std::string& path, const std::string& text);

// Subcommand registrations: each returns nothing and stores its exit code in *rc.
void RegisterValidate(CLI::App& app, Common* common, int* rc);
void RegisterPlan(CLI::App& app, Common* common, int* rc);
void RegisterApply(CLI::App& app, Common* common, int* rc);
void RegisterDrift(CLI::App& app, Common* common, int* rc);
void RegisterImport(CLI::App& app, Common* common, int* rc);
void RegisterAccess(CLI::App& app, Common* common, int* rc);
void RegisterSchema(CLI::App& app, Common* common, int* rc);
void RegisterLint(CLI::App& app, Common* common, int* rc);

}  // namespace gatehouse::cli
