// The who-can JSON contract (WHO-CAN.md, schemas/who-can.schema.json).
#include "compiler/who_can.h"

namespace gatehouse {

namespace {

using nlohmann::json;

json HolderFields(const WhoCanHolder& h) {
  return json{{"user", h.user}, {"account_id", h.account_id}, {"account_name", h.account_name}, {"via", h.via}};
}

json ReasonJson(const iam::GrantReason& r) {
  json j{{"policy", r.policy}, {"statement", r.statement}, {"conditional", r.conditional}};
  j[r.not_resource ? "not_resources" : "resources"] = r.resources;
  return j;
}

/// `because` of each set's answer, built once and copied into each of its grants.
std::vector<json> BecauseBySet(const WhoCanResult& result) {
  std::vector<json> out;
  for (const WhoCanSetAnswer& a : result.sets) {
    json because = json::array();
    for (const iam::GrantReason& r : a.because) because.push_back(ReasonJson(r));
    out.push_back(std::move(because));
  }
  return out;
}

json GrantJson(const WhoCanGrant& g, const WhoCanSetAnswer& answer, const json& because) {
  json j = HolderFields(g.holder);
  j["permission_set"] = g.permission_set;
  j["decision"] = iam::DecisionName(g.decision);
  j["because"] = because;
  if (!answer.privilege.empty()) j["privilege"] = answer.privilege;
  return j;
}

json UnknownJson(const WhoCanUnknown& u) {
  json holders = json::array();
  for (const WhoCanHolder& h : u.holders) holders.push_back(HolderFields(h));
  return json{{"permission_set", u.permission_set},
              {"policies", u.policies},
              {"reason", u.reason},
              {"holders", std::move(holders)}};
}

}  // namespace

json WhoCanToJson(const WhoCanResult& result) {
  json grants = json::array(), unknown = json::array();
  std::vector<json> because = BecauseBySet(result);
  for (const WhoCanGrant& g : result.grants) grants.push_back(GrantJson(g, result.sets[g.set], because[g.set]));
  for (const WhoCanUnknown& u : result.unknown) unknown.push_back(UnknownJson(u));
  return json{{"format_version", "1"},
              {"action", result.action},
              {"resource", result.resource ? json(*result.resource) : json(nullptr)},
              {"grants", std::move(grants)},
              {"unknown", std::move(unknown)},
              {"not_evaluated", kWhoCanScopeNote},
              {"summary",
               {{"users", result.summary.users},
                {"accounts", result.summary.accounts},
                {"permission_sets", result.summary.permission_sets}}}};
}

}  // namespace gatehouse
