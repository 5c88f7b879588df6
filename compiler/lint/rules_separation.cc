// separation-of-duties: pairs of groups or permission sets no one person may hold together.
#include <map>
#include <set>

#include "compiler/access.h"
#include "compiler/lint/lint_context.h"

namespace gatehouse::lint {
namespace {

void GroupPair(LintContext& ctx, const DutyPair& pair) {
  const DirectoryState& s = ctx.compiled().desired;
  for (const Membership& m : s.memberships) {
    if (m.group != pair.first || !s.memberships.count(Membership{pair.second, m.user})) continue;
    SourceSpan at = pair.span;
    for (const GroupDecl& g : ctx.config().groups)
      if (g.group.name == pair.second)
        for (const auto& member : g.members)
          if (member.value == m.user) at = member.span;
    ctx.Report("separation-of-duties", at,
               "user '" + m.user + "' is a member of both '" + pair.first + "' and '" + pair.second +
                   "', which separation-of-duties keeps apart",
               m.user + "/" + pair.first + "/" + pair.second, "remove the user from one of the two groups");
  }
}

/// Where the access of `e` to its set was declared: the assignment naming the user, or one of its groups.
SourceSpan AccessSpan(LintContext& ctx, const AccessEntry& e) {
  for (const std::string& via : e.via) {
    Assignment a;
    a.principal_type = via == "direct" ? PrincipalType::kUser : PrincipalType::kGroup;
    a.principal = via == "direct" ? e.user : via;
    a.permission_set = e.permission_set;
    a.account_id = e.account_id;
    SourceSpan at = ctx.PrincipalSpan(a);
    if (at.known()) return at;
  }
  return SourceSpan{};
}

void SetPair(LintContext& ctx, const DutyPair& pair, const std::vector<AccessEntry>& access) {
  std::map<std::string, const AccessEntry*> first, second;
  for (const AccessEntry& e : access) {
    if (e.permission_set == pair.first && !first.count(e.user)) first[e.user] = &e;
    if (e.permission_set == pair.second && !second.count(e.user)) second[e.user] = &e;
  }
  for (const auto& [user, a] : first) {
    auto b = second.find(user);
    if (b == second.end()) continue;
    SourceSpan at = AccessSpan(ctx, *b->second);
    ctx.Report("separation-of-duties", at.known() ? at : pair.span,
               "user '" + user + "' holds both '" + pair.first + "' and '" + pair.second +
                   "', which separation-of-duties keeps apart",
               user + "/" + pair.first + "/" + pair.second,
               "remove the assignment of one of the two sets to this user or its groups",
               {"'" + pair.first + "' on '" + a->account_name + "' via " + a->via.front(),
                "'" + pair.second + "' on '" + b->second->account_name + "' via " + b->second->via.front()});
  }
}

}  // namespace

void CheckSeparationOfDuties(LintContext& ctx) {
  if (!ctx.Enabled("separation-of-duties") || ctx.params().duty_pairs.empty()) return;
  std::vector<AccessEntry> access = EffectiveAccess(ctx.compiled().desired);
  for (const DutyPair& pair : ctx.params().duty_pairs) {
    if (pair.groups)
      GroupPair(ctx, pair);
    else
      SetPair(ctx, pair, access);
  }
}

}  // namespace gatehouse::lint
