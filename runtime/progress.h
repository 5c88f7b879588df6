#pragma once
/// The apply's progress line on a terminal: "applying: 12/40 operations,
/// 3.1/s, ETA 9s", rewritten in place after each operation, ended by a
/// newline. Logs and pipes get nothing, so their output stays plain.

#include <chrono>
#include <functional>
#include <memory>
#include <ostream>

#include "runtime/executor.h"

namespace gatehouse {

class TerminalProgress : public ProgressObserver {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  /// `now` is injectable for tests; null means the steady clock.
  explicit TerminalProgress(std::ostream& out, Clock now = nullptr);

  void OnStart(size_t total) override;
  void OnProgress(size_t done, size_t total) override;
  void OnFinish(size_t done, size_t total) override;

 private:
  std::ostream& out_;
  Clock now_;
  std::chrono::steady_clock::time_point start_{};
};

/// A TerminalProgress on stderr when stderr is a terminal, else null.
std::unique_ptr<ProgressObserver> StderrProgress();

}  // namespace gatehouse
