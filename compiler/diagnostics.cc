#include "compiler/diagnostics.h"

#include <algorithm>

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

SourceFiles& SourceFiles::operator=(const SourceFiles& other) {
  if (this == &other) return *this;
  std::lock_guard<std::mutex> lock(line_starts_mutex_);
  texts_ = other.texts_;
  line_starts_.clear();
  return *this;
}

SourceFiles& SourceFiles::operator=(SourceFiles&& other) noexcept {
  std::lock_guard<std::mutex> lock(line_starts_mutex_);
  texts_ = std::move(other.texts_);
  line_starts_.clear();
  return *this;
}

void SourceFiles::Add(const std::string& file, std::string text) {
  std::lock_guard<std::mutex> lock(line_starts_mutex_);
  texts_[file] = std::move(text);
  line_starts_.erase(file);
}

std::string SourceFiles::Line(const std::string& file, int line) const {
  auto it = texts_.find(file);
  if (it == texts_.end() || line < 1) return "";
  const std::string& t = it->second;
  size_t pos = 0;
  {
    std::lock_guard<std::mutex> lock(line_starts_mutex_);
    auto [starts, fresh] = line_starts_.try_emplace(file);
    if (fresh) {
      starts->second.push_back(0);
      for (size_t nl = t.find('\n'); nl != std::string::npos; nl = t.find('\n', nl + 1))
        starts->second.push_back(nl + 1);
    }
    if (static_cast<size_t>(line) > starts->second.size()) return "";
    pos = starts->second[line - 1];
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
