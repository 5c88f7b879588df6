#include <iostream>

#include "runtime/cli/common.h"
#include "runtime/schemas.h"

namespace gatehouse::cli {

void RegisterSchema(CLI::App& app, Common*, int* rc) {
  auto* cmd = app.add_subcommand("schema", "print the JSON Schema of the config language (or of the plan file)");
  static std::string which = "config";
  cmd->add_option("--kind", which, "config (default) or plan")->check(CLI::IsMember({"config", "plan"}));
  cmd->callback([rc]() {
    std::cout << (which == "plan" ? PlanSchemaJson() : ConfigSchemaJson());
    *rc = kOk;
  });
}

}  // namespace gatehouse::cli
