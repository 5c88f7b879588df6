#pragma once
/// The configuration as declared: what the YAML files say, with the source span
/// of every value that a later stage may need to point at. Produced by the
/// config loader (config_loader.h), checked by check.h, compiled by compile.h.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/diagnostics.h"
#include "compiler/model.h"
#include "compiler/yaml_tree.h"

namespace gatehouse {

/// A value with the place it was written.
template <class T>
struct Located {
  T value{};
  SourceSpan span;
};

/// `target:` — where the live directory is.
struct TargetConfig {
  std::string type = "local";  ///< local | aws
  std::string path;            ///< local: directory file (relative to the config dir)
  std::string region;
  std::string instance_arn;
  std::string identity_store_id;
  std::string endpoint_url;
  std::string scim_url;
  std::string scim_token_env;
  SourceSpan span;
};

struct Settings {
  bool external_identity = false;  ///< identity_source: external
  bool additive = false;           ///< mode: additive
  std::vector<std::string> ignore_permission_sets;
  std::vector<std::string> ignore_groups;
  std::vector<std::string> ignore_users;
  bool discover_accounts = false;
  /// The credentials are a delegated administrator's (a member account): plan
  /// refuses changes in the management account (compiler/delegation.h).
  bool delegated_admin = false;
  std::string environment_tag = "Environment";
  long max_deletes = 25;
  /// `evidence.cloudtrail`: the default event sources of `review` and `drift`
  /// (`lookup`, `none` or a path, relative paths from the config directory).
  std::vector<Located<std::string>> evidence_cloudtrail;
  bool has_evidence_cloudtrail = false;
  SourceSpan span;
};

struct AccountDecl {
  Account account;
  SourceSpan span, id_span, name_span;
};

struct UserDecl {
  User user;
  SourceSpan span, name_span;
};

struct GroupDecl {
  Group group;
  std::vector<Located<std::string>> members;
  bool has_members = false;
  SourceSpan span, name_span;
};

/// An identity policy document (inline or from inline_policy_file) with the YAML/JSON
/// tree it came from, so findings can point at a statement's line.
struct PolicySource {
  std::string json;  ///< canonical compact JSON
  YamlNode node;     ///< the document as written
};

struct PermissionSetDecl {
  PermissionSet ps;
  bool privileged = false;
  std::optional<PolicySource> inline_policy;
  SourceSpan span, name_span, session_span, inline_span, boundary_span, privileged_span;
  std::vector<Located<std::string>> managed_policy_refs;  ///< as written
  /// Documents of customer managed policies given by `document_file`: only so that
  /// lint and who-can can analyse them; never sent to AWS, never compared.
  std::map<CustomerManagedPolicy, PolicySource> customer_policy_documents;
  /// The document of a customer managed permissions boundary (`document_file`).
  std::optional<PolicySource> boundary_document;
};

/// `accounts:` of an assignment: an explicit list, or a selector whose keys AND.
struct AccountSelector {
  bool is_list = false;
  std::vector<Located<std::string>> refs;  ///< names or ids, when is_list
  std::optional<std::string> environment;
  std::optional<std::string> ou;  ///< glob: `*` one level, `**` any depth
  Tags tags;
  std::optional<std::string> name;  ///< glob
  bool all = false;
  SourceSpan span;
};

/// `applications:` — an application of the instance, by name or by arn.
struct ApplicationDecl {
  std::string name;  ///< "" when declared by arn
  std::string arn;   ///< "" when declared by name
  std::optional<bool> assignment_required;
  SourceSpan span, ref_span;
  SourceSpan required_span;  ///< assignment_required's value, when given
  const std::string& ref() const { return arn.empty() ? name : arn; }
};

/// An assignment grants `permission_set` on `accounts`, or the use of `application`.
struct AssignmentDecl {
  PrincipalType principal_type = PrincipalType::kGroup;
  Located<std::string> principal;
  Located<std::string> permission_set;
  AccountSelector accounts;
  std::optional<Located<std::string>> application;  ///< name or arn of a declared application
  std::optional<Located<std::string>> expires;      ///< YYYY-MM-DD
  std::string reason;
  SourceSpan span;
};

/// `policy.rules.ID`: a level alone or a map with `level` and parameters.
struct RuleConfig {
  std::string level;  ///< error | warning | note | off; "" = the rule's default
  YamlNode node;      ///< the whole value, for rule parameters
  SourceSpan span;
};

struct RuleException {
  std::string rule;
  std::string target;
  std::string reason;
  std::string expires;  ///< YYYY-MM-DD
  SourceSpan span, rule_span, expires_span;
};

struct PolicyConfig {
  std::vector<Located<std::string>> break_glass_groups;
  std::map<std::string, RuleConfig> rules;
  std::vector<RuleException> exceptions;
  SourceSpan span;
};

struct Config {
  std::optional<TargetConfig> target;
  Settings settings;
  std::vector<AccountDecl> accounts;
  std::vector<UserDecl> users;
  std::vector<GroupDecl> groups;
  std::vector<PermissionSetDecl> permission_sets;
  std::vector<AssignmentDecl> assignments;
  std::vector<ApplicationDecl> applications;
  PolicyConfig policy;
  bool has_settings = false, has_policy = false;
};

}  // namespace gatehouse
