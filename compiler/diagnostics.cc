#include "compiler/diagnostics.h"

#include <algorithm>
#include <sstream>

#include "compiler/text.h"

namespace gatehouse {

const char* SeverityName(Severity s) {
  switch (s) {
    case Severity::kError: return "error";
    case Severity::kWarning: return "warning";
    case Severity::kNote: return "note";
  }
  return "error";
}

void SourceFiles::Add(const std::string& file, std::string text) { texts_[file] = std::move(text); }

std::string SourceFiles::Line(const std::string& file, int line) const {
  auto it = texts_.find(file);
  if (it == texts_.end() || line < 1) return "";
  const std::string& t = it->second;
  size_t pos = 0;
  for (int i = 1; i < line; ++i) {
    pos = t.find('\n', pos);
    if (pos == std::string::npos) return "";
    ++pos;
  }
  size_t end = t.find('\n', pos);
  std::string s = t.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
  if (!s.empty() && s.back() == '\r') s.pop_back();
  if (line == 1 && s.rfind("\xEF\xBB\xBF", 0) == 0) s.erase(0, 3);
  return s;
}

void Diagnostics::Error(const SourceSpan& at, std::string message, std::string help) {
  Add({Severity::kError, "", std::move(message), at, std::move(help), {}});
}
void Diagnostics::Warning(const SourceSpan& at, std::string message, std::string help) {
  Add({Severity::kWarning, "", std::move(message), at, std::move(help), {}});
}
void Diagnostics::Note(const SourceSpan& at, std::string message, std::string help) {
  Add({Severity::kNote, "", std::move(message), at, std::move(help), {}});
}

bool Diagnostics::HasErrors() const { return ErrorCount() > 0; }

size_t Diagnostics::ErrorCount() const {
  return std::count_if(items_.begin(), items_.end(),
                       [](const Diagnostic& d) { return d.severity == Severity::kError; });
}

void Diagnostics::Sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    return std::tie(a.span.file, a.span.line, a.span.column) < std::tie(b.span.file, b.span.line, b.span.column);
  });
}

namespace {
const char* Color(Severity s) {
  switch (s) {
    case Severity::kError: return "\033[1;31m";
    case Severity::kWarning: return "\033[1;33m";
    case Severity::kNote: return "\033[1;36m";
  }
  return "";
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
}  // namespace

std::string RenderDiagnostic(const Diagnostic& d, const SourceFiles& sources, bool color) {
  std::ostringstream o;
  const char* bold = color ? "\033[1m" : "";
  const char* reset = color ? "\033[0m" : "";
  o << bold;
  if (!d.span.file.empty()) {
    o << d.span.file;
    if (d.span.known()) o << ':' << d.span.line << ':' << d.span.column;
    o << ": ";
  }
  o << reset << (color ? Color(d.severity) : "") << SeverityName(d.severity) << reset << bold << ": " << d.message;
  if (!d.code.empty()) o << " [" << d.code << ']';
  o << reset << '\n';
  if (d.span.known()) {
    std::string line = sources.Line(d.span.file, d.span.line);
    if (!line.empty() && line.size() < 400) {
      // Tabs are widened to four spaces; the caret follows the same expansion.
      std::string shown = Printable(line);
      int col = 0;
      for (int i = 0; i < d.span.column - 1 && i < static_cast<int>(line.size()); ++i) col += line[i] == '\t' ? 4 : 1;
      int len = std::max(1, std::min<int>(d.span.length, static_cast<int>(shown.size()) - col));
      o << "  " << shown << '\n'
        << "  " << std::string(col, ' ') << (color ? Color(d.severity) : "") << '^' << std::string(len - 1, '~')
        << reset << '\n';
    }
  }
  for (const auto& n : d.notes) o << "  note: " << n << '\n';
  if (!d.help.empty()) o << "  help: " << d.help << '\n';
  return o.str();
}

std::string RenderDiagnostics(const Diagnostics& ds, const SourceFiles& sources, bool color) {
  std::string out;
  for (const auto& d : ds.items()) out += RenderDiagnostic(d, sources, color);
  return out;
}

size_t EditDistance(const std::string& word, const std::string& other) {
  const std::string a = AsciiLower(word), b = AsciiLower(other);
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t subst = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, subst});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_d = std::max<size_t>(2, word.size() / 3) + 1;
  for (const auto& c : candidates) {
    size_t d = EditDistance(word, c);
    if (d < best_d) {
      best_d = d;
      best = c;
    }
  }
  return best;
}

std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates) {
  std::string m = ClosestMatch(word, candidates);
  return m.empty() ? "" : "did you mean '" + m + "'?";
}

}  // namespace gatehouse
