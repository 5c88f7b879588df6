#pragma once
/// The views of a plan (`gatehouse plan`): text (plan_text.h), JSON (the saved
/// plan format, compiler/plan_json.h) and Markdown (plan_markdown.h).

#include <map>
#include <string>
#include <vector>

#include "compiler/diagnostics.h"
#include "compiler/plan.h"
#include "views/view_table.h"

namespace gatehouse {

/// What a plan view shows.
struct PlanView {
  const Plan* plan = nullptr;
  /// Account names shown beside ids, when given.
  const std::map<std::string, Account>* accounts = nullptr;
  /// Lint findings the Markdown view shows beside the plan (a pull-request comment):
  /// those about objects the plan changes, then the rest, folded.
  const std::vector<Diagnostic>* findings = nullptr;
  bool color = false;
  const std::vector<Diagnostic>* other_findings = nullptr;
};

/// text (default), json, markdown.
std::vector<std::string> PlanFormats();
Renderer<PlanView> PickPlanView(const std::string& format);

/// The saved plan file's text (the JSON view, which `apply --plan` reads back).
std::string RenderPlanJson(const PlanView& v);

}  // namespace gatehouse
