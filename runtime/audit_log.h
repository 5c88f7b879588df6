#pragma once
/// The audit log: every executed operation appended as one JSON line
/// (time, operation, object, outcome). Never holds secrets.

#include <functional>
#include <mutex>
#include <string>

#include "compiler/plan.h"
#include "runtime/executor.h"

namespace gatehouse {

class AuditLog {
 public:
  /// `now` gives the time as ISO-8601 UTC; injectable for tests.
  AuditLog(std::string path, std::string target, std::function<std::string()> now);
  /// Appends one line; false with `err` when the file cannot be written.
  bool Record(const Operation& op, const OperationReport& report, std::string* err);
  const std::string& path() const { return path_; }

 private:
  std::string path_, target_;
  std::function<std::string()> now_;
  std::mutex mu_;
};

/// The current UTC time as 2026-11-28T10:04:52Z.
std::string UtcNow();

}  // namespace gatehouse
