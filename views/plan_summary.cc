#include "views/plan_summary.h"

#include "compiler/scope.h"

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

std::string PlanScopeLine(const Plan& plan, SummaryStyle style) {
  if (!plan.scope) return "";
  const Scope& s = *plan.scope;
  size_t named =
      s.users.size() + s.groups.size() + s.memberships.size() + s.permission_sets.size() + s.assignments.size();
  std::string text = "Scoped plan (" + (s.origin.empty() ? std::string("a slice") : s.origin) +
                     "): " + std::to_string(named) + " objects in the slice, " + std::to_string(plan.objects_read) +
                     " read from the live directory. Drift elsewhere is not checked; the nightly `gatehouse drift` "
                     "reads everything.";
  return style == SummaryStyle::kMarkdown ? "> " + text + "\n\n" : text + "\n";
}

}  // namespace gatehouse
