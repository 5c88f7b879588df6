#include "runtime/local/directory_assembler.h"

#include <variant>

#include "compiler/state_json.h"

namespace gatehouse {

const std::string* DirectoryAssembler::Find(const Index& m, std::string_view key) {
  auto it = m.find(key);
  return it == m.end() ? nullptr : &it->second;
}

const std::string* DirectoryAssembler::Principal(std::string_view type, std::string_view id) const {
  return Find(type == "USER" ? user_by_id_ : group_by_id_, id);
}

void DirectoryAssembler::AddUser(const nlohmann::json& entry) {
  User v = std::get<User>(ObjectFromJson(ObjectKind::kUser, entry));
  user_by_id_[v.id] = v.user_name;
  std::string name = v.user_name;
  out_->users[name] = std::move(v);
}

void DirectoryAssembler::AddGroup(const nlohmann::json& entry) {
  Group v = std::get<Group>(ObjectFromJson(ObjectKind::kGroup, entry));
  group_by_id_[v.id] = v.name;
  std::string name = v.name;
  out_->groups[name] = std::move(v);
}

void DirectoryAssembler::AddPermissionSet(const nlohmann::json& entry) {
  PermissionSet v = std::get<PermissionSet>(ObjectFromJson(ObjectKind::kPermissionSet, entry));
  set_by_arn_[v.arn] = v.name;
  std::string name = v.name;
  out_->permission_sets[name] = std::move(v);
}

void DirectoryAssembler::AddApplication(const nlohmann::json& entry) {
  Application v;
  v.name = entry.value("name", "");
  v.arn = entry.value("arn", "");
  v.assignment_required = entry.value("assignment_required", true);
  app_by_arn_[v.arn] = v.name;
  out_->applications[v.name] = v;
}

void DirectoryAssembler::AddMembership(std::string_view user_id, std::string_view group_id) {
  const std::string* user = Find(user_by_id_, user_id);
  const std::string* group = Find(group_by_id_, group_id);
  if (user && group) out_->memberships.insert({*group, *user});
}

void DirectoryAssembler::AddAssignment(std::string_view principal_type, std::string_view principal_id,
                                       std::string_view set_arn, std::string_view account_id) {
  const std::string* principal = Principal(principal_type, principal_id);
  const std::string* set = Find(set_by_arn_, set_arn);
  if (!principal || !set) return;  // orphaned, as in AWS
  PrincipalType type = principal_type == "USER" ? PrincipalType::kUser : PrincipalType::kGroup;
  out_->assignments.insert({type, *principal, *set, std::string(account_id)});
  if (find_accounts_) {
    Account acc;
    acc.id = acc.name = std::string(account_id);
    out_->accounts.emplace(acc.id, acc);
  }
}

void DirectoryAssembler::AddApplicationAssignment(std::string_view principal_type, std::string_view principal_id,
                                                  std::string_view application_arn) {
  const std::string* principal = Principal(principal_type, principal_id);
  const std::string* app = Find(app_by_arn_, application_arn);
  if (!principal || !app) return;  // orphaned
  PrincipalType type = principal_type == "USER" ? PrincipalType::kUser : PrincipalType::kGroup;
  out_->application_assignments.insert({type, *principal, *app});
}

}  // namespace gatehouse
