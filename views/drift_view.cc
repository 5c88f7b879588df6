#include "views/drift_view.h"

#include "compiler/plan_json.h"
#include "views/plan_markdown.h"
#include "views/plan_text.h"

namespace gatehouse {

namespace {

std::string RenderJson(const DriftView& v) {
  nlohmann::json j = PlanToJson(*v.plan, v.accounts);
  j["drift"] = !v.plan->empty();
  return j.dump(2) + "\n";
}

std::string RenderMarkdown(const DriftView& v) {
  const bool drift = !v.plan->empty();
  MarkdownOptions mo;
  mo.marker = "gatehouse:drift";
  mo.title = drift ? "Gatehouse drift: the live directory differs from the configuration" : "Gatehouse drift: none";
  mo.intro = "Live directory: `" + v.target + "`.";
  if (drift)
    mo.intro +=
        " The changes below are what `gatehouse apply` would do to bring it back: \"loses\" means "
        "someone holds access out-of-band that the configuration does not grant.";
  return RenderPlanMarkdown(*v.plan, mo);
}

std::string RenderText(const DriftView& v) {
  if (v.plan->empty()) return "No drift: " + v.target + " matches the configuration.\n";
  return "Drift: " + v.target + " differs from the configuration.\n" +
         "Applying the config would make these changes:\n\n" +
         RenderPlanText(*v.plan, TextOptions{v.color, v.accounts});
}

constexpr ViewRow<DriftView> kDriftViews[] = {
    {"text", RenderText},
    {"json", RenderJson},
    {"markdown", RenderMarkdown},
};

}  // namespace

std::vector<std::string> DriftFormats() { return FormatNames(kDriftViews); }

Renderer<DriftView> PickDriftView(const std::string& format) { return PickRenderer(kDriftViews, format); }

}  // namespace gatehouse
