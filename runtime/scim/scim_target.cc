#include "runtime/scim/scim_target.h"

#include <algorithm>
#include <cctype>

#include "runtime/aws/http_client.h"
#include "runtime/scim/scim_json.h"

namespace gatehouse::scim {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxMembersPerPatch = 100;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

OpResult Fail(std::string message) { return {false, std::move(message)}; }

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : "";
}

const char* NameAttribute(const std::string& resource) { return resource == "Users" ? "userName" : "displayName"; }

}  // namespace

ScimTarget::ScimTarget(ScimOptions options, std::unique_ptr<aws::HttpTransport> transport, aws::Environment env)
    : transport_(std::move(transport)), client_(std::move(options), transport_.get(), std::move(env)) {}

std::string ScimTarget::Describe() const { return "SCIM service " + aws::UrlHost(client_.options().base_url); }

void ScimTarget::Remember(const std::string& resource, const std::string& name, const std::string& id) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_[resource][Lower(name)] = id;
}

void ScimTarget::Forget(const std::string& resource, const std::string& name) {
  std::lock_guard<std::mutex> lock(mu_);
  ids_[resource].erase(Lower(name));
}

std::optional<std::string> ScimTarget::FindId(const std::string& resource, const std::string& name, std::string* err) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto& m = ids_[resource];
    if (auto it = m.find(Lower(name)); it != m.end()) return it->second;
  }
  std::vector<json> found;
  if (!client_.List(resource, EqFilter(NameAttribute(resource), name), &found, err)) return std::nullopt;
  for (const auto& r : found) {
    if (Lower(Str(r, NameAttribute(resource))) != Lower(name) || Str(r, "id").empty()) continue;
    Remember(resource, name, Str(r, "id"));
    return Str(r, "id");
  }
  return std::nullopt;
}

bool ScimTarget::Read(const std::map<std::string, Account>& accounts_hint, DirectoryState* out, std::string* err) {
  (void)accounts_hint;
  std::vector<json> users, groups;
  if (!client_.List("Users", "", &users, err) || !client_.List("Groups", "", &groups, err)) return false;
  std::map<std::string, std::map<std::string, std::string>> ids;
  std::map<std::string, std::string> user_by_id;
  for (const auto& r : users) {
    User u = UserFromScim(r);
    if (u.user_name.empty() || u.id.empty()) continue;
    ids["Users"][Lower(u.user_name)] = u.id;
    user_by_id[u.id] = u.user_name;
    out->users[u.user_name] = u;
  }
  bool provider_lists_members = false;
  for (const auto& r : groups) {
    auto members = r.find("members");
    if (members != r.end() && members->is_array() && !members->empty()) provider_lists_members = true;
  }
  for (const auto& r : groups) {
    Group g = GroupFromScim(r);
    if (g.name.empty() || g.id.empty()) continue;
    ids["Groups"][Lower(g.name)] = g.id;
    out->groups[g.name] = g;
    if (provider_lists_members) {
      auto members = r.find("members");
      if (members == r.end() || !members->is_array()) continue;
      for (const auto& m : *members) {
        // Nested groups and unknown members are not Gatehouse memberships.
        if (!m.is_object()) continue;
        if (auto it = user_by_id.find(Str(m, "value")); it != user_by_id.end())
          out->memberships.insert({g.name, it->second});
      }
      continue;
    }
    std::vector<json> in_group;
    if (!client_.List("Users", EqFilter("groups.value", g.id), &in_group, err)) return false;
    for (const auto& u : in_group)
      if (auto it = user_by_id.find(Str(u, "id")); it != user_by_id.end())
        out->memberships.insert({g.name, it->second});
  }
  std::lock_guard<std::mutex> lock(mu_);
  ids_ = std::move(ids);
  return true;
}

OpResult ScimTarget::Apply(const Operation& op) {
  switch (op.kind) {
    case ObjectKind::kUser: return ApplyUser(op);
    case ObjectKind::kGroup: return ApplyGroup(op);
    case ObjectKind::kMembership: return ApplyMembership(op);
    default: return Fail("the SCIM target holds only users, groups and memberships, not '" + op.name + "'");
  }
}

OpResult ScimTarget::ApplyUser(const Operation& op) {
  const User& v = std::get<User>(op.after ? *op.after : *op.before);
  std::string err;
  if (op.action == Action::kDelete) {
    auto id = FindId("Users", v.user_name, &err);
    if (!id) return err.empty() ? OpResult{} : Fail(err);
    ScimResponse r = client_.Call("DELETE", "/Users/" + QueryEscape(*id));
    if (!r.ok() && r.status != 404) return Fail("deleting user '" + v.user_name + "': " + r.error);
    Forget("Users", v.user_name);
    return {};
  }
  json body = UserToScim(v);
  if (op.action == Action::kCreate) {
    ScimResponse r = client_.Call("POST", "/Users", &body);
    if (r.ok() && !Str(r.body, "id").empty()) {
      Remember("Users", v.user_name, Str(r.body, "id"));
      return {};
    }
    if (r.ok()) return Fail("creating user '" + v.user_name + "': the SCIM service returned no id");
    if (r.status != 409) return Fail("creating user '" + v.user_name + "': " + r.error);
    // It exists (a rerun after a crash, or made out of band): adopt it, then make it match.
  }
  auto id = FindId("Users", v.user_name, &err);
  if (!id) return Fail(err.empty() ? "user '" + v.user_name + "' does not exist in the SCIM service" : err);
  body["id"] = *id;
  ScimResponse r = client_.Call("PUT", "/Users/" + QueryEscape(*id), &body);
  if (!r.ok()) return Fail("updating user '" + v.user_name + "': " + r.error);
  return {};
}

