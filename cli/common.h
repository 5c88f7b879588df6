#pragma once
/// What the subcommands share: the options every config-reading command takes,
/// exit codes, and printing an operation's diagnostics and problems.
/// Each subcommand (cmd_<name>.cc) parses flags into its options struct (owned
/// by main), calls its operation, picks one view, prints, and maps the exit code.

#include <CLI/CLI.hpp>

#include <functional>
#include <ostream>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "operations/access_filter.h"
#include "operations/config_check.h"
#include "operations/plan.h"
#include "operations/problem.h"
#include "operations/who_can.h"

namespace gatehouse::cli {

/// Hands a command's result, once its output is written, to the end of the
/// process: its memory (up to 0.7 GB at 50,000 users) is then released by the OS
/// at exit instead of by destructors, which took 40-100 ms after the last line
/// of output. The pointer stays reachable, so LeakSanitizer does not report it.
void KeepPointerUntilExit(const void* p);
template <typename T>
void KeepUntilExit(T&& result) {
  KeepPointerUntilExit(new std::decay_t<T>(std::forward<T>(result)));
}

/// Exit codes, in one place (PRODUCT.md §6).
enum ExitCode { kOk = 0, kError = 1, kChanges = 2 };

/// Options of every command that reads a config.
struct ConfigOptions {
  ConfigRequest request;
  bool no_color = false;
  bool color = false;  ///< resolved by Finalize: colour on stderr's terminal, unless turned off
};

/// Adds DIR, --target, --profile, --no-color to a subcommand.
void AddConfigOptions(CLI::App* cmd, ConfigOptions* options, bool with_target);
/// Adds the filters of `access` (--user, --account, --permission-set).
void AddAccessFilterOptions(CLI::App* cmd, AccessFilter* filter);
/// Resolves colour (terminal, --no-color, NO_COLOR) and today's date.
void Finalize(ConfigOptions* options);
/// Whether the plan text on stdout is coloured (colour on, and stdout a terminal).
bool StdoutColor(const ConfigOptions& options);

/// "error: <message>" and "help: <help>" on stderr.
void PrintProblem(const Problem& problem);
/// A config that failed to load: its diagnostics and the error count, on stderr.
void PrintConfigDiagnostics(const CheckedConfig& checked, bool color);
/// What planning added (warnings, errors) on stderr, then the failure, if any.
/// Returns whether the plan is ready.
bool ReportPlanning(const PlanResult& planning, bool color);
/// The failure of a planning step, after its diagnostics were shown.
void PrintPlanningFailure(const PlanResult& planning);
/// Prints why `access` or `who-can` failed at `stage`; the plan's diagnostics were already shown when it ran.
void PrintAccessStageFailure(AccessStage stage, const PlanResult& planning, const Problem& problem, bool color);

/// Writes `text` to `path` (or stdout when empty or "-"). False with a message on failure.
bool WriteOutput(const std::string& path, const std::string& text);
/// The same for an output written by `write` as it goes (too large to hold as one string).
bool WriteOutputWith(const std::string& path, const std::function<void(std::ostream&)>& write);

/// Per-command options, one struct each, owned by main (no mutable statics).
struct ValidateOptions {
  ConfigOptions config;
};
struct LintCommandOptions {
  ConfigOptions config;
  std::string format = "text", out, explain;
  long max_warnings = -1;
};
struct PlanOptions {
  ConfigOptions config;
  std::string out, format = "text";
  bool detailed_exitcode = false;
  ScopeRequest scope;  ///< --changed-from, --only
};
struct ApplyOptions {
  ConfigOptions config;
  std::string plan_path, audit_path;
  bool auto_approve = false;
  int parallelism = 16;
  long allow_deletes = -1;
};
struct DriftOptions {
  ConfigOptions config;
  std::string format = "text";
  std::vector<std::string> cloudtrail;  ///< --cloudtrail lookup|none|PATH, repeatable
  std::string since = "30d", as_of;
};
struct ImportOptions {
  ConfigOptions config;
  std::string out;
  bool force = false;
};
struct AccessOptions {
  ConfigOptions config;
  bool live = false;
  AccessFilter filter;
  std::string format = "text", out;
};
struct ReviewOptions {
  ConfigOptions config;
  AccessFilter filter;
  std::string format = "text", out, since = "90d", as_of;
  std::vector<std::string> cloudtrail;
};
struct WhoCanOptions {
  ConfigOptions config;
  bool live = false;
  WhoCanQuery query;
  std::string resource, environment, ou, format = "text", out;
};
struct SchemaOptions {
  std::string kind = "config";
};

/// Every command's options.
struct Options {
  ValidateOptions validate;
  LintCommandOptions lint;
  PlanOptions plan;
  ApplyOptions apply;
  DriftOptions drift;
  ImportOptions import;
  AccessOptions access;
  WhoCanOptions who_can;
  ReviewOptions review;
  SchemaOptions schema;
};

// Subcommand registrations: each stores its exit code in *rc when it runs.
void RegisterValidate(CLI::App& app, ValidateOptions* options, int* rc);
void RegisterLint(CLI::App& app, LintCommandOptions* options, int* rc);
void RegisterPlan(CLI::App& app, PlanOptions* options, int* rc);
void RegisterApply(CLI::App& app, ApplyOptions* options, int* rc);
void RegisterDrift(CLI::App& app, DriftOptions* options, int* rc);
void RegisterImport(CLI::App& app, ImportOptions* options, int* rc);
void RegisterAccess(CLI::App& app, AccessOptions* options, int* rc);
void RegisterWhoCan(CLI::App& app, WhoCanOptions* options, int* rc);
void RegisterReview(CLI::App& app, ReviewOptions* options, int* rc);
void RegisterSchema(CLI::App& app, SchemaOptions* options, int* rc);

}  // namespace gatehouse::cli
