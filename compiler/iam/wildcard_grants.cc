#include "compiler/iam/wildcard_grants.h"

namespace gatehouse::iam {
namespace {

using nlohmann::json;

bool HasStar(const json& value) {
  if (value == "*") return true;
  if (!value.is_array()) return false;
  for (const json& v : value) {
    if (v == "*") return true;
  }
  return false;
}

/// "s3:*" (any case of prefix), not "s3:Get*".
bool IsServiceWildcard(const std::string& pattern) {
  std::size_t colon = pattern.find(':');
  return colon != std::string::npos && colon > 0 && pattern.substr(colon + 1) == "*" &&
         pattern.find_first_of("*?") == colon + 1;
}

void ScanStatement(const json& st, const JsonPath& at, std::vector<WildcardGrant>* out) {
  if (!st.contains("Effect") || st["Effect"] != "Allow") return;
  bool conditional = st.contains("Condition") && !(st["Condition"].is_object() && st["Condition"].empty());
  if (st.contains("NotAction")) {
    JsonPath path = at;
    path.emplace_back("NotAction");
    out->push_back({WildcardKind::kNotActionAllow, path, "", conditional});
  }
  if (st.contains("NotResource")) {
    JsonPath path = at;
    path.emplace_back("NotResource");
    out->push_back({WildcardKind::kNotResourceAllow, path, "", conditional});
  }
  if (!st.contains("Action")) return;
  bool on_star = st.contains("Resource") && HasStar(st["Resource"]);
  auto check = [&](const json& value, JsonPath path) {
    if (!value.is_string()) return;
    const std::string& pattern = value.get_ref<const std::string&>();
    if (pattern == "*") {
      out->push_back({WildcardKind::kAllActions, std::move(path), pattern, conditional});
    } else if (on_star && IsServiceWildcard(pattern)) {
      out->push_back({WildcardKind::kServiceWildcard, std::move(path), pattern, conditional});
    }
  };
  JsonPath action_path = at;
  action_path.emplace_back("Action");
  const json& action = st["Action"];
  if (action.is_array()) {
    for (std::size_t i = 0; i < action.size(); ++i) {
      JsonPath path = action_path;
      path.emplace_back(i);
      check(action[i], std::move(path));
    }
  } else {
    check(action, action_path);
  }
}

}  // namespace

const char* WildcardKindName(WildcardKind kind) {
  switch (kind) {
    case WildcardKind::kAllActions: return "all-actions";
    case WildcardKind::kServiceWildcard: return "service-wildcard";
    case WildcardKind::kNotActionAllow: return "notaction-allow";
    case WildcardKind::kNotResourceAllow: return "notresource-allow";
  }
  return "?";
}

std::vector<WildcardGrant> FindWildcardGrants(const json& doc) {
  std::vector<WildcardGrant> found;
  if (!doc.is_object() || !doc.contains("Statement")) return found;
  const json& statements = doc["Statement"];
  if (statements.is_object()) {
    ScanStatement(statements, {"Statement"}, &found);
  } else if (statements.is_array()) {
    for (std::size_t i = 0; i < statements.size(); ++i) {
      if (statements[i].is_object()) ScanStatement(statements[i], {"Statement", i}, &found);
    }
  }
  return found;
}

}  // namespace gatehouse::iam
