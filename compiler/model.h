#pragma once
/// The directory model: the desired state a config compiles to and the live
/// state a target reads are the same plain values, so they can be compared with
/// `==`. Objects are keyed by their human names; service ids (user/group ids,
/// permission set ARNs) ride beside them and never take part in equality.

#include <map>
#include <optional>
#include <set>
#include <string>
#include <tuple>
#include <vector>

namespace gatehouse {

using Tags = std::map<std::string, std::string>;

struct User {
  std::string user_name;  ///< unique, case-insensitive in Identity Store
  std::string display_name;
  std::string given_name;
  std::string family_name;
  std::string email;  ///< empty when not set
  std::string id;     ///< live only: Identity Store UserId; not compared
  bool operator==(const User& o) const {
    return std::tie(user_name, display_name, given_name, family_name, email) ==
           std::tie(o.user_name, o.display_name, o.given_name, o.family_name, o.email);
  }
};

struct Group {
  std::string name;  ///< DisplayName in Identity Store
  std::string description;
  std::string id;  ///< live only: GroupId; not compared
  bool operator==(const Group& o) const { return std::tie(name, description) == std::tie(o.name, o.description); }
};

struct Membership {
  std::string group;
  std::string user;
  auto operator<=>(const Membership&) const = default;
};

struct CustomerManagedPolicy {
  std::string name;
  std::string path = "/";
  auto operator<=>(const CustomerManagedPolicy&) const = default;
};

/// Exactly one of the two is set.
struct PermissionsBoundary {
  std::string managed_policy_arn;
  std::optional<CustomerManagedPolicy> customer_managed_policy;
  bool operator==(const PermissionsBoundary&) const = default;
};

/// The session length of a permission set that does not set one (Identity Center's default).
inline constexpr char kDefaultSessionDuration[] = "PT1H";

struct PermissionSet {
  std::string name;  ///< 1-32 chars [\w+=,.@-]; immutable in AWS
  std::string description;
  std::string session_duration = kDefaultSessionDuration;  ///< ISO-8601, PT1H..PT12H
  std::string relay_state;
  std::set<std::string> managed_policies;  ///< full ARNs
  std::set<CustomerManagedPolicy> customer_managed_policies;
  std::string inline_policy;  ///< canonical JSON (sorted keys, compact), "" = none
  std::optional<PermissionsBoundary> permissions_boundary;
  Tags tags;
  std::string arn;  ///< live only; not compared
  /// Live only: accounts where the set is provisioned but out of date
  /// (LATEST_PERMISSION_SET_NOT_PROVISIONED). Not compared; diff reports it.
  std::set<std::string> outdated_accounts;
  bool operator==(const PermissionSet& o) const {
    return std::tie(name, description, session_duration, relay_state, managed_policies, customer_managed_policies,
                    inline_policy, permissions_boundary,
                    tags) == std::tie(o.name, o.description, o.session_duration, o.relay_state, o.managed_policies,
                                      o.customer_managed_policies, o.inline_policy, o.permissions_boundary, o.tags);
  }
};

struct Account {
  std::string id;  ///< 12 digits
  std::string name;
  std::string ou;  ///< OU path below Root, "" = Root
  std::string environment;
  Tags tags;
  bool operator==(const Account&) const = default;
};

enum class PrincipalType { kUser, kGroup };
const char* PrincipalTypeName(PrincipalType t);  ///< "USER" / "GROUP"

struct Assignment {
  PrincipalType principal_type = PrincipalType::kGroup;
  std::string principal;  ///< user_name or group name
  std::string permission_set;
  std::string account_id;
  auto operator<=>(const Assignment&) const = default;
};

/// An Identity Center application (SAML 2.0 / OAuth: Salesforce, Office 365,
/// a custom app), by its name in the instance. Gatehouse manages who may use
/// it; only the local directory creates one (AWS cannot create SAML apps).
struct Application {
  std::string name;
  /// PutApplicationAssignmentConfiguration: true = only assigned principals
  /// may use it. Desired: unset when the config leaves it alone; live: always set.
  std::optional<bool> assignment_required;
  std::string arn;  ///< live, or declared by arn: not compared
  bool operator==(const Application& o) const {
    return std::tie(name, assignment_required) == std::tie(o.name, o.assignment_required);
  }
};

/// A user or group allowed to use an application.
struct ApplicationAssignment {
  PrincipalType principal_type = PrincipalType::kGroup;
  std::string principal;    ///< user_name or group name
  std::string application;  ///< application name
  auto operator<=>(const ApplicationAssignment&) const = default;
};

/// A whole directory: what a config declares (desired) or what a target holds (live).
struct DirectoryState {
  std::map<std::string, User> users;    ///< by user_name
  std::map<std::string, Group> groups;  ///< by name
  std::set<Membership> memberships;
  std::map<std::string, PermissionSet> permission_sets;  ///< by name
  std::map<std::string, Account> accounts;               ///< by id
  std::set<Assignment> assignments;
  std::map<std::string, Application> applications;  ///< by name
  std::set<ApplicationAssignment> application_assignments;
  bool operator==(const DirectoryState&) const = default;
};

}  // namespace gatehouse
