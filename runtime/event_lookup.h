#pragma once
/// CloudTrail events looked up where a target lives (EVIDENCE.md, source
/// `lookup`): what to ask for, and what came back. The records themselves go
/// to a visitor as JSON text, one at a time, so no caller holds a whole trail.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace gatehouse {

struct EventQuery {
  /// One lookup (paged to the end) per event name: CloudTrail allows one
  /// lookup attribute per call, and by name the pages hold only what is asked.
  std::vector<std::string> event_names;
  int64_t start_time = 0;  ///< epoch seconds, inclusive
  int64_t end_time = 0;    ///< epoch seconds, inclusive
};

/// Receives each record (LookupEvents' `CloudTrailEvent`: the whole record as JSON text).
using EventVisitor = std::function<void(const std::string& record_json)>;

struct EventLookupResult {
  bool ok = true;
  bool denied = false;  ///< the credentials may not call LookupEvents (AccessDenied)
  std::string error;    ///< why not ok; never a secret
  size_t requests = 0;  ///< LookupEvents requests sent, retries included
  size_t records = 0;   ///< records visited
};

}  // namespace gatehouse
