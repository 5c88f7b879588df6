#pragma once
/// `who-can ACTION`: who can perform an action, on which accounts, through which
/// permission set and which statement (WHO-CAN.md), in the configuration or in
/// the live directory (read through the configured target, as `access --live`).

#include <string>

#include "compiler/who_can.h"
#include "operations/access.h"

namespace gatehouse {

struct WhoCanRequest {
  ConfigRequest config;
  bool live = false;  ///< answer from the live directory instead of the config
  WhoCanQuery query;
  /// Classify the sets that grant the action (text and Markdown put privileged
  /// grants first; JSON and CSV give the class): one analysis per granting set.
  bool classify = true;
};

struct WhoCanReport {
  /// kConfigInvalid, kPlanFailed, kCompileInvalid as for `access`; kFailed:
  /// `problem` (an unknown action, with did-you-mean, or an unknown account).
  AccessStage stage = AccessStage::kConfigInvalid;
  PlanResult planning;  ///< the checked config, and the plan when the live directory was read
  Problem problem;
  std::string source;  ///< "configuration" or "live directory"
  WhoCanResult answer;
};

/// Customer managed policies (and boundaries) are analysed with the documents the
/// config gives (document_file), also with `live`: Gatehouse does not read
/// policy documents from member accounts.
WhoCanReport RunWhoCan(const WhoCanRequest& req);

}  // namespace gatehouse
