#pragma once
/// The embedded local directory: a JSON file that behaves like Identity Center
/// (UUID user/group ids, permission set ARNs, provisioning, a set cannot be
/// deleted while assigned, a group cannot have a member that does not exist).
/// Written atomically; locked for the whole apply.

#include <functional>
#include <mutex>

#include <nlohmann/json.hpp>

#include "runtime/target.h"

namespace gatehouse {

class LocalTarget : public Target {
 public:
  /// `new_id` makes fresh random ids; tests inject a deterministic one.
  explicit LocalTarget(std::string path, std::function<std::string()> new_id = nullptr);
  ~LocalTarget() override;
  bool Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) override;
  bool Lock(std::string* err) override;
  void Unlock() override;
  OpResult Apply(const Operation& op) override;
  bool Commit(std::string* err) override;
  std::string Describe() const override { return "local directory " + path_; }

  /// Marks a permission set out of date on its accounts, as an out-of-band
  /// policy edit in AWS would (for tests of drift).
  bool MarkOutdated(const std::string& permission_set, std::string* err);

 private:
  bool LoadLocked(std::string* err);
  OpResult ApplyLocked(const Operation& op);
  std::string path_;
  std::function<std::string()> new_id_;
  std::mutex mu_;
  nlohmann::json doc_;
  bool loaded_ = false;
  int lock_fd_ = -1;
};

/// Writes `text` to `path` atomically: a temp file in the same folder, fsync, rename.
bool WriteFileAtomically(const std::string& path, const std::string& text, std::string* err);

}  // namespace gatehouse
