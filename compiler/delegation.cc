#include "compiler/delegation.h"

#include <set>

namespace gatehouse {

namespace {

/// "111111111111 (org-management)" or the id alone.
std::string AccountLabel(const DirectoryState& live, const CompiledConfig& compiled, const std::string& id) {
  for (const auto* accounts : {&compiled.desired.accounts, &live.accounts}) {
    auto it = accounts->find(id);
    if (it != accounts->end() && !it->second.name.empty() && it->second.name != id)
      return id + " (" + it->second.name + ")";
  }
  return id;
}

/// The declaration that made `a`: desired (origin) or expired; an unknown span otherwise.
SourceSpan AssignmentSpan(const Config& config, const CompiledConfig& compiled, const Assignment& a) {
  auto it = compiled.origin.find(a);
  if (it != compiled.origin.end() && it->second < config.assignments.size()) return config.assignments[it->second].span;
  for (const auto& [expired, index] : compiled.expired)
    if (expired == a && index < config.assignments.size()) return config.assignments[index].span;
  return {};
}

SourceSpan PermissionSetSpan(const Config& config, const std::string& name) {
  for (const auto& d : config.permission_sets)
    if (d.ps.name == name) return d.span;
  return {};
}

/// Permission sets provisioned to `account`: assigned there live, or provisioned out of date.
std::set<std::string> ProvisionedTo(const DirectoryState& live, const std::string& account) {
  std::set<std::string> sets;
  for (const auto& a : live.assignments)
    if (a.account_id == account) sets.insert(a.permission_set);
  for (const auto& [name, ps] : live.permission_sets)
    if (ps.outdated_accounts.count(account) != 0) sets.insert(name);
  return sets;
}

std::string Help() {
  return std::string(
             "run this change with credentials of the management account (AWS: \"Managing permission sets "
             "provisioned in the management account\", \"Enabling or disabling user access in the management "
             "account\"): ") +
         kDelegatedAdminDocs;
}

}  // namespace

bool IsDelegatedAdministrator(const Settings& settings, const std::string& caller_account,
                              const std::string& management_account) {
  if (settings.delegated_admin) return true;
  return !caller_account.empty() && !management_account.empty() && caller_account != management_account;
}

void CheckDelegatedAdministration(const Config& config, const CompiledConfig& compiled, const DirectoryState& live,
                                  const Plan& plan, const std::string& management_account, Diagnostics* diags) {
  if (management_account.empty()) return;
  const std::string where = AccountLabel(live, compiled, management_account);
  const std::set<std::string> provisioned = ProvisionedTo(live, management_account);
  for (const auto& op : plan.operations) {
    if (op.kind == ObjectKind::kAssignment) {
      const auto& a = std::get<Assignment>(op.value());
      if (a.account_id != management_account) continue;
      diags->Error(AssignmentSpan(config, compiled, a),
                   std::string("a delegated administrator cannot ") +
                       (op.action == Action::kDelete ? "delete" : "create") +
                       " an assignment in the management account " + where + " (" + op.name + ")",
                   Help());
    } else if (op.kind == ObjectKind::kPermissionSet && op.action != Action::kCreate) {
      const auto& ps = std::get<PermissionSet>(op.value());
      if (provisioned.count(ps.name) == 0) continue;
      diags->Error(PermissionSetSpan(config, ps.name),
                   "permission set '" + ps.name + "' is provisioned to the management account " + where +
                       ": a delegated administrator cannot " + (op.action == Action::kDelete ? "delete" : "change") +
                       " it",
                   Help());
    }
  }
}

}  // namespace gatehouse
