#include <iostream>

#include "cli/common.h"
#include "compiler/lint/rule_catalog.h"
#include "operations/lint.h"
#include "views/lint_view.h"

namespace gatehouse::cli {

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

int Lint(const LintCommandOptions& o) {
  LintRunResult r = RunLintOperation(o.config.request);
  lint::SarifOptions sarif{GATEHOUSE_VERSION, r.place.uri_prefix, r.place.root_uri};
  lint::LintView view{&r.lint, &r.checked.sources, o.config.color && o.out.empty(), sarif};
  if (!WriteOutput(o.out, lint::PickLintView(o.format)(view))) return kError;
  size_t warnings = r.lint.Count(Severity::kWarning);
  bool too_many = o.max_warnings >= 0 && warnings > static_cast<size_t>(o.max_warnings);
  if (too_many) std::cerr << "error: " << warnings << " warnings exceed --max-warnings " << o.max_warnings << "\n";
  int rc = r.lint.config_errors.HasErrors() || r.lint.Count(Severity::kError) || too_many ? kError : kOk;
  KeepUntilExit(std::move(r));
  return rc;
}

}  // namespace

void RegisterLint(CLI::App& app, LintCommandOptions* o, int* rc) {
  auto* cmd = app.add_subcommand("lint", "check a config against the least-privilege rules; exit 1 on errors");
  AddConfigOptions(cmd, &o->config, false);
  cmd->add_option("--format", o->format, "text, json, sarif or markdown")->check(CLI::IsMember(lint::LintFormats()));
  cmd->add_option("--out", o->out, "write the report to FILE instead of stdout");
  cmd->add_option("--explain", o->explain, "describe a rule: why, parameters, examples");
  cmd->add_option("--max-warnings", o->max_warnings, "exit 1 when there are more than N warnings");
  cmd->callback([o, rc]() {
    if (!o->explain.empty()) return void(*rc = Explain(o->explain));
    Finalize(&o->config);
    *rc = Lint(*o);
  });
}

}  // namespace gatehouse::cli
