#pragma once
/// The plan as a pull-request comment: summary, lint findings, access changes
/// (privileged first) and resource changes in collapsible sections, bounded to
/// GitHub's comment limit with a note of what was cut.

#include <string>
#include <vector>

#include "compiler/diagnostics.h"
#include "compiler/plan.h"

namespace gatehouse {

struct MarkdownOptions {
  /// GitHub's comment limit is 65,536 characters; the output is kept to this
  /// many bytes, which is never more characters.
  size_t max_chars = 65536;
  std::string title = "Gatehouse plan";
  /// A hidden first line (`<!-- gatehouse:plan -->`) CI looks for to update
  /// its earlier comment instead of adding a new one; "" for none.
  std::string marker = "gatehouse:plan";
  /// A paragraph under the summary ("" for none), e.g. how to read a drift report.
  std::string intro;
  /// Lint findings to show, if any: those about objects the plan changes, listed
  /// first; then `other_findings`, about the rest of the configuration, folded
  /// under a <details>.
  const std::vector<Diagnostic>* findings = nullptr;
  const std::vector<Diagnostic>* other_findings = nullptr;
  /// One line shown under each operation (same index; "" = none), e.g. who
  /// made a drift change; null for none.
  const std::vector<std::string>* annotations = nullptr;
};

/// INVARIANT: the result is at most `opt.max_chars` bytes (for max_chars >= 1024).
std::string RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& opt);
/// Escapes Markdown table/inline specials in user text.
std::string MarkdownEscape(const std::string& s);

}  // namespace gatehouse
