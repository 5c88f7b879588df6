#include <sstream>

#include "compiler/lint/lint_output.h"

namespace gatehouse::lint {
namespace {

std::string Cell(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '|')
      out += "\\|";
    else if (c == '\n' || c == '\r')
      out += ' ';
    else
      out += c;
  }
  return out;
}

const char* Icon(Severity s) {
  switch (s) {
    case Severity::kError: return ":x: error";
    case Severity::kWarning: return ":warning: warning";
    case Severity::kNote: return ":information_source: note";
  }
  return "";
}

std::string Where(const SourceSpan& s) {
  if (s.file.empty()) return "";
  std::string out = "`";
  out += Cell(s.file);
  if (s.known()) {
    out += ':';
    out += std::to_string(s.line);
  }
  out += '`';
  return out;
}

}  // namespace

std::string RenderLintMarkdown(const LintResult& result) {
  std::ostringstream o;
  o << "### Gatehouse lint: " << LintSummary(result) << "\n\n";
  bool any = !result.config_errors.items().empty() || result.findings.size() > result.SuppressedCount();
  if (!any) {
    o << "No findings.\n";
    return o.str();
  }
  o << "| Level | Rule | Location | Finding |\n|---|---|---|---|\n";
  for (const Diagnostic& d : result.config_errors.items())
    o << "| " << Icon(d.severity) << " | `config-error` | " << Where(d.span) << " | " << Cell(d.message) << " |\n";
  for (const Finding& f : result.findings) {
    if (f.suppressed) continue;
    o << "| " << Icon(f.diag.severity) << " | `" << f.diag.code << "` | " << Where(f.diag.span) << " | "
      << Cell(f.diag.message);
    if (!f.diag.help.empty()) o << " — " << Cell(f.diag.help);
    o << " |\n";
  }
  return o.str();
}

}  // namespace gatehouse::lint
