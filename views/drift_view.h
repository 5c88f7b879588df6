#pragma once
/// The views of a drift report (`gatehouse drift`): the plan that would bring
/// the live directory back, as text, JSON (the plan plus `"drift": bool`) or Markdown.

#include <map>
#include <string>
#include <vector>

#include "compiler/attribution.h"
#include "compiler/plan.h"
#include "views/view_table.h"

namespace gatehouse {

/// What a drift view shows.
struct DriftView {
  const Plan* plan = nullptr;  ///< empty when there is no drift
  const std::map<std::string, Account>* accounts = nullptr;
  std::string target;  ///< the live directory, as the target describes itself
  bool color = false;
  /// Who made each change (same index as the plan's operations), when
  /// CloudTrail was read; null when it was not (no source, `--cloudtrail none`).
  const std::vector<std::optional<Attribution>>* attribution = nullptr;
  std::string window_from, window_to;  ///< RFC 3339 UTC, the events' window
  std::vector<std::string> sources;    ///< "lookup", trail paths
  size_t records_read = 0;
  size_t files_skipped = 0;  ///< trail files that could not be read
};

/// text (default), json, markdown.
std::vector<std::string> DriftFormats();
Renderer<DriftView> PickDriftView(const std::string& format);

}  // namespace gatehouse
