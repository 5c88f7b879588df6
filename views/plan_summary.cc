#include "views/plan_summary.h"

namespace gatehouse {

std::string PlanSummaryLine(const Plan& plan, SummaryStyle style) {
  const bool md = style == SummaryStyle::kMarkdown;
  if (plan.empty())
    return md ? "**No changes.** The live directory matches the configuration.\n\n"
              : "No changes. The live directory matches the configuration.";
  PlanSummary s = Summarize(plan);
  std::string counts = std::to_string(s.create) + " to create, " + std::to_string(s.update) + " to update, " +
                       std::to_string(s.del) + " to delete, " + std::to_string(s.replace) + " to replace.";
  return md ? "**" + counts + "**\n\n" : "Plan: " + counts;
}

}  // namespace gatehouse
