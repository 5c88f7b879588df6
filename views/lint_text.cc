#include <sstream>

#include "views/diagnostics_view.h"
#include "views/lint_view.h"

namespace gatehouse::lint {

namespace {
std::string Plural(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}
}  // namespace

std::string LintSummary(const LintResult& result) {
  std::string s = Plural(result.Count(Severity::kError), "error", "errors") + ", " +
                  Plural(result.Count(Severity::kWarning), "warning", "warnings") + ", " +
                  Plural(result.Count(Severity::kNote), "note", "notes");
  if (size_t waived = result.SuppressedCount()) s += " (" + std::to_string(waived) + " waived by exceptions)";
  return s;
}

std::string RenderLintText(const LintResult& result, const SourceFiles& sources, bool color) {
  std::ostringstream o;
  o << RenderDiagnostics(result.config_errors, sources, color);
  if (result.config_errors.HasErrors())
    o << Plural(result.config_errors.ErrorCount(), "config error", "config errors") << "\n";
  const std::string* file = nullptr;
  for (const Finding& f : result.findings) {
    if (f.suppressed) continue;
    if (file && *file != f.diag.span.file) o << '\n';
    file = &f.diag.span.file;
    o << RenderDiagnostic(f.diag, sources, color);
  }
  if (file) o << '\n';
  o << "lint: " << LintSummary(result) << '\n';
  return o.str();
}

}  // namespace gatehouse::lint
