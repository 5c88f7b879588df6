// who-can as JSON (WHO-CAN.md, schemas/who-can.schema.json), streamed: every name
// and every set's answer is escaped once, and each grant is written from those
// pieces, so millions of grants cost no per-grant JSON tree.
#include <nlohmann/json.hpp>

#include "views/who_can_view.h"

namespace gatehouse {

namespace {

using nlohmann::json;

std::string Quoted(const std::string& s) { return json(s).dump(); }

std::vector<std::string> QuotedAll(const std::vector<std::string>& names) {
  std::vector<std::string> out;
  out.reserve(names.size());
  for (const std::string& n : names) out.push_back(Quoted(n));
  return out;
}

json ReasonJson(const iam::GrantReason& r) {
  json j{{"policy", r.policy}, {"statement", r.statement}, {"conditional", r.conditional}};
  j[r.not_resource ? "not_resources" : "resources"] = r.resources;
  return j;
}

/// `"permission_set": …, "decision": …, "because": […]` (and privilege) of a set.
std::string SetFields(const WhoCanSetAnswer& a) {
  json because = json::array();
  for (const iam::GrantReason& r : a.because) because.push_back(ReasonJson(r));
  std::string s = "\"permission_set\": " + Quoted(a.permission_set) + ", \"decision\": \"" +
                  iam::DecisionName(a.decision) + "\", \"because\": " + because.dump();
  if (!a.privilege.empty()) s += ", \"privilege\": " + Quoted(a.privilege);
  return s;
}

class Writer {
 public:
  Writer(const WhoCanResult& r, std::ostream& out)
      : r_(r),
        out_(out),
        users_(QuotedAll(r.names.users)),
        ids_(QuotedAll(r.names.account_ids)),
        names_(QuotedAll(r.names.account_names)),
        via_(QuotedAll(r.names.via)) {}

  /// `"user": …, "account_id": …, "account_name": …, "via": […]`
  void Holder(const WhoCanHolder& h) {
    out_ << "\"user\": " << users_[h.user] << ", \"account_id\": " << ids_[h.account]
         << ", \"account_name\": " << names_[h.account] << ", \"via\": [";
    for (std::uint32_t i = h.via_begin; i < h.via_end; ++i)
      out_ << (i == h.via_begin ? "" : ", ") << via_[r_.via_ids[i]];
    out_ << "]";
  }

  void Grants() {
    std::vector<std::string> sets;
    for (const WhoCanSetAnswer& a : r_.sets) sets.push_back(SetFields(a));
    out_ << "  \"grants\": [";
    for (std::size_t i = 0; i < r_.grants.size(); ++i) {
      out_ << (i ? ",\n    {" : "\n    {");
      Holder(r_.grants[i].holder);
      out_ << ", " << sets[r_.grants[i].set] << "}";
    }
    out_ << (r_.grants.empty() ? "],\n" : "\n  ],\n");
  }

  void Unknown() {
    out_ << "  \"unknown\": [";
    for (std::size_t i = 0; i < r_.unknown.size(); ++i) {
      const WhoCanUnknown& u = r_.unknown[i];
      out_ << (i ? ",\n    {" : "\n    {") << "\"permission_set\": " << Quoted(u.permission_set)
           << ", \"policies\": " << json(u.policies).dump() << ", \"reason\": " << Quoted(u.reason)
           << ", \"holders\": [";
      for (std::size_t k = 0; k < u.holders.size(); ++k) {
        out_ << (k ? ", {" : "{");
        Holder(u.holders[k]);
        out_ << "}";
      }
      out_ << "]}";
    }
    out_ << (r_.unknown.empty() ? "],\n" : "\n  ],\n");
  }

 private:
  const WhoCanResult& r_;
  std::ostream& out_;
  std::vector<std::string> users_, ids_, names_, via_;
};

}  // namespace

void RenderWhoCanJson(const WhoCanView& view, std::ostream& out) {
  const WhoCanResult& r = *view.result;
  out << "{\n  \"format_version\": \"1\",\n  \"action\": " << Quoted(r.action)
      << ",\n  \"resource\": " << (r.resource ? Quoted(*r.resource) : "null") << ",\n";
  Writer w(r, out);
  w.Grants();
  w.Unknown();
  out << "  \"not_evaluated\": " << Quoted(kWhoCanScopeNote) << ",\n  \"summary\": {\"users\": " << r.summary.users
      << ", \"accounts\": " << r.summary.accounts << ", \"permission_sets\": " << r.summary.permission_sets << "}\n}\n";
}

}  // namespace gatehouse
