#include "cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

#include "runtime/clock.h"
#include "views/diagnostics_view.h"

namespace gatehouse::cli {

// Global, of external linkage, and a plain array (no destructor): what it holds
// is reachable until the process ends, for the compiler and for LeakSanitizer.
const void* kept_results[8];

void KeepPointerUntilExit(const void* p) {
  static size_t n = 0;
  if (n < 8) kept_results[n++] = p;
}

void AddConfigOptions(CLI::App* cmd, ConfigOptions* o, bool with_target) {
  cmd->add_option("DIR", o->request.dir, "config directory (default: the current directory)");
  if (with_target) {
    cmd->add_option("--target", o->request.target_override,
                    "use a local directory file instead of the config's target: local:PATH");
    cmd->add_option("--profile", o->request.profile, "AWS profile for the aws target");
  }
  cmd->add_flag("--no-color", o->no_color, "turn colour off (also NO_COLOR)");
}

void AddAccessFilterOptions(CLI::App* cmd, AccessFilter* filter) {
  cmd->add_option("--user", filter->user, "only this user (case-insensitive)");
  cmd->add_option("--account", filter->account, "only this account (name or id)");
  cmd->add_option("--permission-set", filter->permission_set, "only this permission set");
}

void Finalize(ConfigOptions* o) {
  const char* nc = std::getenv("NO_COLOR");
  o->color = !o->no_color && !(nc && *nc) && ::isatty(STDERR_FILENO);
  if (o->request.today.empty()) o->request.today = Today();
}

bool StdoutColor(const ConfigOptions& o) { return o.color && ::isatty(STDOUT_FILENO); }

void PrintProblem(const Problem& problem) {
  std::cerr << "error: " << problem.message << "\n";
  if (!problem.help.empty()) std::cerr << "help: " << problem.help << "\n";
}

void PrintConfigDiagnostics(const CheckedConfig& checked, bool color) {
  std::cerr << RenderConfigDiagnostics(checked.diags, checked.sources, color);
}

void PrintPlanningFailure(const PlanResult& planning) {
  if (planning.stage == PlanStage::kFailed)
    PrintProblem(planning.problem);
  else if (planning.stage == PlanStage::kPlanInvalid)
    std::cerr << PlanErrorsLine(planning.plan_diags.ErrorCount());
}

void PrintAccessStageFailure(AccessStage stage, const PlanResult& planning, const Problem& problem, bool color) {
  switch (stage) {
    case AccessStage::kConfigInvalid:
    case AccessStage::kCompileInvalid: PrintConfigDiagnostics(planning.checked, color); break;
    case AccessStage::kPlanFailed: PrintPlanningFailure(planning); break;
    case AccessStage::kFailed: PrintProblem(problem); break;
    case AccessStage::kDone: break;
  }
}

bool ReportPlanning(const PlanResult& planning, bool color) {
  if (!planning.checked.ok()) {
    PrintConfigDiagnostics(planning.checked, color);
    return false;
  }
  std::cerr << RenderDiagnostics(planning.plan_diags, planning.checked.sources, color);
  PrintPlanningFailure(planning);
  return planning.ok();
}

bool WriteOutputWith(const std::string& path, const std::function<void(std::ostream&)>& write) {
  if (path.empty() || path == "-") {
    write(std::cout);
    std::cout.flush();
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  write(out);
  out.flush();
  if (!out) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

bool WriteOutput(const std::string& path, const std::string& text) {
  return WriteOutputWith(path, [&](std::ostream& o) { o << text; });
}

}  // namespace gatehouse::cli
