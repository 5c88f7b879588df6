#include "compiler/lint/lint_params.h"

#include <algorithm>

#include "compiler/config_loader.h"
#include "compiler/iam/action_catalog.h"
#include "compiler/iam/policy_validator.h"
#include "compiler/lint/rule_catalog.h"

namespace gatehouse::lint {

const std::vector<std::string>& DefaultAuditActions() {
  static const std::vector<std::string> kActions = {"cloudtrail:DeleteTrail",
                                                    "cloudtrail:StopLogging",
                                                    "cloudtrail:UpdateTrail",
                                                    "logs:DeleteLogGroup",
                                                    "logs:DeleteLogStream",
                                                    "config:DeleteConfigurationRecorder",
                                                    "config:StopConfigurationRecorder",
                                                    "config:DeleteDeliveryChannel"};
  return kActions;
}

namespace {

Severity LevelOf(const std::string& level) {
  if (level == "error") return Severity::kError;
  if (level == "warning") return Severity::kWarning;
  return Severity::kNote;
}

bool StringList(const YamlNode& v, const std::string& what, std::vector<std::string>* out, Diagnostics* errors) {
  if (!v.IsSequence()) {
    errors->Error(v.span, what + " must be a list of strings, not " + v.Describe(), "");
    return false;
  }
  std::vector<std::string> items;
  for (const YamlNode& item : v.items) {
    if (!item.IsScalar()) {
      errors->Error(item.span, what + " must be a list of strings, not a list holding " + item.Describe(), "");
      return false;
    }
    items.push_back(item.value);
  }
  *out = std::move(items);
  return true;
}

void Duration(const YamlNode& v, const std::string& name, long* out, Diagnostics* errors) {
  long seconds = v.IsScalar() ? ParseIsoDuration(v.value) : -1;
  if (seconds < 3600 || seconds > 12 * 3600) {
    errors->Error(v.span, "session-duration " + name + " must be an ISO-8601 duration from PT1H to PT12H",
                  "e.g. " + name + ": PT4H");
    return;
  }
  *out = seconds;
}

void AuditActions(const YamlNode& v, std::vector<std::string>* out, Diagnostics* errors) {
  std::vector<std::string> actions;
  if (!StringList(v, "protect-audit-logs actions", &actions, errors)) return;
  const iam::ActionCatalog& catalog = iam::BuiltinCatalog();
  bool ok = true;
  for (size_t i = 0; i < actions.size(); ++i) {
    if (catalog.Find(actions[i])) continue;
    std::string service = actions[i].substr(0, actions[i].find(':'));
    std::string near = iam::ClosestMatch(actions[i], catalog.ExpandNames(service + ":*"));
    errors->Error(v.items[i].span, "'" + actions[i] + "' is not an action in the AWS catalog",
                  near.empty() ? "write service:Action, without wildcards" : "did you mean '" + near + "'?");
    ok = false;
  }
  if (ok) *out = std::move(actions);
}

void DutyPairs(const YamlNode& v, const Config& config, std::vector<DutyPair>* out, Diagnostics* errors) {
  if (!v.IsSequence()) {
    errors->Error(v.span, "separation-of-duties pairs must be a list", "e.g. pairs: [{groups: [A, B]}]");
    return;
  }
  std::vector<std::string> groups, sets;
  for (const auto& g : config.groups) groups.push_back(g.group.name);
  for (const auto& p : config.permission_sets) sets.push_back(p.ps.name);
  for (const YamlNode& item : v.items) {
    if (!item.IsMap() || item.entries.size() != 1 ||
        (item.entries[0].first.value != "groups" && item.entries[0].first.value != "permission_sets")) {
      errors->Error(item.span, "a separation-of-duties pair is {groups: [A, B]} or {permission_sets: [X, Y]}", "");
      continue;
    }
    const auto& [key, names] = item.entries[0];
    DutyPair pair;
    pair.groups = key.value == "groups";
    pair.span = key.span;
    std::vector<std::string> two;
    if (!StringList(names, "a separation-of-duties pair", &two, errors)) continue;
    if (two.size() != 2 || two[0] == two[1]) {
      errors->Error(
          names.span,
          "a separation-of-duties pair names two different " + std::string(pair.groups ? "groups" : "permission sets"),
          "");
      continue;
    }
    const std::vector<std::string>& known = pair.groups ? groups : sets;
    bool ok = true;
    for (size_t i = 0; i < 2; ++i) {
      if (std::find(known.begin(), known.end(), two[i]) != known.end()) continue;
      std::string hint = DidYouMean(two[i], known);
      errors->Error(names.items[i].span,
                    std::string(pair.groups ? "group" : "permission set") + " '" + two[i] + "' is not declared" +
                        (hint.empty() ? "" : "; " + hint),
                    "");
      ok = false;
    }
    if (!ok) continue;
    pair.first = two[0];
    pair.second = two[1];
    out->push_back(pair);
  }
}

}  // namespace

void ReadLintParams(const Config& config, LintParams* out, Diagnostics* errors) {
  out->audit_actions = DefaultAuditActions();
  for (const RuleInfo& rule : LintRules()) out->levels[rule.id] = LevelOf(rule.default_level);
  for (const auto& [id, rc] : config.policy.rules) {
    const RuleInfo* rule = FindLintRule(id);
    if (!rule) continue;  // the config parser already reported it
    if (rc.level == "off")
      out->levels.erase(id);
    else if (!rc.level.empty())
      out->levels[id] = LevelOf(rc.level);
    if (!rc.node.IsMap()) continue;
    std::vector<std::string> names;
    for (const RuleParam& p : rule->params) names.push_back(p.name);
    for (const auto& [k, v] : rc.node.entries) {
      if (k.value == "level") continue;
      if (std::find(names.begin(), names.end(), k.value) == names.end()) {
        std::string hint = DidYouMean(k.value, names);
        std::string takes = "it takes ";
        for (size_t i = 0; i < names.size(); ++i) takes += (i ? ", " : "") + names[i];
        errors->Error(k.span,
                      "rule '" + id + "' has no parameter '" + k.value + "'" + (hint.empty() ? "" : "; " + hint),
                      names.empty() ? "it takes only 'level'" : takes + " and 'level'");
        continue;
      }
      if (id == "session-duration" && k.value == "max")
        Duration(v, "max", &out->session_max, errors);
      else if (id == "session-duration")
        Duration(v, "privileged_max", &out->privileged_session_max, errors);
      else if (id == "environment-separation")
        StringList(v, "production", &out->separation_production, errors);
      else if (id == "protect-audit-logs" && k.value == "production")
        StringList(v, "production", &out->audit_production, errors);
      else if (id == "protect-audit-logs")
        AuditActions(v, &out->audit_actions, errors);
      else if (id == "separation-of-duties")
        DutyPairs(v, config, &out->duty_pairs, errors);
    }
  }
  if (out->privileged_session_max > out->session_max) {
    auto it = config.policy.rules.find("session-duration");
    SourceSpan at = it == config.policy.rules.end() ? SourceSpan{} : it->second.span;
    errors->Error(at, "session-duration privileged_max is longer than max", "privileged sets get the shorter limit");
  }
}

}  // namespace gatehouse::lint
