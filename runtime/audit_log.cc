#include "runtime/audit_log.h"

#include <fcntl.h>
#include <unistd.h>

#include <filesystem>

#include <nlohmann/json.hpp>

#include "runtime/clock.h"

namespace gatehouse {

std::string UtcNow() { return UtcNow("%Y-%m-%dT%H:%M:%SZ"); }

AuditLog::AuditLog(std::string path, std::string target, std::function<std::string()> now)
    : path_(std::move(path)), target_(std::move(target)), now_(now ? std::move(now) : [] { return UtcNow(); }) {}

bool AuditLog::Record(const Operation& op, const OperationReport& report, std::string* err) {
  nlohmann::json line = {{"time", now_()},
                         {"target", target_},
                         {"operation", ActionName(op.action)},
                         {"kind", ObjectKindName(op.kind)},
                         {"object", op.name},
                         {"outcome", OutcomeName(report.outcome)}};
  if (!report.error.empty()) line["error"] = report.error;
  std::string text = line.dump() + "\n";
  std::lock_guard<std::mutex> g(mu_);
  std::error_code ec;
  std::filesystem::path p(path_);
  if (p.has_parent_path()) std::filesystem::create_directories(p.parent_path(), ec);
  // O_APPEND: each line lands whole at the end even with concurrent writers.
  int fd = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (fd < 0) {
    *err = "cannot open audit log " + path_;
    return false;
  }
  bool ok = ::write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  ::close(fd);
  if (!ok) *err = "cannot write audit log " + path_;
  return ok;
}

}  // namespace gatehouse
