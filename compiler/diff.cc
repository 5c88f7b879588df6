#include "compiler/diff.h"

#include <map>

#include "compiler/plan_graph.h"
#include "compiler/selector.h"

namespace gatehouse {

std::string AssignmentName(const Assignment& a) {
  return std::string(a.principal_type == PrincipalType::kUser ? "user:" : "group:") + a.principal + "/" +
         a.permission_set + "/" + a.account_id;
}

std::string ApplicationAssignmentName(const ApplicationAssignment& a) {
  return std::string(a.principal_type == PrincipalType::kUser ? "user:" : "group:") + a.principal +
         "/application:" + a.application;
}

std::string ObjectName(const Object& o) {
  struct V {
    std::string operator()(const User& u) const { return u.user_name; }
    std::string operator()(const Group& g) const { return g.name; }
    std::string operator()(const Membership& m) const { return m.group + "/" + m.user; }
    std::string operator()(const PermissionSet& p) const { return p.name; }
    std::string operator()(const Assignment& a) const { return AssignmentName(a); }
    std::string operator()(const Application& a) const { return a.name; }
    std::string operator()(const ApplicationAssignment& a) const { return ApplicationAssignmentName(a); }
  };
  return std::visit(V{}, o);
}

bool IsIgnored(const Settings& s, ObjectKind kind, const std::string& name) {
  const std::vector<std::string>* globs = nullptr;
  if (kind == ObjectKind::kPermissionSet) globs = &s.ignore_permission_sets;
  if (kind == ObjectKind::kGroup) globs = &s.ignore_groups;
  if (kind == ObjectKind::kUser) globs = &s.ignore_users;
  if (!globs) return false;
  for (const auto& g : *globs)
    if (GlobMatch(g, name)) return true;
  return false;
}

namespace {

class Differ {
 public:
  Differ(const DirectoryState& desired, const DirectoryState& live, const Settings& s, Plan* plan)
      : want_(desired), have_(live), s_(s), plan_(plan) {}

  void Run(Diagnostics* d) {
    if (s_.external_identity) {
      CheckExternalPrincipals(d);
    } else {
      Keyed<User>(ObjectKind::kUser, want_.users, have_.users);
      Keyed<Group>(ObjectKind::kGroup, want_.groups, have_.groups);
      Memberships();
    }
    PermissionSets();
    Assignments();
    Applications();
    ApplicationAssignments();
  }

 private:
  void Add(ObjectKind kind, Action action, std::optional<Object> before, std::optional<Object> after,
           std::string reason = "") {
    Operation op;
    op.kind = kind;
    op.action = action;
    op.before = std::move(before);
    op.after = std::move(after);
    op.name = ObjectName(op.value());
    op.reason = std::move(reason);
    plan_->operations.push_back(std::move(op));
  }

  bool MayDelete(ObjectKind kind, const std::string& name) const { return !s_.additive && !IsIgnored(s_, kind, name); }

  template <class T, class Map>
  void Keyed(ObjectKind kind, const Map& want, const Map& have) {
    for (const auto& [name, w] : want) {
      auto it = have.find(name);
      if (it == have.end())
        Add(kind, Action::kCreate, std::nullopt, Object(w));
      else if (!(it->second == w)) {
        T after = w;
        after.id = it->second.id;
        Add(kind, Action::kUpdate, Object(it->second), Object(after));
      }
    }
    for (const auto& [name, h] : have)
      if (!want.count(name) && MayDelete(kind, name)) Add(kind, Action::kDelete, Object(h), std::nullopt);
  }

  void Memberships() {
    for (const auto& m : want_.memberships)
      if (!have_.memberships.count(m)) Add(ObjectKind::kMembership, Action::kCreate, std::nullopt, Object(m));
    for (const auto& m : have_.memberships) {
      if (want_.memberships.count(m)) continue;
      if (s_.additive || IsIgnored(s_, ObjectKind::kGroup, m.group) || IsIgnored(s_, ObjectKind::kUser, m.user))
        continue;
      Add(ObjectKind::kMembership, Action::kDelete, Object(m), std::nullopt);
    }
  }

  void PermissionSets() {
    for (const auto& [name, w] : want_.permission_sets) {
      auto it = have_.permission_sets.find(name);
      if (it == have_.permission_sets.end()) {
        Add(ObjectKind::kPermissionSet, Action::kCreate, std::nullopt, Object(w));
        continue;
      }
      PermissionSet after = w;
      after.arn = it->second.arn;
      after.outdated_accounts = it->second.outdated_accounts;
      if (!(it->second == w)) {
        Add(ObjectKind::kPermissionSet, Action::kUpdate, Object(it->second), Object(after));
      } else if (!it->second.outdated_accounts.empty()) {
        Add(ObjectKind::kPermissionSet, Action::kUpdate, Object(it->second), Object(after),
            "not provisioned with its latest policies on " + std::to_string(it->second.outdated_accounts.size()) +
                " account(s)");
      }
    }
    for (const auto& [name, h] : have_.permission_sets)
      if (!want_.permission_sets.count(name) && MayDelete(ObjectKind::kPermissionSet, name))
        Add(ObjectKind::kPermissionSet, Action::kDelete, Object(h), std::nullopt);
  }