OpResult ScimTarget::ApplyGroup(const Operation& op) {
  const Group& v = std::get<Group>(op.after ? *op.after : *op.before);
  std::string err;
  if (op.action == Action::kDelete) {
    auto id = FindId("Groups", v.name, &err);
    if (!id) return err.empty() ? OpResult{} : Fail(err);
    ScimResponse r = client_.Call("DELETE", "/Groups/" + QueryEscape(*id));
    if (!r.ok() && r.status != 404) return Fail("deleting group '" + v.name + "': " + r.error);
    Forget("Groups", v.name);
    return {};
  }
  if (op.action == Action::kCreate) {
    json body = GroupToScim(v);
    ScimResponse r = client_.Call("POST", "/Groups", &body);
    if (r.ok() && !Str(r.body, "id").empty()) {
      Remember("Groups", v.name, Str(r.body, "id"));
      return {};
    }
    if (r.ok()) return Fail("creating group '" + v.name + "': the SCIM service returned no id");
    if (r.status != 409) return Fail("creating group '" + v.name + "': " + r.error);
  }
  // An update changes only the description, which SCIM's core Group lacks:
  // nothing to send once the group is known to exist.
  auto id = FindId("Groups", v.name, &err);
  if (!id) return Fail(err.empty() ? "group '" + v.name + "' does not exist in the SCIM service" : err);
  return {};
}

OpResult ScimTarget::ApplyMembership(const Operation& op) {
  const Membership& m = std::get<Membership>(op.after ? *op.after : *op.before);
  bool remove = op.action == Action::kDelete;
  std::string err;
  auto group_id = FindId("Groups", m.group, &err);
  if (!group_id && !err.empty()) return Fail(err);
  auto user_id = group_id ? FindId("Users", m.user, &err) : std::nullopt;
  if (!user_id && !err.empty()) return Fail(err);
  if (!group_id || !user_id) {
    if (remove) return {};  // the group or user is gone, and its memberships with it
    if (!group_id) return Fail("group '" + m.group + "' does not exist in the SCIM service");
    return Fail("user '" + m.user + "' does not exist in the SCIM service, so it cannot join group '" + m.group + "'");
  }
  OpResult r = PatchMembers(*group_id, remove ? "remove" : "add", {*user_id});
  if (!r.ok)
    r.error = (remove ? "removing '" : "adding '") + m.user + (remove ? "' from" : "' to") + " group '" + m.group +
              "': " + r.error;
  return r;
}

OpResult ScimTarget::PatchMembers(const std::string& group_id, const std::string& op,
                                  const std::vector<std::string>& user_ids) {
  for (size_t i = 0; i < user_ids.size(); i += kMaxMembersPerPatch) {
    std::vector<std::string> chunk(
        user_ids.begin() + static_cast<long>(i),
        user_ids.begin() + static_cast<long>(std::min(user_ids.size(), i + kMaxMembersPerPatch)));
    json body = MembersPatch(op, chunk);
    ScimResponse r = client_.Call("PATCH", "/Groups/" + QueryEscape(group_id), &body);
    if (r.status == 404 && op == "remove") return {};
    if (!r.ok()) return Fail(r.error);
  }
  return {};
}

std::unique_ptr<ScimTarget> MakeScimTarget(const TargetSpec& spec, const aws::Environment& env, std::string* err) {
  aws::Environment e = env.WithDefaults();
  if (spec.scim_token_env.empty()) {
    *err = "target.users_and_groups.scim needs token_env, the environment variable holding the bearer token";
    return nullptr;
  }
  std::optional<std::string> token = aws::GetEnv(e, spec.scim_token_env);
  if (!token) {
    *err = "the SCIM bearer token variable `" + spec.scim_token_env +
           "` is not set (target.users_and_groups.scim.token_env); export it before running gatehouse";
    return nullptr;
  }
  std::string url_err;
  if (!aws::ValidateEndpointUrl(spec.scim_url, &url_err)) {
    *err = "target.users_and_groups.scim.url: " + url_err;
    return nullptr;
  }
  ScimOptions o;
  o.base_url = spec.scim_url;
  o.token = *token;
  o.token_env = spec.scim_token_env;
  return std::make_unique<ScimTarget>(std::move(o), std::make_unique<aws::CurlHttpClient>(), std::move(e));
}

}  // namespace gatehouse::scim
