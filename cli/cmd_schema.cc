#include <iostream>

#include "cli/common.h"
#include "runtime/schemas.h"

namespace gatehouse::cli {

void RegisterSchema(CLI::App& app, SchemaOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("schema", "print the JSON Schema of the config language (or of the plan file)");
  cmd->add_option("--kind", o->kind, "config (default) or plan")->check(CLI::IsMember({"config", "plan"}));
  cmd->callback([o, rc]() {
    std::cout << (o->kind == "plan" ? PlanSchemaJson() : ConfigSchemaJson());
    *rc = kOk;
  });
}

}  // namespace gatehouse::cli
