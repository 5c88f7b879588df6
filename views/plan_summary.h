#pragma once
/// The one summary line of a plan ("Plan: 1 to create, ..." or "No changes."),
/// in the style of the view that shows it.

#include <string>

#include "compiler/plan.h"

namespace gatehouse {

enum class SummaryStyle {
  kText,      ///< "Plan: 1 to create, 0 to update, 0 to delete, 0 to replace." (no newline)
  kMarkdown,  ///< "**1 to create, ...**" in bold, followed by a blank line
};

std::string PlanSummaryLine(const Plan& plan, SummaryStyle style);

/// A scoped plan's banner: what slice it read, how many live objects, and that
/// drift elsewhere is not checked; "" for a full plan. Ends with a newline.
std::string PlanScopeLine(const Plan& plan, SummaryStyle style);

}  // namespace gatehouse
