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
  size_t max_chars = 65536;  ///< GitHub's comment limit
  std::string title = "Gatehouse plan";
  const std::vector<Diagnostic>* findings = nullptr;  ///< lint findings to show, if any
};

std::string RenderPlanMarkdown(const Plan& plan, const MarkdownOptions& opt);
/// Escapes Markdown table/inline specials in user text.
std::string MarkdownEscape(const std::string& s);

}  // namespace gatehouse
