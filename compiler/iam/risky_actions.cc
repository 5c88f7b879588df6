#include "compiler/iam/risky_actions.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include <nlohmann/json.hpp>

#include "compiler/iam/embedded_data.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

bool ParseRequirement(const json& value, const ActionCatalog& catalog, RiskRequirement* out, std::string* err) {
  RiskRequirement req;
  if (value.is_string()) {
    req.pattern = value.get<std::string>();
  } else if (value.is_object() && value.contains("action") && value["action"].is_string()) {
    req.pattern = value["action"].get<std::string>();
    req.unrestricted = value.value("unrestricted", false);
    if (value.contains("levels") &&
        (!value["levels"].is_string() || !ParseAccessLevels(value["levels"].get<std::string>(), &req.levels))) {
      *err = "requirement `" + req.pattern + "` has malformed levels";
      return false;
    }
  } else {
    *err = "a requirement must be an action pattern or an object with `action`";
    return false;
  }
  req.matches = catalog.EmptySet();
  for (ActionId id : catalog.Expand(req.pattern)) {
    if (req.levels == 0 || (catalog.action(id).levels & req.levels) != 0) req.matches.Insert(id);
  }
  *out = std::move(req);
  return true;
}

}  // namespace

std::vector<std::string> RiskMatch::AllActions() const {
  std::vector<std::string> all;
  for (const auto& list : actions) all.insert(all.end(), list.begin(), list.end());
  std::sort(all.begin(), all.end());
  all.erase(std::unique(all.begin(), all.end()), all.end());
  return all;
}

bool RiskCatalog::FromJson(std::string_view text, const ActionCatalog& catalog, RiskCatalog* out, std::string* err) {
  json doc = json::parse(text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("categories") || !doc["categories"].is_array()) {
    *err = "risk data is not a JSON object with `categories`";
    return false;
  }
  RiskCatalog result;
  result.catalog_ = &catalog;
  for (const json& category : doc["categories"]) {
    if (!category.is_object() || !category.contains("id") || !category["id"].is_string() ||
        !category.contains("patterns") || !category["patterns"].is_array()) {
      *err = "a category needs `id` and `patterns`";
      return false;
    }
    for (const json& p : category["patterns"]) {
      if (!p.is_object() || !p.contains("id") || !p["id"].is_string() || !p.contains("actions") ||
          !p["actions"].is_array() || p["actions"].empty()) {
        *err = "a pattern needs `id` and a non-empty `actions` array";
        return false;
      }
      RiskPattern pattern;
      pattern.id = p["id"].get<std::string>();
      pattern.category = category["id"].get<std::string>();
      pattern.why = p.value("why", "");
      for (const json& a : p["actions"]) {
        RiskRequirement req;
        if (!ParseRequirement(a, catalog, &req, err)) {
          *err = pattern.id + ": " + *err;
          return false;
        }
        pattern.requirements.push_back(std::move(req));
      }
      result.patterns_.push_back(std::move(pattern));
    }
  }
  *out = std::move(result);
  return true;
}

std::vector<RiskMatch> RiskCatalog::Find(const EffectivePermissions& permissions, std::string_view category) const {
  std::vector<RiskMatch> found;
  for (const RiskPattern& pattern : patterns_) {
    if (pattern.category != category) continue;
    RiskMatch match;
    match.pattern = &pattern;
    bool met = true;
    for (const RiskRequirement& req : pattern.requirements) {
      ActionSet hit = req.unrestricted ? permissions.unrestricted : permissions.allowed;
      hit.IntersectWith(req.matches);
      if (hit.Empty()) {
        met = false;
        break;
      }
      match.actions.push_back(catalog_->Names(hit));
    }
    if (met) found.push_back(std::move(match));
  }
  return found;
}

std::vector<std::string> RiskCatalog::UnmatchedRequirements() const {
  std::vector<std::string> out;
  for (const RiskPattern& pattern : patterns_) {
    for (const RiskRequirement& req : pattern.requirements) {
      if (req.matches.Empty()) out.push_back(pattern.id + ": " + req.pattern);
    }
  }
  return out;
}

const RiskCatalog& BuiltinRiskCatalog() {
  // Immutable after the thread-safe first initialisation.
  static const RiskCatalog risks = [] {
    RiskCatalog r;
    std::string err;
    if (!RiskCatalog::FromJson(EmbeddedRiskyActionsJson(), BuiltinCatalog(), &r, &err)) {
      std::fprintf(stderr, "gatehouse: built-in risky action data is corrupt: %s\n", err.c_str());
      std::abort();
    }
    return r;
  }();
  return risks;
}

std::vector<RiskMatch> FindPrivilegeEscalations(const EffectivePermissions& permissions) {
  return BuiltinRiskCatalog().Find(permissions, kPrivilegeEscalation);
}

std::vector<RiskMatch> FindIdentityCenterEscalations(const EffectivePermissions& permissions) {
  return BuiltinRiskCatalog().Find(permissions, kIdentityCenterEscalation);
}

std::vector<RiskMatch> FindCredentialsExposures(const EffectivePermissions& permissions) {
  return BuiltinRiskCatalog().Find(permissions, kCredentialsExposure);
}

std::vector<RiskMatch> FindDataExfiltration(const EffectivePermissions& permissions) {
  return BuiltinRiskCatalog().Find(permissions, kDataExfiltration);
}

}  // namespace gatehouse::iam
