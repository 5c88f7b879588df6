#include "compiler/state_json.h"

#include "compiler/sha256.h"

namespace gatehouse {

using nlohmann::json;

json ToJson(const User& u) {
  json j = {{"user_name", u.user_name},
            {"display_name", u.display_name},
            {"given_name", u.given_name},
            {"family_name", u.family_name},
            {"email", u.email}};
  if (!u.id.empty()) j["id"] = u.id;
  return j;
}

json ToJson(const Group& g) {
  json j = {{"name", g.name}, {"description", g.description}};
  if (!g.id.empty()) j["id"] = g.id;
  return j;
}

json ToJson(const Membership& m) { return {{"group", m.group}, {"user", m.user}}; }

json ToJson(const PermissionSet& p) {
  json cm = json::array();
  for (const auto& c : p.customer_managed_policies) cm.push_back({{"name", c.name}, {"path", c.path}});
  json j = {{"name", p.name},
            {"description", p.description},
            {"session_duration", p.session_duration},
            {"relay_state", p.relay_state},
            {"managed_policies", p.managed_policies},
            {"customer_managed_policies", cm},
            {"inline_policy", p.inline_policy.empty() ? json(nullptr) : json(p.inline_policy)},
            {"permissions_boundary", nullptr},
            {"tags", p.tags}};
  if (p.permissions_boundary) {
    const auto& b = *p.permissions_boundary;
    if (b.customer_managed_policy)
      j["permissions_boundary"] = {
          {"customer_managed_policy",
           {{"name", b.customer_managed_policy->name}, {"path", b.customer_managed_policy->path}}}};
    else
      j["permissions_boundary"] = {{"managed_policy_arn", b.managed_policy_arn}};
  }
  if (!p.arn.empty()) j["arn"] = p.arn;
  if (!p.outdated_accounts.empty()) j["outdated_accounts"] = p.outdated_accounts;
  return j;
}

json ToJson(const Assignment& a) {
  return {{"principal_type", PrincipalTypeName(a.principal_type)},
          {"principal", a.principal},
          {"permission_set", a.permission_set},
          {"account_id", a.account_id}};
}

json ToJson(const Application& a) {
  json j = {{"name", a.name},
            {"assignment_required", a.assignment_required ? json(*a.assignment_required) : json(nullptr)}};
  if (!a.arn.empty()) j["arn"] = a.arn;
  return j;
}

json ToJson(const ApplicationAssignment& a) {
  return {{"principal_type", PrincipalTypeName(a.principal_type)},
          {"principal", a.principal},
          {"application", a.application}};
}

json ObjectToJson(const Object& o) {
  return std::visit([](const auto& v) { return ToJson(v); }, o);
}

namespace {
std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->get<std::string>();
}
PrincipalType PrincipalTypeOf(const json& j) {
  std::string t = Str(j, "principal_type");
  if (t != "USER" && t != "GROUP") throw json::other_error::create(501, "principal_type must be USER or GROUP", &j);
  return t == "USER" ? PrincipalType::kUser : PrincipalType::kGroup;
}
}  // namespace

Object ObjectFromJson(ObjectKind kind, const json& j) {
  if (!j.is_object()) throw json::type_error::create(302, "object expected", &j);
  switch (kind) {
    case ObjectKind::kUser:
      return User{Str(j, "user_name"),   Str(j, "display_name"), Str(j, "given_name"),
                  Str(j, "family_name"), Str(j, "email"),        Str(j, "id")};
    case ObjectKind::kGroup: return Group{Str(j, "name"), Str(j, "description"), Str(j, "id")};
    case ObjectKind::kMembership: return Membership{Str(j, "group"), Str(j, "user")};
    case ObjectKind::kAssignment:
      return Assignment{PrincipalTypeOf(j), Str(j, "principal"), Str(j, "permission_set"), Str(j, "account_id")};
    case ObjectKind::kApplicationAssignment:
      return ApplicationAssignment{PrincipalTypeOf(j), Str(j, "principal"), Str(j, "application")};
    case ObjectKind::kApplication: {
      Application a;
      a.name = Str(j, "name");
      auto r = j.find("assignment_required");
      if (r != j.end() && !r->is_null()) a.assignment_required = r->get<bool>();
      a.arn = Str(j, "arn");
      return a;
    }
    case ObjectKind::kPermissionSet: {
      PermissionSet p;
      p.name = Str(j, "name");
      p.description = Str(j, "description");
      p.session_duration = Str(j, "session_duration");
      p.relay_state = Str(j, "relay_state");
      if (j.contains("managed_policies")) p.managed_policies = j.at("managed_policies").get<std::set<std::string>>();
      if (j.contains("customer_managed_policies"))
        for (const auto& c : j.at("customer_managed_policies"))
          p.customer_managed_policies.insert({Str(c, "name"), Str(c, "path")});
      p.inline_policy = Str(j, "inline_policy");
      if (j.contains("permissions_boundary") && !j.at("permissions_boundary").is_null()) {
        const auto& b = j.at("permissions_boundary");
        PermissionsBoundary pb;
        if (b.contains("customer_managed_policy")) {
          const auto& c = b.at("customer_managed_policy");
          pb.customer_managed_policy = CustomerManagedPolicy{Str(c, "name"), Str(c, "path")};
        } else {
          pb.managed_policy_arn = Str(b, "managed_policy_arn");
        }
        p.permissions_boundary = pb;
      }
      if (j.contains("tags")) p.tags = j.at("tags").get<Tags>();
      p.arn = Str(j, "arn");
      if (j.contains("outdated_accounts")) p.outdated_accounts = j.at("outdated_accounts").get<std::set<std::string>>();
      return p;
    }
  }
  throw json::other_error::create(501, "unknown kind", &j);
}

