#include "runtime/progress.h"

#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace gatehouse {

TerminalProgress::TerminalProgress(std::ostream& out, Clock now)
    : out_(out), now_(now ? std::move(now) : Clock([] { return std::chrono::steady_clock::now(); })) {}

void TerminalProgress::OnStart(size_t total) {
  (void)total;
  start_ = now_();
}

void TerminalProgress::OnProgress(size_t done, size_t total) {
  double secs = std::chrono::duration<double>(now_() - start_).count();
  double rate = secs > 0 ? done / secs : 0;
  char line[160];
  if (total > 0 && rate > 0) {
    double eta = done < total ? (total - done) / rate : 0;
    std::snprintf(line, sizeof line, "\rapplying: %zu/%zu operations, %.1f/s, ETA %.0fs   ", done, total, rate, eta);
  } else {
    std::snprintf(line, sizeof line, "\rapplying: %zu operations, %.1f/s   ", done, rate);
  }
  out_ << line << std::flush;
}

void TerminalProgress::OnFinish(size_t done, size_t total) {
  (void)total;
  if (done > 0) out_ << "\n";
}

std::unique_ptr<ProgressObserver> StderrProgress() {
  if (!isatty(STDERR_FILENO)) return nullptr;
  return std::make_unique<TerminalProgress>(std::cerr);
}

}  // namespace gatehouse
