#include "runtime/cli/common.h"

#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <iostream>

namespace gatehouse::cli {

void AddConfigOptions(CLI::App* cmd, Common* c, bool with_target) {
  cmd->add_option("DIR", c->run.dir, "config directory (default: the current directory)");
  if (with_target) {
    cmd->add_option("--target", c->run.target_override,
                    "use a local directory file instead of the config's target: local:PATH");
    cmd->add_option("--profile", c->run.profile, "AWS profile for the aws target");
  }
  cmd->add_flag("--no-color", c->no_color, "turn colour off (also NO_COLOR)");
}

void Finalize(Common* c, bool) {
  const char* nc = std::getenv("NO_COLOR");
  c->run.color = !c->no_color && !(nc && *nc) && ::isatty(STDERR_FILENO);
  if (c->run.today.empty()) c->run.today = Today();
}

size_t PrintDiagnostics(const LoadedConfig& loaded, bool color) {
  std::cerr << RenderDiagnostics(loaded.diags, loaded.sources, color);
  size_t errors = loaded.diags.ErrorCount();
  if (errors) std::cerr << errors << (errors == 1 ? " error" : " errors") << " found; nothing was changed\n";
  return errors;
}

bool Load(Common& c, LoadedConfig* loaded) {
  bool ok = LoadConfigDir(c.run, loaded);
  if (!ok) PrintDiagnostics(*loaded, c.run.color);
  return ok;
}

bool Plan(Common& c, LoadedConfig* loaded, std::unique_ptr<Target>* target, PlanInputs* inputs) {
  std::string err;
  // Reuse a target the caller opened (apply holds its lock); replacing it would release the lock.
  if (!*target) *target = OpenTarget(loaded->target, c.aws_factory, &err);
  if (!*target) {
    std::cerr << "error: " << err << "\n";
    return false;
  }
  size_t before = loaded->diags.items().size();
  bool ok = ComputePlan(c.run, loaded, **target, inputs, &err);
  // Print what the plan step added (warnings, errors) — the load step printed nothing on success.
  Diagnostics added;
  for (size_t i = before; i < loaded->diags.items().size(); ++i) added.Add(loaded->diags.items()[i]);
  std::cerr << RenderDiagnostics(added, loaded->sources, c.run.color);
  if (!ok) {
    if (!err.empty())
      std::cerr << "error: " << err << "\n";
    else
      std::cerr << added.ErrorCount() << " error(s) found; nothing was changed\n";
    return false;
  }
  return true;
}

bool WriteOutput(const std::string& path, const std::string& text) {
  if (path.empty() || path == "-") {
    std::cout << text;
    std::cout.flush();
    return true;
  }
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
  if (!out) {
    std::cerr << "error: cannot write " << path << "\n";
    return false;
  }
  return true;
}

}  // namespace gatehouse::cli
