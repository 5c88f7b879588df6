#pragma once
/// `review`: every effective grant of the config with its usage in a window
/// (CloudTrail), who granted it (git) and a recommendation (EVIDENCE.md).

#include <string>
#include <vector>

#include "compiler/review.h"
#include "operations/access.h"

namespace gatehouse {

struct ReviewRequest {
  ConfigRequest config;
  AccessFilter filter;
  /// `--cloudtrail`: "lookup", "none" or a path; empty = settings.evidence.cloudtrail, else none.
  std::vector<std::string> cloudtrail;
  std::string since = "90d";  ///< the window's length (`d`, `h`)
  std::string as_of;          ///< its end: RFC 3339 or a date; "" = `now`
  std::string now;            ///< the current time, RFC 3339 UTC (the CLI reads the clock)
  int threads = 0;            ///< trail file workers; 0 = one per core
};

enum class ReviewStage {
  kConfigInvalid,   ///< `access.planning.checked.diags`
  kPlanFailed,      ///< reading the live directory failed: `access.planning`
  kCompileInvalid,  ///< compiling failed
  kFailed,          ///< `problem` (a filter, a flag or a source is wrong)
  kDone,
};

struct ReviewResult {
  ReviewStage stage = ReviewStage::kConfigInvalid;
  AccessResult access;  ///< the checked config and the access computation
  Problem problem;
  Review review;
  std::vector<std::string> warnings;  ///< one line each (skipped files, no git)
};

ReviewResult RunReview(const ReviewRequest& req);

}  // namespace gatehouse