json StateToJson(const DirectoryState& s) {
  json j;
  j["users"] = json::array();
  for (const auto& [k, u] : s.users) {
    User c = u;
    c.id.clear();
    j["users"].push_back(ToJson(c));
  }
  j["groups"] = json::array();
  for (const auto& [k, g] : s.groups) j["groups"].push_back({{"name", g.name}, {"description", g.description}});
  j["memberships"] = json::array();
  for (const auto& m : s.memberships) j["memberships"].push_back(ToJson(m));
  j["permission_sets"] = json::array();
  for (const auto& [k, p] : s.permission_sets) {
    PermissionSet c = p;
    c.arn.clear();
    j["permission_sets"].push_back(ToJson(c));
  }
  j["assignments"] = json::array();
  for (const auto& a : s.assignments) j["assignments"].push_back(ToJson(a));
  // Only when there are some: states without applications keep their fingerprints.
  for (const auto& [k, a] : s.applications) {
    Application c = a;
    c.arn.clear();
    j["applications"].push_back(ToJson(c));
  }
  for (const auto& a : s.application_assignments) j["application_assignments"].push_back(ToJson(a));
  return j;
}

namespace {

/// Hashes `"key":[e1,e2,...]` as StateToJson(s).dump() writes it, one element
/// at a time (the whole document is never built: hundreds of MB at scale).
class FingerprintWriter {
 public:
  template <typename Range, typename ToJsonFn>
  void Section(const char* key, const Range& items, ToJsonFn to_json, bool always = true) {
    if (!always && items.empty()) return;
    sha_.Update(first_ ? "{\"" : ",\"").Update(key).Update("\":[");
    first_ = false;
    bool first_item = true;
    for (const auto& item : items) {
      if (!first_item) sha_.Update(",");
      first_item = false;
      sha_.Update(to_json(item).dump());
    }
    sha_.Update("]");
  }
  std::string Finish() { return "sha256:" + sha_.Update(first_ ? "{}" : "}").Hex(); }

 private:
  Sha256 sha_;
  bool first_ = true;
};

}  // namespace

// Keys in the order nlohmann's object (a std::map) writes them; applications
// only when there are some, as StateToJson does. A unit test compares the two.
std::string StateFingerprint(const DirectoryState& s) {
  FingerprintWriter w;
  w.Section(
      "application_assignments", s.application_assignments, [](const auto& a) { return ToJson(a); }, false);
  w.Section(
      "applications", s.applications,
      [](const auto& kv) {
        Application c = kv.second;
        c.arn.clear();
        return ToJson(c);
      },
      false);
  w.Section("assignments", s.assignments, [](const auto& a) { return ToJson(a); });
  w.Section("groups", s.groups, [](const auto& kv) {
    return json{{"name", kv.second.name}, {"description", kv.second.description}};
  });
  w.Section("memberships", s.memberships, [](const auto& m) { return ToJson(m); });
  w.Section("permission_sets", s.permission_sets, [](const auto& kv) {
    PermissionSet c = kv.second;
    c.arn.clear();
    return ToJson(c);
  });
  w.Section("users", s.users, [](const auto& kv) {
    User c = kv.second;
    c.id.clear();
    return ToJson(c);
  });
  return w.Finish();
}

}  // namespace gatehouse
