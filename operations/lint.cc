#include "operations/lint.h"

#include <filesystem>

namespace fs = std::filesystem;

namespace gatehouse {

namespace {

/// The repository root is the nearest parent of DIR holding a .git entry, else DIR itself.
RepositoryPlace FindRepositoryPlace(const std::string& dir) {
  RepositoryPlace o;
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

LintRunResult RunLintOperation(const ConfigRequest& req) {
  LintRunResult r;
  r.checked = CheckConfig(req);
  if (r.checked.ok()) {
    CompiledConfig compiled;
    Diagnostics compile_diags;
    bool ok = CompileChecked(r.checked, req.today, &compiled, &compile_diags);
    // Warnings of compiling are not lint findings; its errors stop the lint.
    MergeCompileDiagnostics(compile_diags, CompileFindings::kErrorsOnly, &r.checked.diags);
    if (ok) r.lint = lint::RunLint(r.checked.config, compiled, lint::LintOptions{req.today});
  }
  // Config errors come first; validate reports the same ones.
  Diagnostics errors;
  for (const auto& d : r.checked.diags.items())
    if (d.severity == Severity::kError) errors.Add(d);
  for (const auto& d : r.lint.config_errors.items()) errors.Add(d);
  r.lint.config_errors = std::move(errors);
  r.place = FindRepositoryPlace(req.dir);
  return r;
}

}  // namespace gatehouse
