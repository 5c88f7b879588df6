#pragma once
/// `drift`: the plan read the other way: what differs in the live directory
/// from the configuration (what apply would change back), and, on the AWS
/// target, who made each difference, from CloudTrail (EVIDENCE.md
/// "Attribution in gatehouse drift"). Attribution never changes the outcome.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "compiler/attribution.h"
#include "operations/plan.h"

namespace gatehouse {

struct DriftRequest {
  ConfigRequest config;
  /// `--cloudtrail` sources: "lookup", "none" or a trail file or directory;
  /// empty = the default (settings.evidence.cloudtrail, else lookup on the aws
  /// target, none elsewhere).
  std::vector<std::string> cloudtrail;
  std::string since = "30d";  ///< the window's length: "30d", "12h"
  std::string as_of;          ///< the window's end (RFC 3339 or a date); "" = now
  int threads = 0;            ///< trail file workers; 0 = one per core
};

/// Who made the drift changes, when CloudTrail was read.
struct DriftAttribution {
  bool read = false;  ///< events were read; `changes` is filled
  std::string from, to;
  std::vector<std::string> sources;
  std::vector<std::optional<Attribution>> changes;  ///< per plan operation
  size_t records = 0, requests = 0;
  size_t files_skipped = 0;           ///< trail files that could not be read
  std::vector<std::string> warnings;  ///< one line each (a denied LookupEvents, ...)
};

struct DriftResult {
  PlanResult planning;
  DriftAttribution attribution;
  Problem problem;  ///< a bad --since / --as-of / --cloudtrail
  bool drift() const { return planning.ok() && !planning.plan.empty(); }
};

DriftResult RunDrift(const DriftRequest& req);

}  // namespace gatehouse
