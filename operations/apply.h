#pragma once
/// `apply`: plans afresh (or takes a saved plan, refused when stale), guards
/// deletions, asks for confirmation through the caller, and runs the plan under
/// the target's lock, recording every operation in the audit log.

#include <functional>
#include <map>
#include <string>

#include "operations/plan.h"
#include "operations/problem.h"
#include "runtime/executor.h"

namespace gatehouse {

struct ApplyRequest {
  ConfigRequest config;
  std::string plan_path;  ///< --plan: apply this saved plan instead of a fresh one
  bool auto_approve = false;
  int parallelism = 16;
  long allow_deletes = -1;  ///< --allow-deletes: deletions allowed beyond guards.max_deletes
  std::string audit_path;   ///< "" for DIR/.gatehouse/audit.jsonl
};

/// The answer to "apply these changes?".
enum class Confirmation { kYes, kNo, kCannotAsk };

/// How apply talks to the person running it; the CLI supplies these, so the
/// operation never prints. Unset hooks are skipped (confirm: counts as kCannotAsk).
struct ApplyHooks {
  /// Planning ran (the plan's diagnostics can be shown before anything else).
  std::function<void(const PlanResult&)> planned;
  /// The plan about to be applied, shown before the question.
  std::function<void(const Plan&, const std::map<std::string, Account>& accounts)> show;
  /// Asked when neither --auto-approve nor --plan was given.
  std::function<Confirmation(const std::string& target)> confirm;
  /// Each operation as it ends (from worker threads, serialized).
  std::function<void(const Operation&, const OperationReport&)> done;
  /// Something went wrong that does not stop the apply (the audit log cannot be written).
  std::function<void(const std::string&)> warn;
  /// Progress of the executor (the CLI passes a terminal line on stderr, or none).
  ProgressObserver* progress = nullptr;
};

enum class ApplyStage {
  kConfigInvalid,  ///< `planning.checked.diags`
  kPlanInvalid,    ///< `planning.plan_diags`
  kFailed,         ///< `problem`
  kNoChanges,      ///< nothing to apply
  kCancelled,      ///< the person said no
  kApplied,        ///< ran; `report` says how each operation ended
};

struct ApplyResult {
  ApplyStage stage = ApplyStage::kConfigInvalid;
  PlanResult planning;
  Problem problem;
  ApplyReport report;
};

ApplyResult RunApply(const ApplyRequest& req, const ApplyHooks& hooks);

}  // namespace gatehouse
