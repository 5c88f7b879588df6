#include "runtime/scim/scim_json.h"

namespace gatehouse::scim {

using json = nlohmann::json;

namespace {

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

}  // namespace

json UserToScim(const User& user) {
  json j = {{"schemas", {kUserSchema}},
            {"userName", user.user_name},
            {"displayName", user.display_name},
            {"name", {{"givenName", user.given_name}, {"familyName", user.family_name}}},
            {"active", true}};
  if (!user.email.empty()) j["emails"] = json::array({{{"value", user.email}, {"type", "work"}, {"primary", true}}});
  return j;
}

User UserFromScim(const json& r) {
  User u;
  u.id = Str(r, "id");
  u.user_name = Str(r, "userName");
  u.display_name = Str(r, "displayName");
  if (auto name = r.find("name"); name != r.end() && name->is_object()) {
    u.given_name = Str(*name, "givenName");
    u.family_name = Str(*name, "familyName");
  }
  if (auto emails = r.find("emails"); emails != r.end() && emails->is_array()) {
    for (const auto& e : *emails) {
      if (!e.is_object()) continue;
      bool primary = e.value("primary", false);
      if (u.email.empty() || primary) u.email = Str(e, "value");
      if (primary) break;
    }
  }
  return u;
}

json GroupToScim(const Group& group) { return {{"schemas", {kGroupSchema}}, {"displayName", group.name}}; }

Group GroupFromScim(const json& r) {
  Group g;
  g.id = Str(r, "id");
  g.name = Str(r, "displayName");
  return g;
}

json MembersPatch(const std::string& op, const std::vector<std::string>& user_ids) {
  json members = json::array();
  for (const auto& id : user_ids) members.push_back({{"value", id}});
  return {{"schemas", {kPatchOpSchema}},
          {"Operations", json::array({{{"op", op}, {"path", "members"}, {"value", members}}})}};
}

}  // namespace gatehouse::scim
