// who-can as text: grouped by user like `access`, each user's privileged grants
// first, then the sets the analysis cannot decide.
#include <algorithm>

#include "views/access_view.h"
#include "views/who_can_view.h"

namespace gatehouse {

namespace {

void Line(const WhoCanResult& r, const WhoCanHolder& h, const std::string& set, std::ostream& out) {
  out << "  " << AccountLabel(r.AccountName(h), r.AccountId(h)) << "  " << set << (set.empty() ? "via " : "  via ");
  bool first = true;
  r.ForEachVia(h, [&](const std::string& v) {
    out << (first ? "" : ", ") << v;
    first = false;
  });
}

void Grants(const WhoCanResult& r, std::ostream& out) {
  std::vector<const WhoCanGrant*> user;  // one user's grants, privileged first
  for (std::size_t i = 0; i < r.grants.size();) {
    user.clear();
    for (std::size_t k = i; k < r.grants.size() && r.grants[k].holder.user == r.grants[i].holder.user; ++k)
      user.push_back(&r.grants[k]);
    std::stable_sort(user.begin(), user.end(), [&](const WhoCanGrant* a, const WhoCanGrant* b) {
      return IsPrivileged(r.Set(*a).privilege) && !IsPrivileged(r.Set(*b).privilege);
    });
    out << r.User(r.grants[i].holder) << "\n";
    for (const WhoCanGrant* g : user) {
      const WhoCanSetAnswer& a = r.Set(*g);
      Line(r, g->holder, a.permission_set, out);
      out << "  " << iam::DecisionName(a.decision);
      if (!a.privilege.empty()) out << "  [" << a.privilege << (IsPrivileged(a.privilege) ? ", privileged" : "") << "]";
      out << "\n    because " << WhoCanBecause(a, ", ") << "\n";
    }
    i += user.size();
  }
}

}  // namespace

void RenderWhoCanText(const WhoCanView& view, std::ostream& out) {
  const WhoCanResult& r = *view.result;
  out << "Who can " << r.action << " on " << (r.resource ? *r.resource : std::string("any resource")) << ", in the "
      << view.source << ":\n\n";
  if (r.grants.empty()) out << "No one.\n";
  Grants(r, out);
  if (!r.unknown.empty()) {
    out << "\nUnknown (a policy's document is not in the config; never guessed):\n";
    for (const WhoCanUnknown& u : r.unknown) {
      out << u.permission_set << ": " << u.reason << "\n";
      for (const WhoCanHolder& h : u.holders) {
        out << "  " << r.User(h);
        Line(r, h, "", out);
        out << "\n";
      }
    }
  }
  out << "\n" << WhoCanSummary(view) << "\nNot evaluated: service control policies and resource-based policies.\n";
}

}  // namespace gatehouse
