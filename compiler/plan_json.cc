#include "compiler/plan_json.h"

#include "compiler/scope.h"
#include "compiler/state_json.h"

namespace gatehouse {

using nlohmann::json;

namespace {

json Privilege(const std::string& p) { return p.empty() ? json(nullptr) : json(p); }

json AccessChangeToJson(const AccessChange& a) {
  if (!a.application.empty())
    return {
        {"change", AccessChangeKindName(a.change)}, {"user", a.user}, {"application", a.application}, {"via", a.via}};
  json j = {{"change", AccessChangeKindName(a.change)}, {"user", a.user},
            {"permission_set", a.permission_set},       {"account_id", a.account_id},
            {"account_name", a.account_name},           {"via", a.via},
            {"privilege", Privilege(a.privilege)}};
  if (a.privilege_change()) {
    j["privilege_before"] = Privilege(a.privilege_before);
    j["notable_actions_gained"] = a.notable_actions_gained;
    j["notable_actions_lost"] = a.notable_actions_lost;
  }
  return j;
}

bool AccessChangeFromJson(const json& a, AccessChange* c, std::string* err) {
  auto kind = ParseAccessChangeKind(a.value("change", "gain"));
  if (!kind) {
    *err = "unknown access change '" + a.value("change", "") + "' in plan";
    return false;
  }
  c->change = *kind;
  c->user = a.value("user", "");
  c->application = a.value("application", "");
  c->permission_set = a.value("permission_set", "");
  c->account_id = a.value("account_id", "");
  c->account_name = a.value("account_name", "");
  c->via = a.value("via", std::vector<std::string>{});
  if (a.contains("privilege") && a["privilege"].is_string()) c->privilege = a["privilege"];
  if (a.contains("privilege_before") && a["privilege_before"].is_string()) c->privilege_before = a["privilege_before"];
  c->notable_actions_gained = a.value("notable_actions_gained", std::vector<std::string>{});
  c->notable_actions_lost = a.value("notable_actions_lost", std::vector<std::string>{});
  return true;
}

}  // namespace

json PlanToJson(const Plan& plan, const std::map<std::string, Account>* accounts) {
  json changes = json::array();
  for (const auto& op : plan.operations) {
    json c = {{"kind", ObjectKindName(op.kind)},
              {"action", ActionName(op.action)},
              {"name", op.name},
              {"before", op.before ? ObjectToJson(*op.before) : json(nullptr)},
              {"after", op.after ? ObjectToJson(*op.after) : json(nullptr)},
              {"depends_on", op.depends_on}};
    if (!op.reason.empty()) c["reason"] = op.reason;
    if (accounts && op.kind == ObjectKind::kAssignment) {
      for (const char* side : {"before", "after"}) {
        if (c[side].is_null()) continue;
        auto it = accounts->find(c[side]["account_id"].get<std::string>());
        if (it != accounts->end()) c[side]["account_name"] = it->second.name;
      }
    }
    changes.push_back(std::move(c));
  }
  json access = json::array(), applications = json::array();
  for (const auto& a : plan.access_changes)
    (a.application.empty() ? access : applications).push_back(AccessChangeToJson(a));
  PlanSummary s = Summarize(plan);
  json doc = {{"format_version", "1"},
              {"config_digest", plan.config_digest},
              {"live_fingerprint", plan.live_fingerprint},
              {"changes", changes},
              {"access_changes", access},
              {"notes", plan.notes},
              {"summary", {{"create", s.create}, {"update", s.update}, {"delete", s.del}, {"replace", s.replace}}}};
  if (!applications.empty()) doc["application_access_changes"] = applications;
  if (plan.scope)
    doc["scope"] = {{"scoped", true},
                    {"origin", plan.scope->origin},
                    {"objects_read", plan.objects_read},
                    {"drift_elsewhere_checked", false},
                    {"slice", ScopeToJson(*plan.scope)}};
  return doc;
}

bool PlanFromJson(const json& j, Plan* plan, std::string* err) {
  try {
    if (!j.is_object() || j.value("format_version", "") != "1") {
      *err = "not a Gatehouse plan file (format_version \"1\" expected)";
      return false;
    }
    plan->config_digest = j.at("config_digest").get<std::string>();
    plan->live_fingerprint = j.at("live_fingerprint").get<std::string>();
    plan->operations.clear();
    for (const auto& c : j.at("changes")) {
      Operation op;
      auto kind = ParseObjectKind(c.at("kind").get<std::string>());
      auto action = ParseAction(c.at("action").get<std::string>());
      if (!kind || !action) {
        *err = "unknown change kind or action in plan";
        return false;
      }
      op.kind = *kind;
      op.action = *action;
      op.name = c.at("name").get<std::string>();
      if (!c.at("before").is_null()) op.before = ObjectFromJson(op.kind, c.at("before"));
      if (!c.at("after").is_null()) op.after = ObjectFromJson(op.kind, c.at("after"));
      if ((op.action != Action::kCreate && !op.before) || (op.action != Action::kDelete && !op.after)) {
        *err = "change '" + op.name + "' lacks its before or after value";
        return false;
      }
      op.depends_on = c.at("depends_on").get<std::vector<size_t>>();
      op.reason = c.value("reason", "");
      plan->operations.push_back(std::move(op));
    }
    for (const auto& op : plan->operations)
      for (size_t d : op.depends_on)
        if (d >= plan->operations.size()) {
          *err = "change '" + op.name + "' depends on a change that is not in the plan";
          return false;
        }
    plan->notes.clear();
    if (j.contains("notes")) plan->notes = j.at("notes").get<std::vector<std::string>>();
    plan->scope.reset();
    plan->objects_read = 0;
    if (j.contains("scope")) {
      plan->scope = std::make_shared<Scope>(ScopeFromJson(j.at("scope").at("slice")));
      plan->scope->origin = j.at("scope").value("origin", "");
      plan->objects_read = j.at("scope").value("objects_read", size_t{0});
    }
    plan->access_changes.clear();
    for (const char* key : {"access_changes", "application_access_changes"})
      if (j.contains(key))
        for (const auto& a : j.at(key)) {
          AccessChange c;
          if (!AccessChangeFromJson(a, &c, err)) return false;
          plan->access_changes.push_back(std::move(c));
        }
  } catch (const json::exception& e) {
    *err = std::string("malformed plan file: ") + e.what();
    return false;
  }
  return true;
}

}  // namespace gatehouse
