#pragma once
/// The embedded local directory: a JSON file that behaves like Identity Center
/// (UUID user/group ids, permission set ARNs, provisioning, a set cannot be
/// deleted while assigned, a group cannot have a member that does not exist).
/// Written atomically; locked for the whole apply.

#include <functional>
#include <mutex>
#include <unordered_map>

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
  std::string LockNote() const override { return lock_note_; }
  OpResult Apply(const Operation& op) override;
  bool Commit(std::string* err) override;
  std::string Describe() const override { return "local directory " + path_; }
  /// The local directory stands in for the console: a declared application is created.
  bool CreatesApplications() const override { return true; }

  /// import: Read adds the accounts the assignments use (named by id) to the hint.
  void set_find_accounts(bool on) { find_accounts_ = on; }

  /// Marks a permission set out of date on its accounts, as an out-of-band
  /// policy edit in AWS would (for tests of drift).
  bool MarkOutdated(const std::string& permission_set, std::string* err);

 private:
  bool LoadLocked(std::string* err);
  /// Frees the document and its indices; the next use loads the file again.
  void Unload();
  /// The read-only fast path (directory_snapshot.h); false: read the ordinary way.
  bool ReadSnapshot(const std::map<std::string, Account>& accounts_hint, DirectoryState* out);
  OpResult ApplyLocked(const Operation& op);
  /// Users and groups: upsert on create, delete with their memberships.
  OpResult ApplyPrincipal(const Operation& op);
  OpResult ApplyMembership(const Operation& op);
  OpResult ApplyPermissionSet(const Operation& op);
  OpResult ApplyAssignment(const Operation& op);
  // Applications (local_applications.cc).
  OpResult ApplyApplication(const Operation& op);
  OpResult ApplyApplicationAssignment(const Operation& op);
  void IndexApplications();
  nlohmann::json* Principal(PrincipalType type, const std::string& name);
  /// Removes the memberships whose `field` ("user_id", "group_id") is `id`.
  void DropMemberships(const char* field, const nlohmann::json& id);
  void BuildIndex();
  /// Removed entries become null (tombstones) so indices stay valid; Commit drops them.
  void Remove(const char* list, std::unordered_map<std::string, size_t>* index, const std::string& key);
  nlohmann::json* Lookup(const char* list, const std::unordered_map<std::string, size_t>& index,
                         const std::string& key);
  // Indices into doc_'s arrays, by lowercase name (users, groups), name (sets),
  // and composite keys (memberships, assignments).
  std::unordered_map<std::string, size_t> users_, groups_, sets_, members_, assigns_;
  std::unordered_map<std::string, size_t> apps_, app_assigns_;  ///< by name; by principal id|application arn
  std::string path_;
  std::function<std::string()> new_id_;
  std::mutex mu_;
  nlohmann::json doc_;
  bool loaded_ = false;
  bool modified_ = false;  ///< doc_ holds changes (Apply, MarkOutdated): never unloaded
  bool find_accounts_ = false;
  int lock_fd_ = -1;
  std::string lock_note_;
};

}  // namespace gatehouse
