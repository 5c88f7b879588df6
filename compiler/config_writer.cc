#include "compiler/config_writer.h"

#include <nlohmann/json.hpp>

#include <cctype>
#include <map>
#include <sstream>
#include <string_view>

namespace gatehouse {

std::string YamlScalar(const std::string& s) {
  bool plain = !s.empty() && s.find_first_of(":#{}[],&*!|>'\"%@`\n\t") == std::string::npos && s.front() != ' ' &&
               s.back() != ' ' && s.front() != '-' && s.front() != '?';
  // Words YAML 1.1/1.2 resolve to null, booleans or special floats, in any case
  // (NULL, Yes, OFF...): plain, they would not read back as the same string.
  std::string lower = s;
  for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  static const char* kTyped[] = {"true", "false", "yes", "no",   "on",    "off",   "y",
                                 "n",    "null",  "~",   ".inf", "-.inf", "+.inf", ".nan"};
  for (const char* t : kTyped)
    if (lower == t) plain = false;
  if (plain && s.find_first_not_of("0123456789.+-eE_:") == std::string::npos) plain = false;
  if (plain) return s;
  return nlohmann::json(s).dump();  // a JSON string is a valid double-quoted YAML scalar
}

namespace {

std::string PolicyYaml(const nlohmann::json& j, int indent) {
  // JSON is YAML: the flow style keeps the document exactly.
  (void)indent;
  return j.dump();
}

std::string ManagedRef(const std::string& arn) {
  const std::string prefix = "arn:aws:iam::aws:policy/";
  return arn.rfind(prefix, 0) == 0 ? arn.substr(prefix.size()) : arn;
}

std::string FlowList(const std::vector<std::string>& v) {
  std::string out = "[";
  for (size_t i = 0; i < v.size(); ++i) out += (i ? ", " : "") + YamlScalar(v[i]);
  return out + "]";
}

}  // namespace

std::string RenderSettingsYaml(const Settings& s) {
  const Settings def;
  std::ostringstream o;
  if (s.external_identity) o << "  identity_source: external\n";
  if (s.additive) o << "  mode: additive\n";
  if (!s.ignore_permission_sets.empty() || !s.ignore_groups.empty() || !s.ignore_users.empty()) {
    o << "  ignore:\n";
    if (!s.ignore_permission_sets.empty()) o << "    permission_sets: " << FlowList(s.ignore_permission_sets) << "\n";
    if (!s.ignore_groups.empty()) o << "    groups: " << FlowList(s.ignore_groups) << "\n";
    if (!s.ignore_users.empty()) o << "    users: " << FlowList(s.ignore_users) << "\n";
  }
  if (s.discover_accounts) o << "  discover_accounts: true\n";
  if (s.delegated_admin) o << "  delegated_admin: true\n";
  if (s.environment_tag != def.environment_tag) o << "  environment_tag: " << YamlScalar(s.environment_tag) << "\n";
  if (s.max_deletes != def.max_deletes) o << "  guards:\n    max_deletes: " << s.max_deletes << "\n";
  std::string body = o.str();
  return body.empty() ? "" : "settings:\n" + body;
}

namespace {

/// A target value: plain when YAML reads it back as the same string (ids, ARNs
/// and URLs have a ':' but no ": "), else quoted (a path with " #", a value
/// that starts with an indicator or looks like a number or a boolean).
std::string TargetValue(const std::string& s) {
  bool plain = !s.empty() && s.find(": ") == std::string::npos && s.find(" #") == std::string::npos &&
               s.find_first_of("\n\t\r") == std::string::npos && s.back() != ':' && s.back() != ' ' &&
               std::string_view("-?:,[]{}#&*!|>'\"%@` ").find(s.front()) == std::string_view::npos;
  return plain && YamlScalar(s.substr(0, s.find(':'))) == s.substr(0, s.find(':')) ? s : YamlScalar(s);
}

}  // namespace

std::string RenderTargetYaml(const TargetConfig& t) {
  std::string y = "target:\n  type: " + TargetValue(t.type) + "\n";
  if (t.type == "aws") {
    y += "  region: " + TargetValue(t.region) + "\n";
    if (!t.instance_arn.empty()) y += "  instance_arn: " + TargetValue(t.instance_arn) + "\n";
    if (!t.identity_store_id.empty()) y += "  identity_store_id: " + TargetValue(t.identity_store_id) + "\n";
    if (!t.endpoint_url.empty()) y += "  endpoint_url: " + TargetValue(t.endpoint_url) + "\n";
  } else {
    y += "  path: " + TargetValue(t.path) + "\n";
  }
  if (!t.scim_url.empty()) {
    y += "  users_and_groups:\n    scim:\n      url: " + TargetValue(t.scim_url) + "\n";
    if (!t.scim_token_env.empty()) y += "      token_env: " + TargetValue(t.scim_token_env) + "\n";
  }
  return y;
}

namespace {

const char* kHeader = "# Written by 'gatehouse import'. Edit freely: this is now the source of truth.\n";

std::string AccountsYaml(const DirectoryState& s) {
  std::ostringstream a;
  a << kHeader;
  bool named_by_id = false;
  for (const auto& [id, acc] : s.accounts) named_by_id |= acc.name == id;
  if (named_by_id)
    a << "# Some accounts are named by their id: their names, OUs and tags were not readable\n"
         "# (AWS Organizations was not readable with the import's credentials, or the target\n"
         "# knows accounts only by id). Rename them freely: assignments refer to accounts by id.\n";
  a << "accounts:\n";
  for (const auto& [id, acc] : s.accounts) {
    a << "  - id: \"" << id << "\"\n    name: " << YamlScalar(acc.name) << "\n";
    if (!acc.ou.empty()) a << "    ou: " << YamlScalar(acc.ou) << "\n";
    if (!acc.environment.empty()) a << "    environment: " << YamlScalar(acc.environment) << "\n";
    if (!acc.tags.empty()) {
      a << "    tags:\n";
      for (const auto& [k, v] : acc.tags) a << "      " << YamlScalar(k) << ": " << YamlScalar(v) << "\n";
    }
  }
  if (s.accounts.empty()) a << "  []\n";
  return a.str();
}

std::string UsersYaml(const DirectoryState& s) {
  std::ostringstream u;
  u << kHeader << "users:" << (s.users.empty() ? " []" : "") << "\n";
  for (const auto& [name, user] : s.users) {
    u << "  - user_name: " << YamlScalar(user.user_name) << "\n";
    u << "    display_name: " << YamlScalar(user.display_name) << "\n";
    if (!user.given_name.empty()) u << "    given_name: " << YamlScalar(user.given_name) << "\n";
    if (!user.family_name.empty()) u << "    family_name: " << YamlScalar(user.family_name) << "\n";
    if (!user.email.empty()) u << "    email: " << YamlScalar(user.email) << "\n";
  }
  return u.str();
}

std::string GroupsYaml(const DirectoryState& s) {
  std::map<std::string, std::vector<std::string>> members;
  for (const auto& m : s.memberships) members[m.group].push_back(m.user);
  std::ostringstream g;
  g << kHeader << "groups:" << (s.groups.empty() ? " []" : "") << "\n";
  for (const auto& [name, group] : s.groups) {
    g << "  - name: " << YamlScalar(group.name) << "\n";
    if (!group.description.empty()) g << "    description: " << YamlScalar(group.description) << "\n";
    auto it = members.find(name);
    if (it != members.end()) {
      g << "    members:\n";
      for (const auto& m : it->second) g << "      - " << YamlScalar(m) << "\n";
    }
  }
  return g.str();
}

/// The policies of a permission set: managed, customer managed, inline, boundary.
void PoliciesYaml(const PermissionSet& ps, std::ostringstream& p) {
  if (!ps.managed_policies.empty()) {
    p << "    managed_policies:\n";
    for (const auto& arn : ps.managed_policies) p << "      - " << YamlScalar(ManagedRef(arn)) << "\n";
  }
  if (!ps.customer_managed_policies.empty()) {
    p << "    customer_managed_policies:\n";
    for (const auto& c : ps.customer_managed_policies)
      p << "      - {name: " << YamlScalar(c.name) << ", path: " << YamlScalar(c.path) << "}\n";
  }
  if (!ps.inline_policy.empty()) {
    auto doc = nlohmann::json::parse(ps.inline_policy, nullptr, false);
    if (!doc.is_discarded()) p << "    inline_policy: " << PolicyYaml(doc, 6) << "\n";
  }
  if (ps.permissions_boundary) {
    const auto& b = *ps.permissions_boundary;
    if (b.customer_managed_policy)
      p << "    permissions_boundary: {customer_managed_policy: {name: " << YamlScalar(b.customer_managed_policy->name)
        << ", path: " << YamlScalar(b.customer_managed_policy->path) << "}}\n";
    else
      p << "    permissions_boundary: {managed_policy: " << YamlScalar(ManagedRef(b.managed_policy_arn)) << "}\n";
  }
}

std::string PermissionSetsYaml(const DirectoryState& s) {
  std::ostringstream p;
  p << kHeader << "permission_sets:" << (s.permission_sets.empty() ? " []" : "") << "\n";
  for (const auto& [name, ps] : s.permission_sets) {
    p << "  - name: " << YamlScalar(ps.name) << "\n";
    if (!ps.description.empty()) p << "    description: " << YamlScalar(ps.description) << "\n";
    p << "    session_duration: " << ps.session_duration << "\n";
    if (!ps.relay_state.empty()) p << "    relay_state: " << YamlScalar(ps.relay_state) << "\n";
    PoliciesYaml(ps, p);
    if (!ps.tags.empty()) {
      p << "    tags:\n";
      for (const auto& [k, v] : ps.tags) p << "      " << YamlScalar(k) << ": " << YamlScalar(v) << "\n";
    }
  }
  return p.str();
}

/// "# name, name" after an assignment's account ids: ids keep the config valid
/// when an account is renamed; the names are for the reader.
std::string AccountNamesComment(const DirectoryState& s, const std::vector<std::string>& ids) {
  std::string names;
  for (size_t i = 0; i < ids.size(); ++i) {
    auto it = s.accounts.find(ids[i]);
    std::string n = it != s.accounts.end() && !it->second.name.empty() ? it->second.name : ids[i];
    for (char& ch : n)
      if (ch == '\n' || ch == '\r') ch = ' ';
    names += (i ? ", " : "") + n;
  }
  return "  # " + names;
}

/// Assignments grouped by principal and permission set: one entry per pair with its accounts.
std::string AssignmentsYaml(const DirectoryState& s) {
  std::map<std::tuple<PrincipalType, std::string, std::string>, std::vector<std::string>> grouped;
  for (const auto& as : s.assignments)
    grouped[{as.principal_type, as.principal, as.permission_set}].push_back(as.account_id);
  std::ostringstream as;
  as << kHeader << "assignments:" << (grouped.empty() ? " []" : "") << "\n";
  for (const auto& [key, ids] : grouped) {
    const auto& [type, principal, set] = key;
    as << "  - " << (type == PrincipalType::kUser ? "user" : "group") << ": " << YamlScalar(principal) << "\n";
    as << "    permission_set: " << YamlScalar(set) << "\n    accounts: [";
    for (size_t i = 0; i < ids.size(); ++i) as << (i ? ", " : "") << "\"" << ids[i] << "\"";
    as << "]" << AccountNamesComment(s, ids) << "\n";
  }
  return as.str();
}

/// Applications with assignment_required, and who may use them. An application
/// known by its ARN (its name is not unique) is declared by arn.
std::string ApplicationsYaml(const DirectoryState& s) {
  std::ostringstream a;
  a << kHeader << "applications:\n";
  for (const auto& [name, app] : s.applications) {
    bool by_arn = !app.arn.empty() && app.arn == name;
    a << "  - " << (by_arn ? "arn: " : "name: ") << YamlScalar(name) << "\n";
    if (app.assignment_required)
      a << "    assignment_required: " << (*app.assignment_required ? "true" : "false") << "\n";
  }
  a << "assignments:" << (s.application_assignments.empty() ? " []" : "") << "\n";
  for (const auto& as : s.application_assignments) {
    a << "  - " << (as.principal_type == PrincipalType::kUser ? "user" : "group") << ": " << YamlScalar(as.principal)
      << "\n";
    a << "    application: " << YamlScalar(as.application) << "\n";
  }
  return a.str();
}

}  // namespace

std::map<std::string, std::string> RenderConfigFiles(const DirectoryState& s, const std::string& target_yaml) {
  std::map<std::string, std::string> files;
  if (!target_yaml.empty()) files["target.yaml"] = kHeader + target_yaml;
  files["accounts.yaml"] = AccountsYaml(s);
  files["users.yaml"] = UsersYaml(s);
  files["groups.yaml"] = GroupsYaml(s);
  files["permission_sets.yaml"] = PermissionSetsYaml(s);
  files["assignments.yaml"] = AssignmentsYaml(s);
  if (!s.applications.empty()) files["applications.yaml"] = ApplicationsYaml(s);
  return files;
}

}  // namespace gatehouse
