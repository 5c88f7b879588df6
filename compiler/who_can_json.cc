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

json GrantJson(const WhoCanGrant& g) {
  json j = HolderFields(g.holder);
  j["permission_set"] = g.permission_set;
  j["decision"] = iam::DecisionName(g.decision);
  json because = json::array();
  for (const iam::GrantReason& r : g.because) because.push_back(ReasonJson(r));
  j["because"] = std::move(because);
  if (!g.privilege.empty()) j["privilege"] = g.privilege;
  return j;
}

json UnknownJson(const WhoCanUnknown& u) {
  json holders = json::array();
  for (const WhoCanHolder& h : u.holders) holders.push_back(HolderFields(h));
  return json{{"permission_set", u.permission_set}, {"policies", u.policies}, {"reason", u.reason},
              {"holders", std::move(holders)}};
}

}  // namespace

json WhoCanToJson(const WhoCanResult& result) {
  json grants = json::array(), unknown = json::array();
  for (const WhoCanGrant& g : result.grants) grants.push_back(GrantJson(g));
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
