#pragma once
/// The `scim` users-and-groups target: users, groups and memberships kept in a
/// SCIM 2.0 service provider (RFC 7643/7644), Identity Center's own SCIM
/// endpoint among them. Permission sets and assignments are not SCIM objects;
/// CompositeTarget (composite_target.h) pairs this with a main target.

#include <map>
#include <memory>
#include <mutex>
#include <optional>

#include "runtime/aws/environment.h"
#include "runtime/scim/scim_client.h"
#include "runtime/target.h"

namespace gatehouse::scim {

class ScimTarget : public Target {
 public:
  /// `transport` is owned; tests pass a fake.
  ScimTarget(ScimOptions options, std::unique_ptr<aws::HttpTransport> transport, aws::Environment env);

  /// Reads users, groups and memberships (and nothing else) in bulk: users and
  /// groups by list; memberships from each group's `members`, or, when the
  /// provider returns no members for any group (Identity Center), by listing
  /// users with `groups.value eq "<group id>"` per group.
  bool Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) override;
  bool Lock(std::string* err) override {
    (void)err;
    return true;
  }  ///< SCIM has no lock; the main target's guards the apply
  void Unlock() override {}
  /// Users: POST, PUT, DELETE; groups: POST, DELETE; memberships: PATCH on the
  /// group. A create answering 409 looks the object up and adopts it; a delete
  /// of what is gone succeeds.
  OpResult Apply(const Operation& op) override;
  std::string Describe() const override;

  /// PATCHes `user_ids` into (op "add") or out of (op "remove") a group, at most
  /// 100 per request (Identity Center's limit).
  OpResult PatchMembers(const std::string& group_id, const std::string& op, const std::vector<std::string>& user_ids);

  const ScimClient& client() const { return client_; }

 private:
  OpResult ApplyUser(const Operation& op);
  OpResult ApplyGroup(const Operation& op);
  OpResult ApplyMembership(const Operation& op);
  /// The id of a user/group by name: the cache from Read and creates, else a
  /// filtered list. nullopt with *err empty when it does not exist.
  std::optional<std::string> FindId(const std::string& resource, const std::string& name, std::string* err);
  void Remember(const std::string& resource, const std::string& name, const std::string& id);
  void Forget(const std::string& resource, const std::string& name);

  std::unique_ptr<aws::HttpTransport> transport_;
  ScimClient client_;
  std::mutex mu_;
  /// Lowercased userName / displayName → id, per resource ("Users", "Groups").
  std::map<std::string, std::map<std::string, std::string>> ids_;
};

/// Makes the SCIM target of `spec` (scim_url, scim_token_env): the token comes
/// from the variable named by scim_token_env (an unset one is an error naming
/// it; the token itself is never printed); https:// is required except for
/// loopback hosts.
std::unique_ptr<ScimTarget> MakeScimTarget(const TargetSpec& spec, const aws::Environment& env, std::string* err);

}  // namespace gatehouse::scim
