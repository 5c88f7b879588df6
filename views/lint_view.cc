#include "views/lint_view.h"

namespace gatehouse::lint {

namespace {

std::string Text(const LintView& v) { return RenderLintText(*v.result, *v.sources, v.color); }
std::string Json(const LintView& v) { return RenderLintJson(*v.result); }
std::string Sarif(const LintView& v) { return RenderLintSarif(*v.result, *v.sources, v.sarif); }
std::string Markdown(const LintView& v) { return RenderLintMarkdown(*v.result); }

constexpr ViewRow<LintView> kLintViews[] = {
    {"text", Text},
    {"json", Json},
    {"sarif", Sarif},
    {"markdown", Markdown},
};

}  // namespace

std::vector<std::string> LintFormats() { return FormatNames(kLintViews); }

Renderer<LintView> PickLintView(const std::string& format) { return PickRenderer(kLintViews, format); }

}  // namespace gatehouse::lint
