// Hygiene: declarations that do nothing, or do it the hard way.
#include <set>

#include "compiler/lint/lint_context.h"

namespace gatehouse::lint {

void CheckHygieneRules(LintContext& ctx) {
  const Config& c = ctx.config();
  const DirectoryState& s = ctx.compiled().desired;
  if (ctx.Enabled("unused-permission-set")) {
    std::set<std::string> used;
    for (const AssignmentDecl& a : c.assignments)
      if (!a.application) used.insert(a.permission_set.value);
    for (const PermissionSetDecl& p : c.permission_sets)
      if (!used.count(p.ps.name))
        ctx.Report("unused-permission-set", p.name_span, "permission set '" + p.ps.name + "' is not assigned anywhere",
                   p.ps.name, "delete the set, or assign it");
  }
  // With an external identity source the IdP owns memberships: groups look empty here.
  if (ctx.Enabled("empty-group") && !c.settings.external_identity) {
    std::set<std::string> with_members;
    for (const Membership& m : s.memberships) with_members.insert(m.group);
    for (const GroupDecl& g : c.groups)
      if (!with_members.count(g.group.name))
        ctx.Report("empty-group", g.name_span, "group '" + g.group.name + "' has no members", g.group.name,
                   "add members, or delete the group");
  }
  if (ctx.Enabled("unassigned-application")) {
    std::set<std::string> assigned;
    for (const ApplicationAssignment& a : s.application_assignments) assigned.insert(a.application);
    // An application declared by arn is named as it is live once planning read it.
    auto is_assigned = [&](const ApplicationDecl& app) {
      for (const auto& [name, compiled] : s.applications)
        if ((app.arn.empty() ? name == app.name : compiled.arn == app.arn) && assigned.count(name)) return true;
      return false;
    };
    for (const ApplicationDecl& app : c.applications) {
      if (app.assignment_required == false || is_assigned(app)) continue;
      ctx.Report("unassigned-application", app.ref_span,
                 "application '" + app.ref() + "' requires an assignment" +
                     (app.assignment_required ? "" : " (Identity Center's default)") + ", but no one is assigned to it",
                 app.ref(), "assign a group to it, or set assignment_required: false if everyone may use it");
    }
  }
  if (ctx.Enabled("user-without-group") && !c.settings.external_identity) {
    std::set<std::string> in_group;
    for (const Membership& m : s.memberships) in_group.insert(m.user);
    for (const UserDecl& u : c.users)
      if (!in_group.count(u.user.user_name))
        ctx.Report("user-without-group", u.name_span, "user '" + u.user.user_name + "' is in no group",
                   u.user.user_name, "add the user to a group, or remove the user");
  }
}

}  // namespace gatehouse::lint
