#pragma once
// Test helpers: configs written as text in the test, read through an in-memory
// SourceReader, compiled and linted.

#include <map>
#include <string>
#include <vector>

#include "compiler/compile.h"
#include "compiler/config_loader.h"
#include "compiler/lint/lint.h"
#include "compiler/memory_reader.h"

namespace gatehouse::lint::testing {

/// Two accounts (production, development), three users, two groups.
inline const char* kBase = R"(accounts:
  - id: "111111111111"
    name: payments-prod
    environment: production
  - id: "222222222222"
    name: payments-dev
    environment: development
users:
  - user_name: alice
  - user_name: bob
  - user_name: carol
groups:
  - name: DevOps
    members: [alice, bob]
  - name: BreakGlass
    members: [carol]
)";

struct Linted {
  Config config;
  SourceFiles sources;
  Diagnostics diags;  ///< load and compile
  CompiledConfig compiled;
  LintResult result;

  /// The findings of `rule` that are not waived.
  std::vector<const Finding*> Of(const std::string& rule) const {
    std::vector<const Finding*> out;
    for (const Finding& f : result.findings)
      if (f.diag.code == rule && !f.suppressed) out.push_back(&f);
    return out;
  }
  std::string Dump() const {
    std::string s;
    for (const auto& d : diags.items())
      s += "config: " + d.span.file + ":" + std::to_string(d.span.line) + ": " + d.message + "\n";
    for (const auto& d : result.config_errors.items())
      s += "param: " + std::to_string(d.span.line) + ": " + d.message + "\n";
    for (const Finding& f : result.findings)
      s += f.diag.code + " " + f.diag.span.file + ":" + std::to_string(f.diag.span.line) + ":" +
           std::to_string(f.diag.span.column) + " [" + f.target + "] " + f.diag.message +
           (f.suppressed ? " (waived)" : "") + "\n";
    return s;
  }
};

/// Loads `files` (plus base.yaml = kBase unless given), compiles and lints.
inline Linted Lint(std::map<std::string, std::string> files, const std::string& today = "2026-06-01") {
  if (!files.count("base.yaml")) files["base.yaml"] = kBase;
  Linted l;
  MemoryReader reader(std::move(files));
  LoadConfig(reader, &l.config, &l.sources, &l.diags);
  if (l.diags.HasErrors()) return l;
  CompileOptions co;
  co.today = today;
  if (!CompileConfig(l.config, co, &l.compiled, &l.diags)) return l;
  l.result = RunLint(l.config, l.compiled, LintOptions{today});
  return l;
}

/// Shorthand for one file, "test.yaml".
inline Linted LintText(const std::string& yaml, const std::string& today = "2026-06-01") {
  return Lint({{"test.yaml", yaml}}, today);
}

}  // namespace gatehouse::lint::testing
