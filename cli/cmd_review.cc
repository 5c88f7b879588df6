#include <iostream>

#include "cli/common.h"
#include "operations/review.h"
#include "runtime/clock.h"
#include "views/diagnostics_view.h"
#include "views/review_view.h"

namespace gatehouse::cli {

namespace {

/// Prints why `review` failed; the plan's diagnostics were already shown when it ran.
void PrintReviewFailure(const ReviewResult& r, bool color) {
  switch (r.stage) {
    case ReviewStage::kConfigInvalid:
    case ReviewStage::kCompileInvalid: PrintConfigDiagnostics(r.access.planning.checked, color); break;
    case ReviewStage::kPlanFailed: PrintPlanningFailure(r.access.planning); break;
    case ReviewStage::kFailed: PrintProblem(r.problem); break;
    case ReviewStage::kDone: break;
  }
}

}  // namespace

void RegisterReview(CLI::App& app, ReviewOptions* o, int* rc) {
  auto* cmd =
      app.add_subcommand("review", "every grant with its last use (CloudTrail), who granted it (git) and what to cut");
  AddConfigOptions(cmd, &o->config, true);
  cmd->add_option("--cloudtrail", o->cloudtrail,
                  "events: lookup, none, or a trail file or directory (repeatable; default settings.evidence)");
  cmd->add_option("--since", o->since, "the window's length, ending at --as-of (e.g. 90d, 36h)");
  cmd->add_option("--as-of", o->as_of, "the window's end: RFC 3339 or a date (default now)");
  AddAccessFilterOptions(cmd, &o->filter);
  cmd->add_option("--format", o->format, "text, json, csv, markdown or html")->check(CLI::IsMember(ReviewFormats()));
  cmd->add_option("--out", o->out, "write the report to FILE");
  cmd->callback([o, rc]() {
    Finalize(&o->config);
    ReviewRequest req{o->config.request, o->filter, o->cloudtrail, o->since, o->as_of, NowRfc3339(), 0};
    ReviewResult result = RunReview(req);
    const PlanResult& planning = result.access.planning;
    if (planning.planning_ran)
      std::cerr << RenderDiagnostics(planning.plan_diags, planning.checked.sources, o->config.color);
    if (result.stage != ReviewStage::kDone) {
      PrintReviewFailure(result, o->config.color);
      return void(*rc = kError);
    }
    for (const auto& w : result.warnings) std::cerr << "warning: " << w << "\n";
    ReviewView view{&result.review, result.warnings};
    if (!WriteOutput(o->out, PickReviewView(o->format)(view))) return void(*rc = kError);
    *rc = kOk;
  });
}

}  // namespace gatehouse::cli
