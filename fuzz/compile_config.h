#pragma once
/// The path every config fuzzer drives: check (load, parse, validate), render the
/// diagnostics against the sources (line/column arithmetic on hostile text), and
/// when the config is valid compile it and diff it against an empty directory.

#include <map>
#include <string>

#include "compiler/check.h"
#include "compiler/compile.h"
#include "compiler/diagnostics.h"
#include "compiler/diff.h"
#include "compiler/memory_reader.h"
#include "compiler/plan_json.h"
#include "views/diagnostics_view.h"

namespace gatehouse::fuzz {

inline void CheckAndCompile(std::map<std::string, std::string> files) {
  MemoryReader reader(std::move(files));
  Config config;
  SourceFiles sources;
  Diagnostics diags;
  bool ok = CheckConfig(reader, &config, &sources, &diags);
  (void)RenderDiagnostics(diags, sources, false);
  if (!ok) return;
  CompileOptions opt;
  opt.today = "2026-06-01";
  CompiledConfig out;
  if (!CompileConfig(config, opt, &out, &diags)) return;
  Plan plan;
  if (DiffStates(out.desired, DirectoryState{}, config.settings, &plan, &diags)) (void)PlanToJson(plan);
}

}  // namespace gatehouse::fuzz
