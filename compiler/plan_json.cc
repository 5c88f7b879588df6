#include "compiler/plan_json.h"

#include <sstream>

#include "compiler/access.h"
#include "compiler/state_json.h"

namespace gatehouse {

using nlohmann::json;

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
  json access = json::array();
  for (const auto& a : plan.access_changes)
    access.push_back({{"change", a.gained ? "gain" : "lose"},
                      {"user", a.user},
                      {"permission_set", a.permission_set},
                      {"account_id", a.account_id},
                      {"account_name", a.account_name},
                      {"via", a.via},
                      {"privilege", a.privilege.empty() ? json(nullptr) : json(a.privilege)}});
  PlanSummary s = Summarize(plan);
  return {{"format_version", "1"},
          {"config_digest", plan.config_digest},
          {"live_fingerprint", plan.live_fingerprint},
          {"changes", changes},
          {"access_changes", access},
          {"notes", plan.notes},
          {"summary", {{"create", s.create}, {"update", s.update}, {"delete", s.del}, {"replace", s.replace}}}};
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
    plan->access_changes.clear();
    if (j.contains("access_changes"))
      for (const auto& a : j.at("access_changes")) {
        AccessChange c;
        c.gained = a.value("change", "gain") == "gain";
        c.user = a.value("user", "");
        c.permission_set = a.value("permission_set", "");
        c.account_id = a.value("account_id", "");
        c.account_name = a.value("account_name", "");
        c.via = a.value("via", std::vector<std::string>{});
        if (a.contains("privilege") && a["privilege"].is_string()) c.privilege = a["privilege"];
        plan->access_changes.push_back(c);
      }
  } catch (const json::exception& e) {
    *err = std::string("malformed plan file: ") + e.what();
    return false;
  }
  return true;
}

namespace {

const char* Symbol(Action a) {
  switch (a) {
    case Action::kCreate: return "+";
    case Action::kUpdate: return "~";
    case Action::kDelete: return "-";
    case Action::kReplace: return "-/+";
  }
  return "?";
}

const char* ColorOf(Action a) {
  switch (a) {
    case Action::kCreate: return "\033[32m";
    case Action::kUpdate: return "\033[33m";
    case Action::kDelete: return "\033[31m";
    case Action::kReplace: return "\033[35m";
  }
  return "";
}

std::string Show(const json& v) {
  if (v.is_string()) return "\"" + v.get<std::string>() + "\"";
  return v.dump();
}

std::vector<std::string> SplitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  return lines;
}

/// An inline policy as indented JSON lines, so reviewers read statements, not one long string.
std::vector<std::string> PolicyLines(const json& v) {
  if (!v.is_string()) return {};
  json doc = json::parse(v.get<std::string>(), nullptr, false);
  return SplitLines(doc.is_discarded() ? v.get<std::string>() : doc.dump(2));
}

/// A line diff (longest common subsequence) of two short texts: " ", "-" or "+" per line.
std::vector<std::pair<char, std::string>> LineDiff(const std::vector<std::string>& a,
                                                   const std::vector<std::string>& b) {
  size_t n = a.size(), m = b.size();
  std::vector<std::vector<size_t>> lcs(n + 1, std::vector<size_t>(m + 1, 0));
  for (size_t i = n; i-- > 0;)
    for (size_t j = m; j-- > 0;)
      lcs[i][j] = a[i] == b[j] ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
  std::vector<std::pair<char, std::string>> out;
  size_t i = 0, j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && a[i] == b[j]) {
      out.push_back({' ', a[i++]});
      ++j;
    } else if (i < n && (j == m || lcs[i + 1][j] >= lcs[i][j + 1])) {
      out.push_back({'-', a[i++]});
    } else {
      out.push_back({'+', b[j++]});
    }
  }
  return out;
}

void Fields(std::ostringstream& o, const Operation& op) {
  json before = op.before ? ObjectToJson(*op.before) : json::object();
  json after = op.after ? ObjectToJson(*op.after) : json::object();
  for (const char* hidden : {"id", "arn", "outdated_accounts"}) {
    before.erase(hidden);
    after.erase(hidden);
  }
  auto empty = [](const json& v) {
    return v.is_null() || (v.is_string() && v.get<std::string>().empty()) || (v.is_array() && v.empty()) ||
           (v.is_object() && v.empty());
  };
  if (op.action == Action::kCreate) {
    for (auto& [k, v] : after.items()) {
      if (empty(v)) continue;
      if (k == "inline_policy") {
        o << "      inline_policy =\n";
        for (const auto& l : PolicyLines(v)) o << "          " << l << "\n";
        continue;
      }
      o << "      " << k << " = " << Show(v) << "\n";
    }
  } else if (op.action == Action::kUpdate || op.action == Action::kReplace) {
    for (auto& [k, v] : after.items()) {
      if (before[k] == v) continue;
      if (k == "inline_policy" && v.is_string() && before[k].is_string()) {
        // Changed lines with three lines of context, as a unified diff shows them.
        o << "      inline_policy:\n";
        auto diff = LineDiff(PolicyLines(before[k]), PolicyLines(v));
        std::vector<bool> show(diff.size(), false);
        for (size_t d = 0; d < diff.size(); ++d)
          if (diff[d].first != ' ')
            for (size_t c = d > 3 ? d - 3 : 0; c < std::min(diff.size(), d + 4); ++c) show[c] = true;
        bool gap = false;
        for (size_t d = 0; d < diff.size(); ++d) {
          if (!show[d]) {
            if (!gap) o << "          ...\n";
            gap = true;
            continue;
          }
          gap = false;
          o << "        " << diff[d].first << " " << diff[d].second << "\n";
        }
        continue;
      }
      o << "      " << k << ": " << Show(before[k]) << " -> " << Show(v) << "\n";
    }
  }
}

}  // namespace

std::string SummaryLine(const Plan& plan) {
  PlanSummary s = Summarize(plan);
  if (plan.empty()) return "No changes. The live directory matches the configuration.";
  std::ostringstream o;
  o << "Plan: " << s.create << " to create, " << s.update << " to update, " << s.del << " to delete, " << s.replace
    << " to replace.";
  return o.str();
}

std::string RenderPlanText(const Plan& plan, const TextOptions& opt) {
  std::ostringstream o;
  const char* reset = opt.color ? "\033[0m" : "";
  for (const auto& op : plan.operations) {
    o << (opt.color ? ColorOf(op.action) : "") << "  " << Symbol(op.action) << " " << ObjectKindName(op.kind) << " "
      << op.name << reset;
    if (!op.reason.empty()) o << "  # " << op.reason;
    if (opt.accounts && op.kind == ObjectKind::kAssignment) {
      const auto& a = std::get<Assignment>(op.after ? *op.after : *op.before);
      auto it = opt.accounts->find(a.account_id);
      if (it != opt.accounts->end() && it->second.name != a.account_id) o << "  # account " << it->second.name;
    }
    o << "\n";
    if (op.kind != ObjectKind::kAssignment && op.kind != ObjectKind::kMembership) Fields(o, op);
  }
  if (!plan.access_changes.empty()) {
    o << "\nAccess changes:\n";
    for (const auto& a : plan.access_changes)
      o << "  " << (opt.color ? (a.gained ? "\033[32m" : "\033[31m") : "") << (a.gained ? "+ " : "- ") << reset
        << DescribeAccessChange(a) << "\n";
  }
  for (const auto& n : plan.notes) o << "\nnote: " << n;
  if (!plan.notes.empty()) o << "\n";
  o << "\n" << SummaryLine(plan) << "\n";
  return o.str();
}

}  // namespace gatehouse
