// LocalTarget's applications: the local directory stands in for the console,
// so a declared application is created here; assignments follow Identity
// Center's rules (the principal and the application must exist).
#include <algorithm>

#include "runtime/local/local_target.h"

using nlohmann::json;

namespace gatehouse {

namespace {

std::string AppAssignKey(const json& principal_id, const json& application_arn) {
  return principal_id.get<std::string>() + "|" + application_arn.get<std::string>();
}

OpResult Fail(std::string msg) { return OpResult{false, std::move(msg)}; }

}  // namespace

void LocalTarget::IndexApplications() {
  apps_.clear();
  app_assigns_.clear();
  if (doc_.contains("applications"))
    for (size_t i = 0; i < doc_["applications"].size(); ++i)
      if (const json& a = doc_["applications"][i]; !a.is_null()) apps_[a.value("name", "")] = i;
  if (doc_.contains("application_assignments"))
    for (size_t i = 0; i < doc_["application_assignments"].size(); ++i)
      if (const json& a = doc_["application_assignments"][i]; !a.is_null())
        app_assigns_[AppAssignKey(a["principal_id"], a["application_arn"])] = i;
}

OpResult LocalTarget::ApplyApplication(const Operation& op) {
  const Application& v = std::get<Application>(op.value());
  json* cur = Lookup("applications", apps_, v.name);
  if (op.action == Action::kDelete) return Fail("Gatehouse does not delete applications");
  bool required = v.assignment_required.value_or(true);
  if (cur) {
    (*cur)["assignment_required"] = required;
    return {};
  }
  if (op.action == Action::kUpdate) return Fail("application '" + v.name + "' does not exist");
  if (!v.arn.empty())
    return Fail("application " + v.arn + " does not exist (an application declared by arn is not created)");
  std::string id = new_id_();
  id.erase(std::remove(id.begin(), id.end(), '-'), id.end());
  json j = {{"name", v.name},
            {"arn", "arn:aws:sso::000000000000:application/ssoins-local00000000000/apl-" + id.substr(0, 16)},
            {"assignment_required", required}};
  json& apps = doc_["applications"];
  if (!apps.is_array()) apps = json::array();
  apps.push_back(j);
  apps_[v.name] = apps.size() - 1;
  return {};
}

OpResult LocalTarget::ApplyApplicationAssignment(const Operation& op) {
  const ApplicationAssignment& a = std::get<ApplicationAssignment>(op.value());
  json* principal = Principal(a.principal_type, a.principal);
  json* app = Lookup("applications", apps_, a.application);
  if (op.action == Action::kDelete) {
    if (principal && app)
      Remove("application_assignments", &app_assigns_, AppAssignKey((*principal)["id"], (*app)["arn"]));
    return {};
  }
  bool user = a.principal_type == PrincipalType::kUser;
  if (!principal) return Fail(std::string(user ? "user '" : "group '") + a.principal + "' does not exist");
  if (!app) return Fail("application '" + a.application + "' does not exist");
  std::string key = AppAssignKey((*principal)["id"], (*app)["arn"]);
  if (app_assigns_.count(key)) return {};
  json& assigns = doc_["application_assignments"];
  if (!assigns.is_array()) assigns = json::array();
  assigns.push_back({{"application_arn", (*app)["arn"]},
                     {"principal_type", PrincipalTypeName(a.principal_type)},
                     {"principal_id", (*principal)["id"]}});
  app_assigns_[key] = assigns.size() - 1;
  return {};
}

}  // namespace gatehouse
