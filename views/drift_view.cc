#include "views/drift_view.h"

#include <memory>

#include "compiler/plan_json.h"
#include "views/plan_markdown.h"
#include "views/plan_text.h"

namespace gatehouse {

namespace {

nlohmann::json AttributionJson(const std::optional<Attribution>& a) {
  if (!a) return nullptr;
  return {{"actor", a->actor},
          {"actor_arn", a->actor_arn.empty() ? nlohmann::json(nullptr) : nlohmann::json(a->actor_arn)},
          {"time", a->time},
          {"event_name", a->event_name},
          {"event_id", a->event_id}};
}

std::string RenderJson(const DriftView& v) {
  nlohmann::json j = PlanToJson(*v.plan, v.accounts);
  j["drift"] = !v.plan->empty();
  if (v.attribution) {
    j["window"] = {{"from", v.window_from}, {"to", v.window_to}};
    j["evidence"] = {{"sources", v.sources}, {"records_read", v.records_read}, {"files_skipped", v.files_skipped}};
    for (size_t i = 0; i < j["changes"].size() && i < v.attribution->size(); ++i)
      j["changes"][i]["attribution"] = AttributionJson((*v.attribution)[i]);
  }
  return j.dump(2) + "\n";
}

/// One line per change for the text and Markdown views; null without attribution.
std::unique_ptr<std::vector<std::string>> Annotations(const DriftView& v) {
  if (!v.attribution) return nullptr;
  auto lines = std::make_unique<std::vector<std::string>>();
  for (const auto& a : *v.attribution)
    lines->push_back(a ? AttributionLine(*a) : "no write event in the window explains it");
  return lines;
}

/// "Who changed what: CloudTrail (lookup), FROM to TO."
std::string WindowLine(const DriftView& v) {
  std::string sources;
  for (const auto& s : v.sources) sources += (sources.empty() ? "" : ", ") + s;
  return "Who changed what: CloudTrail (" + sources + "), " + v.window_from + " to " + v.window_to + ".";
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
  if (drift && v.attribution) mo.intro += " " + WindowLine(v);
  auto notes = Annotations(v);
  mo.annotations = notes.get();
  return RenderPlanMarkdown(*v.plan, mo);
}

std::string RenderText(const DriftView& v) {
  if (v.plan->empty()) return "No drift: " + v.target + " matches the configuration.\n";
  auto notes = Annotations(v);
  return "Drift: " + v.target + " differs from the configuration.\n" + (notes ? WindowLine(v) + "\n" : "") +
         "Applying the config would make these changes:\n\n" +
         RenderPlanText(*v.plan, TextOptions{v.color, v.accounts, notes.get()});
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
