#pragma once
/// The `aws` target: IAM Identity Center (Identity Store + SSO Admin) and
/// Organizations, read in bulk and changed one operation at a time.
/// Apply is thread-safe and idempotent (see README.md).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <semaphore>
#include <set>
#include <string>

#include "runtime/aws/directory_reader.h"
#include "runtime/aws/json_client.h"
#include "runtime/aws/status_poller.h"
#include "runtime/net/credentials.h"
#include "runtime/net/environment.h"
#include "runtime/net/http_client.h"
#include "runtime/net/id_cache.h"
#include "runtime/target.h"

namespace gatehouse::aws {

/// Builds the AWS target: checks the spec, resolves credentials once (errors
/// name the profile or file, never a secret), validates the endpoint. Null
/// with `err` set on failure. When instance_arn / identity_store_id are empty
/// and the account has exactly one Identity Center instance, it is used.
/// The message for an answer of the wrong shape (a 200 whose JSON lacks or
/// mistypes a member the code reads), caught where the target meets its caller.
std::string UnexpectedAnswer(const std::exception& e);

std::unique_ptr<Target> MakeAwsTarget(const TargetSpec& spec, const net::Environment& env, std::string* err);

/// What every AWS client of a target spec needs: the spec with its region
/// resolved, the transport, the credentials and the JSON client's options.
struct AwsSession {
  TargetSpec spec;
  std::unique_ptr<net::HttpTransport> http;
  std::unique_ptr<net::CredentialProvider> creds;
  JsonClientOptions client_options;
};
/// Checks the spec (region, endpoints) and resolves the credentials once.
/// False with `err` (naming the profile or file, never a secret).
bool OpenAwsSession(const TargetSpec& spec, const net::Environment& env, AwsSession* out, std::string* err);

struct AwsTargetOptions {
  size_t read_parallelism = 8;
  std::chrono::milliseconds poll_initial{200};
  std::chrono::milliseconds poll_max{5'000};
  std::chrono::seconds poll_timeout{900};
  /// Assignment status scans wait this long after the latest new request so
  /// workers issuing more join the same scan (status_poller.h).
  std::chrono::milliseconds poll_quiet{30};
  int conflict_attempts = 10;  ///< create-or-lookup rounds on ConflictException
};

class AwsTarget : public Target {
 public:
  AwsTarget(TargetSpec spec, net::Environment env, std::unique_ptr<net::HttpTransport> http,
            std::unique_ptr<net::CredentialProvider> creds, JsonClientOptions client_options,
            AwsTargetOptions options = {});

  bool Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) override;
  /// Reads only the slice, with targeted calls (scoped_reader.h).
  bool ReadScope(const Scope& scope, const std::map<std::string, Account>& accounts_hint, DirectoryState* out,
                 std::string* err) override;
  bool Lock(std::string* err) override;
  void Unlock() override;
  std::string LockNote() const override { return lock_note_; }
  OpResult Apply(const Operation& op) override;
  std::string Describe() const override;
  /// STS GetCallerIdentity and Organizations DescribeOrganization (callable
  /// from any member account); a refused or failed call leaves its part empty.
  AdminIdentity Administrator() override;

  JsonClient& client() { return client_; }
  void set_instance(const std::string& instance_arn, const std::string& identity_store_id) {
    spec_.instance_arn = instance_arn;
    spec_.identity_store_id = identity_store_id;
  }
  /// Calls the last Read or ReadScope made (for the README formula and tests).
  size_t last_read_calls() const { return last_read_calls_; }
  /// Assignment status polling so far: List…Status pages and Describe…Status calls.
  size_t status_list_calls() const { return creation_poller_->list_calls() + deletion_poller_->list_calls(); }
  size_t status_describe_calls() const {
    return creation_poller_->describe_calls() + deletion_poller_->describe_calls();
  }

 private:
  /// The Identity Store API names of a principal kind.
  struct PrincipalApi {
    const char* noun;       ///< "User": GetUserId, CreateUser, UpdateUser, DeleteUser
    const char* id_field;   ///< "UserId"
    const char* attribute;  ///< "userName", the unique attribute GetUserId looks up
  };
  static const PrincipalApi& ApiFor(PrincipalType type);

