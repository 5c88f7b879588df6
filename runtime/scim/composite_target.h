#pragma once
/// A main target (local or aws) with users, groups and memberships kept in a
/// SCIM service provider (`target.users_and_groups.scim`).
///
/// Routing by ObjectKind:
/// - user, group, membership → the SCIM target;
/// - permission_set, assignment → the main target.
/// Read merges both: users, groups and memberships from SCIM, the rest from
/// the main target (group descriptions, which SCIM's core Group lacks, from the
/// main target when it has them).
///
/// Assignments name principals the main target must know:
/// - with `mirror_principals` (the local main target, which resolves principals
///   from its own file) users and groups are also written to the main target
///   (create/update as upserts, deletes), and before an assignment is created its
///   principal is copied there from the SCIM snapshot, so a user made out of
///   band in SCIM can still be assigned. Memberships stay in SCIM only: the
///   local target needs no membership to assign a group.
/// - without it (aws: Identity Center's SCIM endpoint writes the very identity
///   store the aws target reads) nothing is mirrored.

#include <memory>
#include <mutex>
#include <set>

#include "runtime/target.h"

namespace gatehouse::scim {

class CompositeTarget : public Target {
 public:
  CompositeTarget(std::unique_ptr<Target> main, std::unique_ptr<Target> users_and_groups, bool mirror_principals);

  bool Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) override;
  /// Both parts read their slice: the SCIM target users, groups and
  /// memberships, the main target the rest.
  bool ReadScope(const Scope& scope, const std::map<std::string, Account>& accounts_hint, DirectoryState* out,
                 std::string* err) override;
  /// Locks the main target (which guards the whole apply); SCIM has no lock.
  bool Lock(std::string* err) override;
  void Unlock() override;
  std::string LockNote() const override { return main_->LockNote(); }
  OpResult Apply(const Operation& op) override;
  bool Commit(std::string* err) override;
  std::string Describe() const override;
  bool CreatesApplications() const override { return main_->CreatesApplications(); }

 private:
  /// The main target's state with users, groups and memberships from SCIM; keeps the snapshot.
  void Merge(DirectoryState main, DirectoryState scim, DirectoryState* out);
  /// Copies the principal of an assignment to the main target (mirror mode).
  OpResult MirrorPrincipal(PrincipalType type, const std::string& principal);

  std::unique_ptr<Target> main_;
  std::unique_ptr<Target> users_and_groups_;
  bool mirror_principals_;
  std::mutex mu_;
  DirectoryState snapshot_;         ///< SCIM users and groups at the last Read
  std::set<std::string> mirrored_;  ///< "user:alice", "group:Admins" already upserted
};

}  // namespace gatehouse::scim
