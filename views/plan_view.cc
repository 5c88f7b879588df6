#include "views/plan_view.h"

#include "compiler/plan_json.h"
#include "views/plan_markdown.h"
#include "views/plan_text.h"

namespace gatehouse {

std::string RenderPlanJson(const PlanView& v) { return PlanToJson(*v.plan, v.accounts).dump(2) + "\n"; }

namespace {

std::string RenderText(const PlanView& v) { return RenderPlanText(*v.plan, TextOptions{v.color, v.accounts}); }

std::string RenderMarkdown(const PlanView& v) {
  MarkdownOptions mo;
  mo.findings = v.findings;
  mo.other_findings = v.other_findings;
  return RenderPlanMarkdown(*v.plan, mo);
}

constexpr ViewRow<PlanView> kPlanViews[] = {
    {"text", RenderText},
    {"json", RenderPlanJson},
    {"markdown", RenderMarkdown},
};

}  // namespace

std::vector<std::string> PlanFormats() { return FormatNames(kPlanViews); }

Renderer<PlanView> PickPlanView(const std::string& format) { return PickRenderer(kPlanViews, format); }

}  // namespace gatehouse
