#pragma once
/// Reads one slice of an Identity Center directory (scoped plans, issue 15)
/// with targeted calls instead of the bulk read (call counts in README.md):
///   A. users and groups by name: GetUserId / GetGroupId + Describe…; set
///      ARNs: the sets a hint principal holds on a hint account
///      (ListAccountAssignmentsForPrincipal filtered by account, else the sets
///      provisioned to the account), intersected over the hints, described
///      until found (ListPermissionSets + Describe only as a fallback);
///   B. memberships by pair (GetGroupMembershipId) or, for a whole principal,
///      ListGroupMembershipsForMember / ListGroupMemberships; the six reads of
///      each set + its out-of-date accounts; assignments by (account, set) pair
///      (ListAccountAssignments), by principal for whole users and groups
///      (ListAccountAssignmentsForPrincipal), every pair of a whole set;
///   C. names of ids met in B that A did not resolve (Describe…).

#include <map>
#include <mutex>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "compiler/scope.h"
#include "runtime/aws/directory_reader.h"

namespace gatehouse::aws {

class ScopedReader {
 public:
  ScopedReader(JsonClient* client, ReadScope scope);

  /// Reads the slice; assignments only on `accounts` (the config's). False
  /// with `err` ("cannot read the live directory: …") when a call fails.
  bool Read(const Scope& slice, const std::map<std::string, Account>& accounts, DirectoryState* out, LiveIds* ids,
            std::string* err);

 private:
  using Tasks = std::vector<std::function<bool()>>;
  /// (account, set ARN, USER|GROUP, principal id) as listed.
  using RawAssignment = std::tuple<std::string, std::string, std::string, std::string>;

  bool Phase(const Tasks& tasks, std::string* err);
  bool Fail(const AwsError& e) { return bulk_.first_.Fail(e); }
  nlohmann::json Store() const;
  nlohmann::json Instance() const;

  // A.
  void AddPrincipalTask(PrincipalType type, const std::string& name, Tasks* tasks);
  bool FindSetArns(const Scope& slice, std::string* err);
  bool FindSetArn(const std::string& name, const std::vector<Assignment>& hints);
  /// The set ARNs `hint`'s principal holds on its account; `usable` false
  /// when the principal or its assignments there are gone (no constraint).
  bool HintArns(const Assignment& hint, std::set<std::string>* arns, bool* usable);
  bool ProvisionedTo(const std::string& account, std::set<std::string>* arns);
  /// DescribePermissionSet of `arn` (cached); the name into `name` ("" when gone).
  bool DescribeSet(const std::string& arn, std::string* name);
  bool ScanAllSets(const std::set<std::string>& wanted);
  // B.
  void AddMembershipTasks(const Scope& slice, Tasks* tasks);
  void AddWholePrincipalTasks(PrincipalType type, const std::string& name, Tasks* tasks);
  void AddSetTasks(const Scope& slice, std::vector<PermissionSet>* sets, Tasks* tasks);
  void AddPairTasks(const Scope& slice, Tasks* tasks);
  /// A principal's assignments of the slice's sets (ListAccountAssignmentsForPrincipal);
  /// false when refused (the caller falls back to the pairs).
  bool ListPrincipal(const std::string& type, const std::string& id);
  /// The (account, set) pair's assignments: of the slice's principals, or all of them.
  bool ListPair(const std::string& account, const std::string& arn, bool all_principals);
  // C.
  bool ResolveUnknown(std::string* err);
  void Build(const std::map<std::string, Account>& accounts, DirectoryState* out, LiveIds* ids);

  JsonClient* client_;
  ReadScope scope_;
  DirectoryReader bulk_;  ///< its per-set reads and first error
  std::mutex mu_;
  std::map<std::string, User> users_;                              ///< by name (found)
  std::map<std::string, Group> groups_;                            ///< by name (found)
  std::map<std::string, std::string> user_names_;                  ///< UserId → name
  std::map<std::string, std::string> group_names_;                 ///< GroupId → name
  std::map<std::string, std::string> set_names_;                   ///< ARN → name ("" = gone), every ARN described
  std::map<std::string, std::string> set_arns_;                    ///< name → ARN, the slice's sets found
  std::map<std::string, std::set<std::string>> provisioned_to_;    ///< account → set ARNs (listed)
  std::set<std::pair<std::string, std::string>> raw_memberships_;  ///< (GroupId, UserId)
  std::set<RawAssignment> raw_assignments_;
  std::vector<PermissionSet> sets_;
};

}  // namespace gatehouse::aws
