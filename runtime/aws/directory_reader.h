#pragma once
/// Reads the live directory of an Identity Center instance in bulk. Phases,
/// each run in parallel under the per-family rate limiters (call counts in
/// README.md):
///   1. users, groups, permission set ARNs, applications, accounts;
///   2. memberships per group, six reads per permission set, two provisioning
///      lists per account, two reads per application;
///   3. assignments, by (account, provisioned set) pair or by principal.

#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "compiler/model.h"
#include "runtime/aws/json_client.h"

namespace gatehouse::aws {

/// What a read covers.
struct ReadScope {
  std::string instance_arn;
  std::string identity_store_id;
  bool discover_accounts = false;  ///< from Organizations, else the hint
  /// import: the accounts sets are provisioned to, with names from
  /// Organizations when readable, else named by id (TargetSpec).
  bool find_accounts_in_identity_center = false;
  std::string environment_tag = "Environment";
  size_t parallelism = 8;
};

/// The ids a read saw, id → name, to seed the name → id caches of apply.
struct LiveIds {
  std::map<std::string, std::string> users;         ///< UserId → user name
  std::map<std::string, std::string> groups;        ///< GroupId → group name
  std::map<std::string, std::string> sets;          ///< permission set ARN → name
  std::map<std::string, std::string> applications;  ///< application ARN → name
};

/// A user from DescribeUser / ListUsers JSON.
User UserFrom(const nlohmann::json& j);

/// Collects the first error of parallel tasks.
class FirstError {
 public:
  /// Keeps `e` when it is the first; always false, so tasks can return it.
  bool Fail(const AwsError& e);
  const AwsError& error() const { return error_; }

 private:
  std::mutex mu_;
  bool set_ = false;
  AwsError error_;
};

class DirectoryReader {
 public:
  DirectoryReader(JsonClient* client, ReadScope scope);

  /// False with `err` ("cannot read the live directory: …") when a call fails.
  bool Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, LiveIds* ids, std::string* err);

 private:
  friend class ScopedReader;  // reads a slice with the same per-set calls (scoped_reader.h)
  using Tasks = std::vector<std::function<bool()>>;
  using Provisioned = std::map<std::string, std::set<std::string>>;

  bool RunPhase(const Tasks& tasks) const;
  nlohmann::json Store() const;     ///< {"IdentityStoreId": ...}
  nlohmann::json Instance() const;  ///< {"InstanceArn": ...}
  /// CallAll that records a failure in `first`.
  bool ListAll(FirstError* first, Service service, const std::string& operation, nlohmann::json body,
               const std::string& items_key, std::vector<nlohmann::json>* items);

  // Phase 1.
  Tasks ListTasks(const std::map<std::string, Account>& hint, DirectoryState* state, std::vector<nlohmann::json>* users,
                  std::vector<nlohmann::json>* groups, std::vector<nlohmann::json>* set_arns,
                  std::vector<nlohmann::json>* applications);
  static void AddPrincipals(const std::vector<nlohmann::json>& users, const std::vector<nlohmann::json>& groups,
                            DirectoryState* state, LiveIds* ids);
  // Phase 2.
  /// Each application's assignments and assignment_required (2 calls each).
  void AddApplicationTasks(const std::vector<nlohmann::json>& applications, DirectoryState* state, LiveIds* ids,
                           Tasks* tasks);
  void AddMembershipTasks(DirectoryState* state, const LiveIds& ids, Tasks* tasks);
  void AddPermissionSetTasks(PermissionSet* ps, Tasks* tasks);
  void AddBoundaryTask(PermissionSet* ps, Tasks* tasks);
  void AddProvisioningTasks(const std::map<std::string, Account>& accounts, Provisioned* provisioned,
                            Provisioned* outdated, Tasks* tasks);
  // Accounts (with discover_accounts or find_accounts_in_identity_center).
  /// Organizations refused with AccessDenied while finding accounts: they come
  /// from Identity Center after phase 1 (FindAccountsInIdentityCenter).
  bool OrganizationsDenied(const AwsError& e);
  bool FindAccountsInIdentityCenter(const std::vector<nlohmann::json>& set_arns, std::map<std::string, Account>* out,
                                    AwsError* err);
  bool ReadAccounts(const std::map<std::string, Account>& hint, std::map<std::string, Account>* out, AwsError* err);
  void AddOuLevelTasks(const std::vector<std::pair<std::string, std::string>>& level,
                       std::vector<std::pair<std::string, std::string>>* next, std::map<std::string, Account>* out,
                       FirstError* first, Tasks* tasks);
  void AddAccountTagTasks(std::map<std::string, Account>* accounts, FirstError* first, Tasks* tasks);
  // Phase 3.
  bool ReadAssignments(DirectoryState* state, const LiveIds& ids, const Provisioned& provisioned, AwsError* err);
  bool ReadAssignmentsByPrincipal(const LiveIds& ids, const std::function<void(const nlohmann::json&)>& add);
  bool ReadAssignmentsByPair(const LiveIds& ids, const Provisioned& provisioned,
                             const std::function<void(const nlohmann::json&)>& add, AwsError* err);

  JsonClient* client_;
  ReadScope scope_;
  FirstError first_;  ///< phases 1 and 2
  bool organizations_denied_ = false;
  std::mutex mu_;  ///< guards what parallel tasks add to shared results
};

}  // namespace gatehouse::aws
