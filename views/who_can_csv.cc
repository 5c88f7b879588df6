// who-can as CSV: one row per grant, then one per holder of an unknown set
// (decision "unknown", the reason in `because`).
#include "views/access_view.h"
#include "views/who_can_view.h"

namespace gatehouse {

namespace {

std::string Via(const WhoCanResult& r, const WhoCanHolder& h) {
  std::string s;
  r.ForEachVia(h, [&](const std::string& v) { s += (s.empty() ? "" : ";") + v; });
  return s;
}

void Row(const WhoCanResult& r, const WhoCanHolder& h, const std::string& set, const std::string& decision,
         const std::string& privilege, const std::string& because, std::ostream& out) {
  out << CsvField(r.User(h)) << ',' << CsvField(r.AccountId(h)) << ',' << CsvField(r.AccountName(h)) << ','
      << CsvField(set) << ',' << CsvField(Via(r, h)) << ',' << decision << ',' << privilege << ',' << CsvField(because)
      << '\n';
}

}  // namespace

void RenderWhoCanCsv(const WhoCanView& view, std::ostream& out) {
  const WhoCanResult& r = *view.result;
  std::vector<std::string> because, names;
  for (const WhoCanSetAnswer& a : r.sets) because.push_back(WhoCanBecause(a, ";")), names.push_back(a.permission_set);
  out << "user,account_id,account_name,permission_set,via,decision,privilege,because\n";
  for (const WhoCanGrant& g : r.grants) {
    const WhoCanSetAnswer& a = r.Set(g);
    Row(r, g.holder, names[g.set], iam::DecisionName(a.decision), a.privilege, because[g.set], out);
  }
  for (const WhoCanUnknown& u : r.unknown)
    for (const WhoCanHolder& h : u.holders) Row(r, h, u.permission_set, "unknown", "", u.reason, out);
}

}  // namespace gatehouse
