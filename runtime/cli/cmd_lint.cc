#include <filesystem>
#include <iostream>

#include "runtime/cli/common.h"
#ifdef GATEHOUSE_HAVE_LINT
#include "compiler/lint/lint.h"
#include "compiler/lint/lint_output.h"
#include "compiler/lint/rule_catalog.h"
#endif

namespace fs = std::filesystem;

namespace gatehouse::cli {
#ifdef GATEHOUSE_HAVE_LINT
namespace {

int Explain(const std::string& id) {
  if (const lint::RuleInfo* rule = lint::FindLintRule(id)) {
    std::cout << lint::ExplainRule(*rule);
    return kOk;
  }
  std::vector<std::string> ids;
  for (const lint::RuleInfo& r : lint::LintRules()) ids.push_back(r.id);
  std::string hint = DidYouMean(id, ids);
  std::cerr << "error: unknown rule '" << id << "'" << (hint.empty() ? "" : "; " + hint) << "\n"
            << "help: the rules are listed in docs/rules.md\n";
  return kError;
}

/// SARIF locations are relative to the repository root: the nearest parent of
/// DIR holding a .git entry, else DIR itself.
lint::SarifOptions SarifLocations(const std::string& dir) {
  lint::SarifOptions o;
  o.tool_version = GATEHOUSE_VERSION;
  std::error_code ec;
  fs::path config = fs::weakly_canonical(fs::absolute(dir), ec);
  fs::path root = config;
  for (fs::path p = config;; p = p.parent_path()) {
    if (fs::exists(p / ".git", ec)) {
      root = p;
      break;
    }
    if (p == p.parent_path()) break;
  }
  std::string rel = config.lexically_relative(root).generic_string();
  o.uri_prefix = rel.empty() || rel == "." ? "" : rel + "/";
  o.root_uri = "file://" + root.generic_string() + (root.generic_string().ends_with('/') ? "" : "/");
  return o;
}

}  // namespace

void RegisterLint(CLI::App& app, Common* c, int* rc) {
  auto* cmd = app.add_subcommand("lint", "check a config against the least-privilege rules; exit 1 on errors");
  AddConfigOptions(cmd, c, false);
  static std::string format = "text", out, explain;
  static long max_warnings = -1;
  cmd->add_option("--format", format, "text, json, sarif or markdown")
      ->check(CLI::IsMember({"text", "json", "sarif", "markdown"}));
  cmd->add_option("--out", out, "write the report to FILE instead of stdout");
  cmd->add_option("--explain", explain, "describe a rule: why, parameters, examples");
  cmd->add_option("--max-warnings", max_warnings, "exit 1 when there are more than N warnings");
  cmd->callback([c, rc]() {
    if (!explain.empty()) return void(*rc = Explain(explain));
    Finalize(c, format != "text");
    LoadedConfig loaded;
    bool ok = LoadConfigDir(c->run, &loaded);
    lint::LintResult result;
    if (ok) {
      CompileOptions co;
      co.today = c->run.today;
      CompiledConfig compiled;
      Diagnostics scratch;
      ok = CompileConfig(loaded.config, co, &compiled, &scratch);
      for (auto& d : scratch.items())
        if (d.severity == Severity::kError) loaded.diags.Add(d);
      if (ok) result = lint::RunLint(loaded.config, compiled, lint::LintOptions{c->run.today});
    }
    // Config errors come first; validate reports the same ones.
    Diagnostics errors;
    for (const auto& d : loaded.diags.items())
      if (d.severity == Severity::kError) errors.Add(d);
    for (const auto& d : result.config_errors.items()) errors.Add(d);
    result.config_errors = std::move(errors);

    std::string text;
    if (format == "json")
      text = lint::RenderLintJson(result);
    else if (format == "sarif")
      text = lint::RenderLintSarif(result, loaded.sources, SarifLocations(c->run.dir));
    else if (format == "markdown")
      text = lint::RenderLintMarkdown(result);
    else
      text = lint::RenderLintText(result, loaded.sources, c->run.color && out.empty());
    if (!WriteOutput(out, text)) return void(*rc = kError);

    size_t warnings = result.Count(Severity::kWarning);
    bool too_many = max_warnings >= 0 && warnings > static_cast<size_t>(max_warnings);
    if (too_many) std::cerr << "error: " << warnings << " warnings exceed --max-warnings " << max_warnings << "\n";
    *rc = result.config_errors.HasErrors() || result.Count(Severity::kError) || too_many ? kError : kOk;
  });
}

#else
// Built without the IAM analyzer (GATEHOUSE_SKIP_IAM): lint is unavailable.
void RegisterLint(CLI::App& app, Common*, int* rc) {
  auto* cmd = app.add_subcommand("lint", "unavailable: this build has no IAM analyzer");
  cmd->allow_extras();
  cmd->callback([rc]() {
    std::cerr << "error: this build of gatehouse has no linter (built without compiler/iam)\n";
    *rc = kError;
  });
}
#endif

}  // namespace gatehouse::cli
