#include "compiler/iam/action_catalog.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "compiler/iam/embedded_data.h"
#include "compiler/iam/read_verbs.h"

namespace gatehouse::iam {
namespace {

char LowerChar(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool HasWildcard(std::string_view s) { return s.find_first_of("*?") != std::string_view::npos; }

/// Global condition keys (prefix `aws:`) with their types, from the AWS global
/// condition context keys reference. The data package lists only the tag keys.
const std::vector<ConditionKeyInfo>& GlobalConditionKeys() {
  static const std::vector<ConditionKeyInfo> keys = {
      {"aws:CalledVia", "ArrayOfString"},
      {"aws:CalledViaFirst", "String"},
      {"aws:CalledViaLast", "String"},
      {"aws:CurrentTime", "Date"},
      {"aws:EpochTime", "Date"},
      {"aws:FederatedProvider", "String"},
      {"aws:MultiFactorAuthAge", "Numeric"},
      {"aws:MultiFactorAuthPresent", "Bool"},
      {"aws:PrincipalAccount", "String"},
      {"aws:PrincipalArn", "ARN"},
      {"aws:PrincipalIsAWSService", "Bool"},
      {"aws:PrincipalOrgID", "String"},
      {"aws:PrincipalOrgPaths", "ArrayOfString"},
      {"aws:PrincipalServiceName", "String"},
      {"aws:PrincipalServiceNamesList", "ArrayOfString"},
      {"aws:PrincipalTag/${TagKey}", "String"},
      {"aws:PrincipalType", "String"},
      {"aws:RequestedRegion", "String"},
      {"aws:RequestTag/${TagKey}", "String"},
      {"aws:ResourceAccount", "String"},
      {"aws:ResourceOrgID", "String"},
      {"aws:ResourceOrgPaths", "ArrayOfString"},
      {"aws:ResourceTag/${TagKey}", "String"},
      {"aws:SecureTransport", "Bool"},
      {"aws:SourceAccount", "String"},
      {"aws:SourceArn", "ARN"},
      {"aws:SourceIdentity", "String"},
      {"aws:SourceIp", "IPAddress"},
      {"aws:SourceOrgID", "String"},
      {"aws:SourceOrgPaths", "ArrayOfString"},
      {"aws:SourceVpc", "String"},
      {"aws:SourceVpce", "String"},
      {"aws:TagKeys", "ArrayOfString"},
      {"aws:TokenIssueTime", "Date"},
      {"aws:UserAgent", "String"},
      {"aws:userid", "String"},
      {"aws:username", "String"},
      {"aws:ViaAWSService", "Bool"},
      {"aws:VpcSourceIp", "IPAddress"},
      {"aws:Ec2InstanceSourceVpc", "String"},
      {"aws:Ec2InstanceSourcePrivateIPv4", "IPAddress"},
      {"aws:AssumedRoot", "Bool"},
      {"aws:Referer", "String"},
      {"aws:ChatbotSourceArn", "ARN"},
      {"aws:SourceOwner", "String"},
  };
  return keys;
}

/// A condition key spelled with templates ("s3:ExistingObjectTag/${TagKey}")
/// as a wildcard pattern.
std::string KeyPattern(std::string_view key) {
  std::string out;
  for (std::size_t i = 0; i < key.size(); ++i) {
    if (key[i] == '$' && i + 1 < key.size() && key[i + 1] == '{') {
      std::size_t close = key.find('}', i);
      if (close != std::string_view::npos) {
        out += '*';
        i = close;
        continue;
      }
    }
    out += key[i];
  }
  return out;
}

const ConditionKeyInfo* FindKeyIn(const std::vector<ConditionKeyInfo>& keys, std::string_view key) {
  for (const ConditionKeyInfo& info : keys) {
    if (info.key.size() == key.size() && ToLower(info.key) == ToLower(key)) return &info;
  }
  for (const ConditionKeyInfo& info : keys) {
    if (info.key.find("${") != std::string::npos && WildcardMatch(KeyPattern(info.key), key)) {
      return &info;
    }
  }
  return nullptr;
}

}  // namespace

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = LowerChar(c);
  return out;
}

bool WildcardMatch(std::string_view pattern, std::string_view text) {
  // Greedy matching with one backtrack point: linear for patterns with a
  // single `*`, O(n*m) in the worst case, which action names keep tiny.
  std::size_t p = 0, t = 0;
  std::size_t star = std::string_view::npos, star_text = 0;
  while (t < text.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_text = t;
    } else if (p < pattern.size() && (pattern[p] == '?' || LowerChar(pattern[p]) == LowerChar(text[t]))) {
      ++p;
      ++t;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      t = ++star_text;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

const char* AccessLevelName(AccessLevel level) {
  switch (level) {
    case kList: return "List";
    case kRead: return "Read";
    case kWrite: return "Write";
    case kPermissionsManagement: return "Permissions management";
    case kTagging: return "Tagging";
  }
  return "?";
}

bool ParseAccessLevels(std::string_view letters, AccessLevels* out) {
  AccessLevels levels = 0;
  for (char c : letters) {
    switch (c) {
      case 'L': levels |= kList; break;
      case 'R': levels |= kRead; break;
      case 'W': levels |= kWrite; break;
      case 'P': levels |= kPermissionsManagement; break;
      case 'T': levels |= kTagging; break;
      default: return false;
    }
  }
  *out = levels;
  return true;
}

namespace {

/// The condition keys of a service of actions.json: [[key, type], ...].
bool ParseConditionKeys(const nlohmann::json& svc, ServiceInfo* service, std::string* err) {
  if (!svc.contains("keys") || !svc["keys"].is_array()) return true;
  for (const nlohmann::json& key : svc["keys"]) {
    if (!key.is_array() || key.size() != 2 || !key[0].is_string() || !key[1].is_string()) {
      *err = "service `" + service->prefix + "` has a malformed condition key";
      return false;
    }
    service->condition_keys.push_back({key[0].get<std::string>(), key[1].get<std::string>()});
  }
  return true;
}

/// One action of actions.json: [levels, [resource types], [condition key indexes]].
bool ParseAction(const ServiceInfo& service, const std::string& name, const nlohmann::json& a, ActionInfo* info,
                 std::string* err) {
  info->service = service.prefix;
  info->name = name;
  info->lower = ToLower(service.prefix + ":" + name);
  if (!a.is_array() || a.size() != 3 || !a[0].is_string() || !a[1].is_array() || !a[2].is_array() ||
      !ParseAccessLevels(a[0].get<std::string>(), &info->levels)) {
    *err = "action `" + service.prefix + ":" + name + "` is malformed";
    return false;
  }
  for (const nlohmann::json& rt : a[1]) {
    if (rt.is_string()) info->resource_types.push_back(rt.get<std::string>());
  }
  for (const nlohmann::json& k : a[2]) {
    if (k.is_number_unsigned() && k.get<std::size_t>() < service.condition_keys.size()) {
      info->condition_keys.push_back(service.condition_keys[k.get<std::size_t>()].key);
    }
  }
  return true;
}

}  // namespace

bool ActionCatalog::FromJson(std::string_view json, ActionCatalog* out, std::string* err) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("services") || !doc["services"].is_object()) {
    *err = "action catalog is not a JSON object with `services`";
    return false;
  }
  ActionCatalog catalog;
  // Sorted by prefix so ids are deterministic and a service's actions contiguous.
  std::vector<std::string> prefixes;
  for (auto it = doc["services"].begin(); it != doc["services"].end(); ++it) prefixes.push_back(it.key());
  std::sort(prefixes.begin(), prefixes.end());
  for (const std::string& prefix : prefixes) {
    const nlohmann::json& svc = doc["services"][prefix];
    if (!svc.is_object() || !svc.contains("actions") || !svc["actions"].is_object()) {
      *err = "service `" + prefix + "` has no actions object";
      return false;
    }
    ServiceInfo service;
    service.prefix = prefix;
    service.name = svc.value("name", prefix);
    if (!ParseConditionKeys(svc, &service, err)) return false;
    service.first = static_cast<ActionId>(catalog.actions_.size());
    std::vector<ActionInfo> actions;
    for (auto it = svc["actions"].begin(); it != svc["actions"].end(); ++it) {
      ActionInfo info;
      if (!ParseAction(service, it.key(), it.value(), &info, err)) return false;
      actions.push_back(std::move(info));
    }
    std::sort(actions.begin(), actions.end(),
              [](const ActionInfo& a, const ActionInfo& b) { return a.lower < b.lower; });
    for (ActionInfo& info : actions) {
      auto id = static_cast<ActionId>(catalog.actions_.size());
      catalog.by_lower_name_.emplace(info.lower, id);
      catalog.actions_.push_back(std::move(info));
    }
    service.end = static_cast<ActionId>(catalog.actions_.size());
    catalog.service_by_lower_prefix_.emplace(ToLower(prefix), catalog.services_.size());
    catalog.services_.push_back(std::move(service));
  }
  *out = std::move(catalog);
  return true;
}

const ServiceInfo* ActionCatalog::FindService(std::string_view prefix) const {
  auto it = service_by_lower_prefix_.find(ToLower(prefix));
  return it == service_by_lower_prefix_.end() ? nullptr : &services_[it->second];
}

std::optional<ActionId> ActionCatalog::Find(std::string_view service_action) const {
  auto it = by_lower_name_.find(ToLower(service_action));
  if (it == by_lower_name_.end()) return std::nullopt;
  return it->second;
}

template <typename Visit>
void ActionCatalog::ForEachMatch(std::string_view pattern, Visit visit) const {
  if (pattern == "*") {
    for (ActionId id = 0; id < actions_.size(); ++id) visit(id);
    return;
  }
  std::size_t colon = pattern.find(':');
  if (colon == std::string_view::npos) return;
  std::string_view service_part = pattern.substr(0, colon);
  std::string_view action_part = pattern.substr(colon + 1);
  if (!HasWildcard(pattern)) {
    if (auto id = Find(pattern)) visit(*id);
    return;
  }
  auto match_service = [&](const ServiceInfo& service) {
    for (ActionId id = service.first; id < service.end; ++id) {
      std::string_view name(actions_[id].lower);
      if (WildcardMatch(action_part, name.substr(service.prefix.size() + 1))) visit(id);
    }
  };
  if (!HasWildcard(service_part)) {
    if (const ServiceInfo* service = FindService(service_part)) match_service(*service);
    return;
  }
  for (const ServiceInfo& service : services_) {
    if (WildcardMatch(service_part, service.prefix)) match_service(service);
  }
}

std::vector<ActionId> ActionCatalog::Expand(std::string_view pattern) const {
  std::vector<ActionId> ids;
  ForEachMatch(pattern, [&](ActionId id) { ids.push_back(id); });
  return ids;
}

void ActionCatalog::ExpandInto(std::string_view pattern, ActionSet* out) const {
  if (pattern == "*") {
    *out = AllActions();
    return;
  }
  ForEachMatch(pattern, [&](ActionId id) { out->Insert(id); });
}

std::vector<std::string> ActionCatalog::ExpandNames(std::string_view pattern) const {
  std::vector<std::string> names;
  ForEachMatch(pattern, [&](ActionId id) { names.push_back(actions_[id].FullName()); });
  return names;
}

const ConditionKeyInfo* ActionCatalog::FindConditionKey(std::string_view key) const {
  std::size_t colon = key.find(':');
  if (colon == std::string_view::npos) return nullptr;
  std::string_view prefix = key.substr(0, colon);
  if (ToLower(prefix) == "aws") return FindKeyIn(GlobalConditionKeys(), key);
  const ServiceInfo* service = FindService(prefix);
  if (service == nullptr) return nullptr;
  return FindKeyIn(service->condition_keys, key);
}

ActionSet ActionCatalog::WithLevel(const ActionSet& set, AccessLevel level) const {
  ActionSet out = EmptySet();
  for (ActionId id : set.Ids()) {
    if (actions_[id].Has(level)) out.Insert(id);
  }
  return out;
}

std::vector<std::string> ActionCatalog::Names(const ActionSet& set) const {
  std::vector<std::string> names;
  for (ActionId id : set.Ids()) names.push_back(actions_[id].FullName());
  return names;
}

bool ActionCatalog::OverrideLevels(std::string_view service_action, AccessLevels levels) {
  std::optional<ActionId> id = Find(service_action);
  if (!id) return false;
  actions_[*id].levels = levels;
  return true;
}

bool ActionCatalog::ApplyLevelOverrides(std::string_view json, std::vector<std::string>* unknown, std::string* err) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("overrides") || !doc["overrides"].is_array()) {
    *err = "access level overrides are not a JSON object with `overrides`";
    return false;
  }
  for (const nlohmann::json& entry : doc["overrides"]) {
    AccessLevels levels = 0;
    if (!entry.is_object() || !entry.contains("action") || !entry["action"].is_string() || !entry.contains("levels") ||
        !entry["levels"].is_string() || !ParseAccessLevels(entry["levels"].get<std::string>(), &levels) ||
        levels == 0) {
      *err = "malformed access level override " + entry.dump();
      return false;
    }
    if (!OverrideLevels(entry["action"].get<std::string>(), levels)) {
      unknown->push_back(entry["action"].get<std::string>());
    }
  }
  return true;
}

const ActionCatalog& BuiltinCatalog() {
  // The one process-wide value: immutable once built; C++ guarantees the
  // initialisation runs once even when several threads get here together.
  static const ActionCatalog catalog = [] {
    ActionCatalog c;
    std::string err;
    std::vector<std::string> unknown;  // tests/iam checks there are none
    ReadVerbResult read_verbs;         // likewise
    // Verbs first: an explicit override is the more specific decision.
    if (!ActionCatalog::FromJson(EmbeddedActionsJson(), &c, &err) ||
        !ApplyReadVerbs(EmbeddedReadVerbsJson(), &c, &read_verbs, &err) ||
        !c.ApplyLevelOverrides(EmbeddedAccessLevelOverridesJson(), &unknown, &err)) {
      std::fprintf(stderr, "gatehouse: built-in IAM action catalog is corrupt: %s\n", err.c_str());
      std::abort();
    }
    return c;
  }();
  return catalog;
}

}  // namespace gatehouse::iam
