#pragma once
/// Renderings of a lint result: text (compiler style), JSON (PRODUCT.md §7),
/// SARIF 2.1.0 (GitHub code scanning) and Markdown (pull request comments).
/// Config errors in `result.config_errors` come first in every format.

#include <string>

#include "compiler/diagnostics.h"
#include "compiler/lint/lint.h"
#include "views/view_table.h"

namespace gatehouse::lint {

/// Findings grouped by file (a blank line between files), then a summary line.
std::string RenderLintText(const LintResult& result, const SourceFiles& sources, bool color);

/// "1 error, 2 warnings, 0 notes (1 waived by exceptions)".
std::string LintSummary(const LintResult& result);

/// `{"format_version": "1", "findings": [{rule, level, message, file, line, column, target}]}`.
std::string RenderLintJson(const LintResult& result);

struct SarifOptions {
  std::string tool_version;
  /// Prepended to each finding's file to make it relative to the repository
  /// root ("infra/access/"), so code scanning finds the file.
  std::string uri_prefix;
  /// file:// URI of the repository root for originalUriBaseIds; "" to omit it.
  std::string root_uri;
};

/// A SARIF 2.1.0 log with one run; waived findings appear with a suppression.
std::string RenderLintSarif(const LintResult& result, const SourceFiles& sources, const SarifOptions& options);

/// A heading with the summary and a table of the findings, for a PR comment.
std::string RenderLintMarkdown(const LintResult& result);

/// primaryLocationLineHash: stable across runs when lines move (rule, target and
/// the whitespace-normalized text of the line, not the line number).
std::string LineHash(const std::string& rule, const std::string& target, const std::string& line_text);

/// What a lint view shows.
struct LintView {
  const LintResult* result = nullptr;
  const SourceFiles* sources = nullptr;  ///< the lines text and SARIF quote
  bool color = false;                    ///< text only
  SarifOptions sarif;                    ///< SARIF only
};

/// text (default), json, sarif, markdown.
std::vector<std::string> LintFormats();
Renderer<LintView> PickLintView(const std::string& format);

}  // namespace gatehouse::lint
