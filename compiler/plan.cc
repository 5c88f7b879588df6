#include "compiler/plan.h"

namespace gatehouse {

const char* PrincipalTypeName(PrincipalType t) { return t == PrincipalType::kUser ? "USER" : "GROUP"; }

const char* ObjectKindName(ObjectKind k) {
  switch (k) {
    case ObjectKind::kUser: return "user";
    case ObjectKind::kGroup: return "group";
    case ObjectKind::kMembership: return "membership";
    case ObjectKind::kPermissionSet: return "permission_set";
    case ObjectKind::kAssignment: return "assignment";
    case ObjectKind::kApplication: return "application";
    case ObjectKind::kApplicationAssignment: return "application_assignment";
  }
  return "user";
}

const char* ActionName(Action a) {
  switch (a) {
    case Action::kCreate: return "create";
    case Action::kUpdate: return "update";
    case Action::kDelete: return "delete";
  }
  return "create";
}

std::optional<ObjectKind> ParseObjectKind(const std::string& s) {
  for (auto k : {ObjectKind::kUser, ObjectKind::kGroup, ObjectKind::kMembership, ObjectKind::kPermissionSet,
                 ObjectKind::kAssignment, ObjectKind::kApplication, ObjectKind::kApplicationAssignment})
    if (s == ObjectKindName(k)) return k;
  return std::nullopt;
}

std::optional<Action> ParseAction(const std::string& s) {
  for (auto a : {Action::kCreate, Action::kUpdate, Action::kDelete})
    if (s == ActionName(a)) return a;
  return std::nullopt;
}

const char* AccessChangeKindName(AccessChangeKind k) {
  switch (k) {
    case AccessChangeKind::kGain: return "gain";
    case AccessChangeKind::kLose: return "lose";
    case AccessChangeKind::kEscalate: return "escalate";
    case AccessChangeKind::kDeescalate: return "deescalate";
  }
  return "gain";
}

std::optional<AccessChangeKind> ParseAccessChangeKind(const std::string& s) {
  for (auto k :
       {AccessChangeKind::kGain, AccessChangeKind::kLose, AccessChangeKind::kEscalate, AccessChangeKind::kDeescalate})
    if (s == AccessChangeKindName(k)) return k;
  return std::nullopt;
}

PlanSummary Summarize(const Plan& plan) {
  PlanSummary s;
  for (const auto& op : plan.operations) {
    if (op.action == Action::kCreate)
      ++s.create;
    else if (op.action == Action::kUpdate)
      ++s.update;
    else if (op.action == Action::kDelete)
      ++s.del;
  }
  return s;
}

}  // namespace gatehouse