  void Assignments() {
    for (const auto& a : want_.assignments)
      if (!have_.assignments.count(a)) Add(ObjectKind::kAssignment, Action::kCreate, std::nullopt, Object(a));
    for (const auto& a : have_.assignments) {
      if (want_.assignments.count(a) || s_.additive) continue;
      if (IsIgnored(s_, ObjectKind::kPermissionSet, a.permission_set) && !want_.permission_sets.count(a.permission_set))
        continue;
      ObjectKind pk = a.principal_type == PrincipalType::kUser ? ObjectKind::kUser : ObjectKind::kGroup;
      bool declared = pk == ObjectKind::kUser ? want_.users.count(a.principal) : want_.groups.count(a.principal);
      // An ignored principal keeps its assignment only while the permission set
      // stays: a set cannot be deleted while it is still assigned.
      bool set_deleted = !want_.permission_sets.count(a.permission_set) &&
                         have_.permission_sets.count(a.permission_set) &&
                         MayDelete(ObjectKind::kPermissionSet, a.permission_set);
      if (IsIgnored(s_, pk, a.principal) && !declared && !set_deleted) continue;
      Add(ObjectKind::kAssignment, Action::kDelete, Object(a), std::nullopt);
    }
  }

  /// Declared applications: created when missing (the target may refuse:
  /// operations/plan.cc), updated when the config sets assignment_required and
  /// it differs. Undeclared ones are left alone, never deleted.
  void Applications() {
    for (const auto& [name, w] : want_.applications) {
      auto it = have_.applications.find(name);
      if (it == have_.applications.end()) {
        Application after = w;
        if (!after.assignment_required) after.assignment_required = true;  // Identity Center's default
        Add(ObjectKind::kApplication, Action::kCreate, std::nullopt, Object(after));
        continue;
      }
      if (!w.assignment_required || w.assignment_required == it->second.assignment_required) continue;
      Application after = it->second;
      after.assignment_required = w.assignment_required;
      Add(ObjectKind::kApplication, Action::kUpdate, Object(it->second), Object(after));
    }
  }

  /// Assignments of declared applications are Gatehouse's; those of other applications are not.
  void ApplicationAssignments() {
    for (const auto& a : want_.application_assignments)
      if (!have_.application_assignments.count(a))
        Add(ObjectKind::kApplicationAssignment, Action::kCreate, std::nullopt, Object(a));
    for (const auto& a : have_.application_assignments) {
      if (want_.application_assignments.count(a) || s_.additive || !want_.applications.count(a.application)) continue;
      ObjectKind pk = a.principal_type == PrincipalType::kUser ? ObjectKind::kUser : ObjectKind::kGroup;
      bool declared = pk == ObjectKind::kUser ? want_.users.count(a.principal) : want_.groups.count(a.principal);
      if (IsIgnored(s_, pk, a.principal) && !declared) continue;
      Add(ObjectKind::kApplicationAssignment, Action::kDelete, Object(a), std::nullopt);
    }
  }

  void CheckExternalPrincipals(Diagnostics* d) {
    auto missing = [&](const char* what, const std::string& name) {
      d->Error(
          SourceSpan{},
          std::string(what) + " '" + name + "' does not exist in the live directory, and identity_source is external",
          "Gatehouse does not create users or groups an identity provider owns; provision it there first");
    };
    for (const auto& [name, u] : want_.users)
      if (!have_.users.count(name)) missing("user", name);
    for (const auto& [name, g] : want_.groups)
      if (!have_.groups.count(name)) missing("group", name);
    std::set<std::pair<PrincipalType, std::string>> reported;
    auto check = [&](PrincipalType type, const std::string& principal) {
      bool user = type == PrincipalType::kUser;
      bool exists = user ? have_.users.count(principal) : have_.groups.count(principal);
      bool declared = user ? want_.users.count(principal) : want_.groups.count(principal);
      if (!exists && !declared && reported.insert({type, principal}).second)
        missing(user ? "user" : "group", principal);
    };
    for (const auto& a : want_.assignments) check(a.principal_type, a.principal);
    for (const auto& a : want_.application_assignments) check(a.principal_type, a.principal);
  }

  const DirectoryState& want_;
  const DirectoryState& have_;
  const Settings& s_;
  Plan* plan_;
};

}  // namespace

bool DiffStates(const DirectoryState& desired, const DirectoryState& live, const Settings& settings, Plan* plan,
                Diagnostics* diags) {
  size_t errors = diags->ErrorCount();
  plan->operations.clear();
  Differ(desired, live, settings, plan).Run(diags);
  LinkDependencies(&plan->operations);
  return diags->ErrorCount() == errors;
}

}  // namespace gatehouse