  // Applying (aws_apply.cc).
  bool ApplyObject(const Operation& op, const Object& obj, AwsError* err);
  /// Users and groups: create-or-adopt, update, delete-if-present.
  bool ApplyPrincipal(const Operation& op, const Object& obj, AwsError* err);
  bool CreatePrincipal(PrincipalType type, const std::string& name, const nlohmann::json& fields, AwsError* err);
  bool ApplyMembership(Action action, const Membership& m, AwsError* err);
  bool CreatePermissionSet(const PermissionSet& ps, AwsError* err);
  bool UpdatePermissionSet(const PermissionSet& before, const PermissionSet& after, AwsError* err);
  bool DeletePermissionSet(const PermissionSet& ps, AwsError* err);
  bool ProvisionIfNeeded(const std::string& arn, bool outdated, AwsError* err);
  bool ApplyAssignment(Action action, const Assignment& a, AwsError* err);
  /// Waits for the assignment creations/deletions and provisionings listed
  /// IN_PROGRESS (a killed apply's), noting how many in lock_note_. False only
  /// when one of them does not finish within poll_timeout.
  bool WaitForInFlight(std::string* err);
  // Applications (application_apply.cc).
  bool ApplyApplication(const Operation& op, const Application& app, AwsError* err);
  bool ApplyApplicationAssignment(Action action, const ApplicationAssignment& a, AwsError* err);
  bool ApplicationArn(const std::string& name, std::string* arn, AwsError* err);
  bool PollStatus(const std::string& describe_op, const std::string& id_field, const std::string& request_id,
                  const std::string& status_field, nlohmann::json* status, AwsError* err);
  /// Runs `create` (conflicts not retried); on ConflictException asks
  /// `exists` and succeeds when the object is there already (a crashed or
  /// dropped earlier attempt), otherwise backs off and tries again.
  bool CreateOrAdopt(const std::function<bool(AwsError*)>& create,
                     const std::function<bool(bool* found, AwsError*)>& exists, AwsError* err);

  // Name → id resolution (aws_target.cc), filled by Read, completed on demand.
  bool PrincipalId(PrincipalType type, const std::string& name, std::string* id, AwsError* err);
  net::IdCache& PrincipalIds(PrincipalType type) { return type == PrincipalType::kUser ? user_ids_ : group_ids_; }
  bool PermissionSetArn(const std::string& name, std::string* arn, AwsError* err);
  bool FindPermissionSetArn(const std::string& name, std::string* arn, AwsError* err);

  nlohmann::json Instance() const;  ///< {"InstanceArn": ...}
  nlohmann::json Store() const;     ///< {"IdentityStoreId": ...}
  std::string CallerAccount();      ///< STS GetCallerIdentity's Account, "" on failure
  aws::ReadScope MakeReadScope() const;
  void RememberIds(const LiveIds& ids);  ///< seeds the name → id caches from a read

  TargetSpec spec_;
  net::Environment env_;
  std::unique_ptr<net::HttpTransport> http_;
  std::unique_ptr<net::CredentialProvider> creds_;
  JsonClient client_;
  AwsTargetOptions options_;

  net::IdCache user_ids_;     ///< user_name → UserId
  net::IdCache group_ids_;    ///< group name → GroupId
  net::IdCache set_arns_;     ///< permission set name → ARN
  net::IdCache app_arns_;     ///< application name → ARN
  std::mutex set_lookup_mu_;  ///< one full permission-set scan at a time

  // INVARIANT: at most 15 assignment creations and 3 provisionings are in
  // flight (service quotas; the 15 is not adjustable).
  std::counting_semaphore<64> creations_{15};
  std::counting_semaphore<8> provisionings_{3};
  // One shared status poller per kind of assignment request (status_poller.h).
  std::unique_ptr<StatusPoller> creation_poller_;
  std::unique_ptr<StatusPoller> deletion_poller_;

  size_t last_read_calls_ = 0;
  std::string lock_note_;
};

}  // namespace gatehouse::aws
