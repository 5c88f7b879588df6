#pragma once
/// Runs a plan against a target: operations in dependency order, independent
/// ones in parallel; a failed operation skips only its dependents
/// ("skipped, upstream failed" is its own outcome) and the rest goes on.

#include <functional>
#include <string>
#include <vector>

#include "compiler/plan.h"
#include "runtime/target.h"

namespace gatehouse {

enum class Outcome { kSucceeded, kFailed, kSkipped };
const char* OutcomeName(Outcome o);

struct OperationReport {
  size_t index = 0;
  Outcome outcome = Outcome::kSucceeded;
  std::string error;
};

struct ApplyReport {
  size_t succeeded = 0, failed = 0, skipped = 0;
  std::vector<OperationReport> operations;  ///< in completion order
  bool ok() const { return failed == 0 && skipped == 0; }
};

struct ExecutorOptions {
  int parallelism = 4;
  /// Called once per operation as it ends (from worker threads, serialized).
  std::function<void(const Operation&, const OperationReport&)> on_done;
};

/// The plan must be acyclic (TopologicalOrder); returns false with `err` otherwise.
bool Execute(const Plan& plan, Target& target, const ExecutorOptions& options, ApplyReport* report, std::string* err);

}  // namespace gatehouse
