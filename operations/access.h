#pragma once
/// `access`: who can enter which account with which permission set, and how,
/// in the configuration or in the live directory.

#include <string>
#include <vector>

#include "compiler/access.h"
#include "operations/access_filter.h"
#include "operations/plan.h"

namespace gatehouse {

struct AccessRequest {
  ConfigRequest config;
  bool live = false;  ///< report the live directory instead of the config
  AccessFilter filter;
};

enum class AccessStage {
  kConfigInvalid,   ///< `planning.checked.diags`
  kPlanFailed,      ///< reading the live directory or planning failed: see `planning`
  kCompileInvalid,  ///< compiling the config failed: `planning.checked.diags` holds the compile errors too
  kFailed,          ///< `problem` (a filter names something unknown)
  kDone,
};

struct AccessResult {
  AccessStage stage = AccessStage::kConfigInvalid;
  /// The checked config, and the plan when the live directory was read (--live,
  /// or discovered accounts).
  PlanResult planning;
  Problem problem;
  std::string source;  ///< "configuration" or "live directory"
  std::vector<AccessEntry> entries;
  std::vector<ApplicationAccessEntry> application_entries;
};

AccessResult RunAccess(const AccessRequest& req);

/// The state `access` and `who-can` report on, for a checked config
/// (`planning->checked`): the compiled config, or with `live` (or discovered
/// accounts) what planning against the configured target reads. False with
/// *stage set (kPlanFailed, kCompileInvalid) on failure.
bool ReportedState(const std::string& today, bool live, PlanResult* planning, AccessStage* stage,
                   DirectoryState* state);

}  // namespace gatehouse
