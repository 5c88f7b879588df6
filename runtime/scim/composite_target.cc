#include "runtime/scim/composite_target.h"

namespace gatehouse::scim {

CompositeTarget::CompositeTarget(std::unique_ptr<Target> main, std::unique_ptr<Target> users_and_groups,
                                 bool mirror_principals)
    : main_(std::move(main)), users_and_groups_(std::move(users_and_groups)), mirror_principals_(mirror_principals) {}

std::string CompositeTarget::Describe() const {
  return main_->Describe() + ", users and groups in " + users_and_groups_->Describe();
}

bool CompositeTarget::Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) {
  DirectoryState main, scim;
  if (!main_->Read(accounts_hint, &main, err)) return false;
  if (!users_and_groups_->Read(accounts_hint, &scim, err)) return false;
  Merge(std::move(main), std::move(scim), out);
  return true;
}

bool CompositeTarget::ReadScope(const Scope& scope, const std::map<std::string, Account>& accounts_hint,
                                DirectoryState* out, std::string* err) {
  DirectoryState main, scim;
  if (!main_->ReadScope(scope, accounts_hint, &main, err)) return false;
  if (!users_and_groups_->ReadScope(scope, accounts_hint, &scim, err)) return false;
  Merge(std::move(main), std::move(scim), out);
  return true;
}

void CompositeTarget::Merge(DirectoryState main, DirectoryState scim, DirectoryState* out) {
  for (auto& [name, g] : scim.groups)
    if (auto it = main.groups.find(name); it != main.groups.end()) g.description = it->second.description;
  *out = std::move(main);
  out->users = scim.users;
  out->groups = scim.groups;
  out->memberships = std::move(scim.memberships);
  std::lock_guard<std::mutex> lock(mu_);
  snapshot_.users = std::move(scim.users);
  snapshot_.groups = std::move(scim.groups);
  mirrored_.clear();
}

bool CompositeTarget::Lock(std::string* err) {
  if (!main_->Lock(err)) return false;
  if (users_and_groups_->Lock(err)) return true;
  main_->Unlock();
  return false;
}

void CompositeTarget::Unlock() {
  users_and_groups_->Unlock();
  main_->Unlock();
}

bool CompositeTarget::Commit(std::string* err) { return users_and_groups_->Commit(err) && main_->Commit(err); }

OpResult CompositeTarget::MirrorPrincipal(PrincipalType type, const std::string& principal) {
  bool user = type == PrincipalType::kUser;
  std::string key = (user ? "user:" : "group:") + principal;
  Operation upsert;
  upsert.action = Action::kCreate;  // the local target's create is an upsert
  upsert.name = principal;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (mirrored_.count(key)) return {};
    if (user) {
      auto it = snapshot_.users.find(principal);
      if (it == snapshot_.users.end()) return {};  // not in SCIM either; the main target reports it
      upsert.kind = ObjectKind::kUser;
      upsert.after = it->second;
    } else {
      auto it = snapshot_.groups.find(principal);
      if (it == snapshot_.groups.end()) return {};
      upsert.kind = ObjectKind::kGroup;
      upsert.after = it->second;
    }
  }
  OpResult r = main_->Apply(upsert);
  if (r.ok) {
    std::lock_guard<std::mutex> lock(mu_);
    mirrored_.insert(key);
  }
  return r;
}

OpResult CompositeTarget::Apply(const Operation& op) {
  switch (op.kind) {
    case ObjectKind::kPermissionSet:
    case ObjectKind::kApplication: return main_->Apply(op);
    case ObjectKind::kAssignment:
      if (mirror_principals_ && op.action != Action::kDelete) {
        const auto& a = std::get<Assignment>(*op.after);
        OpResult r = MirrorPrincipal(a.principal_type, a.principal);
        if (!r.ok) return r;
      }
      return main_->Apply(op);
    case ObjectKind::kApplicationAssignment:
      if (mirror_principals_ && op.action != Action::kDelete) {
        const auto& a = std::get<ApplicationAssignment>(*op.after);
        OpResult r = MirrorPrincipal(a.principal_type, a.principal);
        if (!r.ok) return r;
      }
      return main_->Apply(op);
    case ObjectKind::kMembership: return users_and_groups_->Apply(op);
    case ObjectKind::kUser:
    case ObjectKind::kGroup: {
      OpResult r = users_and_groups_->Apply(op);
      if (!r.ok || !mirror_principals_) return r;
      Operation mirror = op;
      if (mirror.action != Action::kDelete) mirror.action = Action::kCreate;  // upsert: the main copy may be missing
      r = main_->Apply(mirror);
      if (r.ok && op.after) {
        std::lock_guard<std::mutex> lock(mu_);
        mirrored_.insert((op.kind == ObjectKind::kUser ? "user:" : "group:") + op.name);
      }
      return r;
    }
  }
  return {false, "unknown operation"};
}

}  // namespace gatehouse::scim
