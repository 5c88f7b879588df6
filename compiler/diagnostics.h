#pragma once
/// Diagnostics as data: every stage reports problems as Diagnostic values; text,
/// JSON and SARIF render the same value.

#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace gatehouse {

/// A place in a source file. Lines and columns are 1-based; line 0 means "no
/// position" (a whole-file or command-line problem).
struct SourceSpan {
  std::string file;  ///< path as the user gave it (relative to the config dir)
  int line = 0;
  int column = 0;
  int length = 1;  ///< characters under the caret
  bool known() const { return line > 0; }
};

enum class Severity { kError, kWarning, kNote };
const char* SeverityName(Severity s);

struct Diagnostic {
  Severity severity = Severity::kError;
  std::string code;  ///< rule id for lint findings, empty for config errors
  std::string message;
  SourceSpan span;
  std::string help;                ///< how to fix it ("did you mean 'DevOps'?")
  std::vector<std::string> notes;  ///< context ("first declared at a.yaml:3:5")
};

/// The text of every source file read, so renderers can show the offending line.
class SourceFiles {
 public:
  SourceFiles() = default;
  SourceFiles(const SourceFiles& other) : texts_(other.texts_) {}
  SourceFiles(SourceFiles&& other) noexcept : texts_(std::move(other.texts_)) {}
  SourceFiles& operator=(const SourceFiles& other);
  SourceFiles& operator=(SourceFiles&& other) noexcept;
  void Add(const std::string& file, std::string text);
  /// The line (1-based) of `file` without its line ending, or "" when unknown.
  /// Constant time after the first call for a file (which indexes its line starts).
  std::string Line(const std::string& file, int line) const;
  bool Has(const std::string& file) const { return texts_.count(file) != 0; }
  const std::map<std::string, std::string>& texts() const { return texts_; }

 private:
  std::map<std::string, std::string> texts_;
  // Where each line starts, per file, built on first use: a lint run renders tens of
  // thousands of findings in one file, and scanning from the top for each was quadratic.
  mutable std::map<std::string, std::vector<size_t>> line_starts_;
  mutable std::mutex line_starts_mutex_;
};

/// Collects diagnostics from all stages; a stage never stops at the first one.
class Diagnostics {
 public:
  void Add(Diagnostic d) { items_.push_back(std::move(d)); }
  void Error(const SourceSpan& at, std::string message, std::string help = "");
  void Warning(const SourceSpan& at, std::string message, std::string help = "");
  void Note(const SourceSpan& at, std::string message, std::string help = "");
  bool HasErrors() const;
  size_t ErrorCount() const;
  const std::vector<Diagnostic>& items() const { return items_; }
  std::vector<Diagnostic>& items() { return items_; }
  /// Sorts by file, line, column, keeping insertion order for ties.
  void Sort();

 private:
  std::vector<Diagnostic> items_;
};

/// Levenshtein distance, for "did you mean" suggestions.
size_t EditDistance(const std::string& a, const std::string& b);
/// The closest candidate within a small distance, or "" when none is close.
std::string ClosestMatch(const std::string& word, const std::vector<std::string>& candidates);
/// "did you mean 'x'?" or "" when there is no close candidate.
std::string DidYouMean(const std::string& word, const std::vector<std::string>& candidates);

}  // namespace gatehouse
