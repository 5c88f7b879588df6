#pragma once
/// A target is where the live directory lives: the embedded local file, AWS IAM
/// Identity Center, or a SCIM service provider. All are used through this one
/// interface: read a snapshot, apply one operation.

#include <memory>
#include <string>

#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse {

/// What the config's `target:` says, after CLI overrides (--target, --profile).
struct TargetSpec {
  std::string type = "local";  ///< local | aws
  std::string path;            ///< local: directory file
  std::string region;
  std::string instance_arn;
  std::string identity_store_id;
  std::string endpoint_url;  ///< override; http:// only for loopback
  std::string profile;       ///< --profile
  bool discover_accounts = false;
  /// Set only by `import`: find the accounts from the target itself (AWS:
  /// ListAccountsForProvisionedPermissionSet, named from Organizations when
  /// readable, else by id; local: the accounts its assignments use). Planning
  /// never sets it: a config that declares no account reads none.
  bool find_accounts_in_identity_center = false;
  std::string environment_tag = "Environment";
  std::string scim_url;        ///< users_and_groups.scim.url
  std::string scim_token_env;  ///< env var holding the bearer token
  double requests_per_second = 20;
};

/// The account the credentials belong to and the organization's management
/// account; "" = unknown.
struct AdminIdentity {
  std::string caller_account;
  std::string management_account;
};

/// The outcome of one operation.
struct OpResult {
  bool ok = true;
  std::string error;  ///< user-facing, never contains secrets
};

class Target {
 public:
  virtual ~Target() = default;
  /// Reads the whole live directory. `accounts_hint` are the accounts the
  /// config declares (targets that cannot discover accounts use them).
  virtual bool Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) = 0;
  /// Reads the slice `scope` of the live directory (scoped plans) with
  /// targeted calls where the target can; `out` may hold more than the slice
  /// (the caller restricts it). `accounts_hint` holds the slice's accounts.
  /// Default: the full Read.
  virtual bool ReadScope(const Scope& scope, const std::map<std::string, Account>& accounts_hint, DirectoryState* out,
                         std::string* err) {
    (void)scope;
    return Read(accounts_hint, out, err);
  }
  /// Takes the apply lock; false with a clear message when another apply holds it.
  virtual bool Lock(std::string* err) = 0;
  virtual void Unlock() = 0;
  /// After Lock: what taking the lock found, e.g. a lock left by an apply that
  /// was killed, now taken over ("" when nothing to say).
  virtual std::string LockNote() const { return ""; }
  /// Applies one operation. Must be safe to call from several threads at once.
  /// Idempotent where the service allows: creating what exists or deleting what
  /// is gone succeeds, so a rerun after a crash converges.
  virtual OpResult Apply(const Operation& op) = 0;
  /// Called once after all operations ran (local: write the file).
  virtual bool Commit(std::string* err) {
    (void)err;
    return true;
  }
  virtual std::string Describe() const = 0;  ///< "local directory .gatehouse/directory.json"
  /// Who administers: the credentials' account and the organization's
  /// management account. Empty (unknown) when the target cannot tell (local,
  /// SCIM) or the calls are refused; planning then checks delegation only when
  /// the config says `settings.delegated_admin: true`.
  virtual AdminIdentity Administrator() { return {}; }
  /// Whether applying a plan may create an application. AWS cannot (SAML
  /// applications are made in the console), so planning refuses a declared
  /// application that is not there; the local directory creates it.
  virtual bool CreatesApplications() const { return false; }
};

}  // namespace gatehouse
