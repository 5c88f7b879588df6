// who-can as Markdown: a summary, a table of grants, the unknown sets.
#include "views/access_view.h"
#include "views/plan_markdown.h"
#include "views/who_can_view.h"

namespace gatehouse {

namespace {

std::string Via(const WhoCanResult& r, const WhoCanHolder& h) {
  std::string s;
  r.ForEachVia(h, [&](const std::string& v) { s += (s.empty() ? "" : ", ") + v; });
  return s;
}

std::string Holder(const WhoCanResult& r, const WhoCanHolder& h) {
  return MarkdownEscape(r.User(h)) + " | " + MarkdownEscape(AccountLabel(r.AccountName(h), r.AccountId(h))) + " | ";
}

}  // namespace

void RenderWhoCanMarkdown(const WhoCanView& view, std::ostream& out) {
  const WhoCanResult& r = *view.result;
  out << "### Who can `" << r.action << "`" << (r.resource ? " on `" + *r.resource + "`" : std::string()) << "\n\n"
      << MarkdownEscape(WhoCanSummary(view))
      << " Not evaluated: service control policies and resource-based policies.\n";
  if (!r.grants.empty()) {
    out << "\n| user | account | permission set | decision | via | because |\n|---|---|---|---|---|---|\n";
    for (const WhoCanGrant& g : r.grants) {
      const WhoCanSetAnswer& a = r.Set(g);
      std::string set = MarkdownEscape(a.permission_set);
      if (IsPrivileged(a.privilege)) set = "**" + set + "** (" + a.privilege + ")";
      out << "| " << Holder(r, g.holder) << set << " | " << iam::DecisionName(a.decision) << " | "
          << MarkdownEscape(Via(r, g.holder)) << " | " << MarkdownEscape(WhoCanBecause(a, ", ")) << " |\n";
    }
  }
  if (r.unknown.empty()) return;
  out << "\n#### Unknown (a policy's document is not in the config; never guessed)\n\n"
      << "| user | account | permission set | via | reason |\n|---|---|---|---|---|\n";
  for (const WhoCanUnknown& u : r.unknown)
    for (const WhoCanHolder& h : u.holders)
      out << "| " << Holder(r, h) << MarkdownEscape(u.permission_set) << " | " << MarkdownEscape(Via(r, h)) << " | "
          << MarkdownEscape(u.reason) << " |\n";
}

}  // namespace gatehouse
