#include "compiler/iam/effective_permissions.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

/// Calls visit(statement, path) for each statement object of a document.
template <typename Visit>
void ForEachStatement(const json& doc, Visit visit) {
  if (!doc.is_object() || !doc.contains("Statement")) return;
  const json& statements = doc["Statement"];
  if (statements.is_object()) {
    visit(statements, JsonPath{"Statement"});
  } else if (statements.is_array()) {
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (statements[i].is_object()) visit(statements[i], JsonPath{"Statement", i});
    }
  }
}

bool ResourceHasStar(const json& st) {
  if (!st.contains("Resource")) return false;
  for (const std::string& r : PolicyStrings(st["Resource"])) {
    if (r == "*") return true;
  }
  return false;
}

/// The actions a statement's Action or NotAction covers; false if it has
/// neither or both (a malformed statement grants and denies nothing).
bool StatementActions(const json& st, const ActionCatalog& catalog, ActionSet* out) {
  bool has_action = st.contains("Action"), has_not_action = st.contains("NotAction");
  if (has_action == has_not_action) return false;
  ActionSet set = catalog.EmptySet();
  for (const std::string& pattern : PolicyStrings(st[has_action ? "Action" : "NotAction"])) {
    catalog.ExpandInto(pattern, &set);
  }
  *out = has_action ? std::move(set) : set.Complement();
  return true;
}

struct Accumulated {
  ActionSet allowed, unrestricted, denied;
};

void Accumulate(const json& doc, const ActionCatalog& catalog, Accumulated* acc) {
  ForEachStatement(doc, [&](const json& st, const JsonPath&) {
    if (!st.contains("Effect")) return;
    const json& effect = st["Effect"];
    bool allow = effect == "Allow";
    if (!allow && effect != "Deny") return;
    bool has_resource = st.contains("Resource"), has_not_resource = st.contains("NotResource");
    if (has_resource == has_not_resource) return;
    ActionSet actions;
    if (!StatementActions(st, catalog, &actions)) return;
    bool conditional = HasCondition(st);
    if (allow) {
      acc->allowed.UnionWith(actions);
      // NotResource with Allow grants every resource but the listed ones:
      // counted as unrestricted, over-approximating what could be allowed.
      if (!conditional && (has_not_resource || ResourceHasStar(st))) acc->unrestricted.UnionWith(actions);
    } else if (!conditional && ResourceHasStar(st)) {
      acc->denied.UnionWith(actions);
    }
  });
}

EffectivePermissions Finish(Accumulated acc) {
  acc.allowed.Subtract(acc.denied);
  acc.unrestricted.Subtract(acc.denied);
  return {std::move(acc.allowed), std::move(acc.unrestricted), std::move(acc.denied)};
}

Accumulated Empty(const ActionCatalog& catalog) { return {catalog.EmptySet(), catalog.EmptySet(), catalog.EmptySet()}; }

}  // namespace

/// The strings of a string-or-array member; non-strings are skipped.
std::vector<std::string> PolicyStrings(const json& value) {
  std::vector<std::string> out;
  if (value.is_string()) out.push_back(value.get<std::string>());
  if (value.is_array()) {
    for (const json& v : value) {
      if (v.is_string()) out.push_back(v.get<std::string>());
    }
  }
  return out;
}

bool HasCondition(const json& st) {
  if (!st.contains("Condition")) return false;
  const json& c = st["Condition"];
  return !(c.is_object() && c.empty()) && !c.is_null();
}

EffectivePermissions PolicyPermissions(const json& doc, const ActionCatalog& catalog) {
  Accumulated acc = Empty(catalog);
  Accumulate(doc, catalog, &acc);
  return Finish(std::move(acc));
}

EffectivePermissions ComputeEffectivePermissions(const std::vector<const json*>& policies, const json* boundary,
                                                 const ActionCatalog& catalog) {
  Accumulated acc = Empty(catalog);
  for (const json* doc : policies) {
    if (doc != nullptr) Accumulate(*doc, catalog, &acc);
  }
  EffectivePermissions result = Finish(std::move(acc));
  if (boundary != nullptr) {
    EffectivePermissions limit = PolicyPermissions(*boundary, catalog);
    result.allowed.IntersectWith(limit.allowed);
    result.unrestricted.IntersectWith(limit.unrestricted);
    result.denied.UnionWith(limit.denied);
  }
  return result;
}

PermissionSummary Summarize(const EffectivePermissions& permissions, const ActionCatalog& catalog) {
  PermissionSummary summary;
  summary.allowed_count = permissions.allowed.Count();
  summary.unrestricted_count = permissions.unrestricted.Count();
  for (ActionId id : permissions.allowed.Ids()) {
    const ActionInfo& info = catalog.action(id);
    if (info.Has(kPermissionsManagement)) summary.has_permissions_management = true;
    if ((info.levels & kModifyingLevels) != 0) summary.has_write = true;
  }
  summary.read_only = !summary.has_write;
  summary.full_admin = catalog.size() > 0 && summary.unrestricted_count == catalog.size();
  bool iam_management = true;
  if (const ServiceInfo* iam = catalog.FindService("iam")) {
    for (ActionId id = iam->first; id < iam->end; ++id) {
      if (catalog.action(id).Has(kPermissionsManagement) && !permissions.unrestricted.Contains(id)) {
        iam_management = false;
        break;
      }
    }
  }
  summary.admin_equivalent = summary.full_admin || (iam_management && catalog.size() > 0 &&
                                                    static_cast<double>(summary.unrestricted_count) >=
                                                        kAdminCoverage * static_cast<double>(catalog.size()));
  return summary;
}

std::vector<std::string> AllowedActionsAtLevel(const EffectivePermissions& permissions, AccessLevel level,
                                               const ActionCatalog& catalog) {
  return catalog.Names(catalog.WithLevel(permissions.allowed, level));
}

std::vector<JsonPath> StatementsAllowing(const json& doc, std::string_view action) {
  std::vector<JsonPath> paths;
  ForEachStatement(doc, [&](const json& st, const JsonPath& path) {
    if (!st.contains("Effect") || st["Effect"] != "Allow") return;
    bool has_action = st.contains("Action"), has_not_action = st.contains("NotAction");
    if (has_action == has_not_action) return;
    bool matched = false;
    for (const std::string& pattern : PolicyStrings(st[has_action ? "Action" : "NotAction"])) {
      if (WildcardMatch(pattern, action)) matched = true;
    }
    if (matched == has_action) paths.push_back(path);
  });
  return paths;
}

}  // namespace gatehouse::iam
