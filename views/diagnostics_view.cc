#include "views/diagnostics_view.h"

#include <algorithm>
#include <sstream>

#include "views/color.h"

namespace gatehouse {

namespace {
Color SeverityColor(Severity s) {
  switch (s) {
    case Severity::kError: return Color::kBoldRed;
    case Severity::kWarning: return Color::kBoldYellow;
    case Severity::kNote: return Color::kBoldCyan;
  }
  return Color::kReset;
}

// Makes control characters in user text visible so a message stays one line.
std::string Printable(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (c == '\t')
      out += "    ";
    else if (c < 0x20 || c == 0x7f)
      out += '?';
    else
      out += static_cast<char>(c);
  }
  return out;
}

// The source line and a caret under the span; tabs widen to four spaces and the caret follows.
void RenderSourceLine(std::ostringstream& o, const Diagnostic& d, const SourceFiles& sources, bool color) {
  std::string line = sources.Line(d.span.file, d.span.line);
  if (line.empty() || line.size() >= 400) return;
  std::string shown = Printable(line);
  int col = 0;
  for (int i = 0; i < d.span.column - 1 && i < static_cast<int>(line.size()); ++i) col += line[i] == '\t' ? 4 : 1;
  int len = std::max(1, std::min<int>(d.span.length, static_cast<int>(shown.size()) - col));
  o << "  " << shown << '\n'
    << "  " << std::string(col, ' ') << Ansi(SeverityColor(d.severity), color) << '^' << std::string(len - 1, '~')
    << Ansi(Color::kReset, color) << '\n';
}
}  // namespace

std::string RenderDiagnostic(const Diagnostic& d, const SourceFiles& sources, bool color) {
  std::ostringstream o;
  const char* bold = Ansi(Color::kBold, color);
  const char* reset = Ansi(Color::kReset, color);
  o << bold;
  if (!d.span.file.empty()) {
    o << d.span.file;
    if (d.span.known()) o << ':' << d.span.line << ':' << d.span.column;
    o << ": ";
  }
  o << reset << Ansi(SeverityColor(d.severity), color) << SeverityName(d.severity) << reset << bold << ": "
    << d.message;
  if (!d.code.empty()) o << " [" << d.code << ']';
  o << reset << '\n';
  if (d.span.known()) RenderSourceLine(o, d, sources, color);
  for (const auto& n : d.notes) o << "  note: " << n << '\n';
  if (!d.help.empty()) o << "  help: " << d.help << '\n';
  return o.str();
}

std::string RenderDiagnostics(const Diagnostics& ds, const SourceFiles& sources, bool color) {
  std::string out;
  for (const auto& d : ds.items()) out += RenderDiagnostic(d, sources, color);
  return out;
}

std::string RenderConfigDiagnostics(const Diagnostics& diags, const SourceFiles& sources, bool color) {
  std::string out = RenderDiagnostics(diags, sources, color);
  size_t errors = diags.ErrorCount();
  if (errors) out += std::to_string(errors) + (errors == 1 ? " error" : " errors") + " found; nothing was changed\n";
  return out;
}

std::string PlanErrorsLine(size_t errors) { return std::to_string(errors) + " error(s) found; nothing was changed\n"; }

}  // namespace gatehouse
