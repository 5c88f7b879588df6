#include "compiler/iam/read_verbs.h"

#include <algorithm>
#include <map>
#include <set>

#include <nlohmann/json.hpp>

#include "compiler/iam/embedded_data.h"

namespace gatehouse::iam {
namespace {

bool IsUpper(char c) { return c >= 'A' && c <= 'Z'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

/// The length of the capitalised word starting at `from` ("Get" in "GetObject").
std::size_t WordEnd(std::string_view name, std::size_t from) {
  std::size_t i = from;
  if (i < name.size() && IsUpper(name[i])) ++i;
  while (i < name.size() && IsLower(name[i])) ++i;
  return i;
}

struct ReadVerbs {
  std::map<std::string, AccessLevels, std::less<>> verbs;
  std::set<std::string> exceptions;  // lowercase "service:action"
  std::vector<std::string> exception_names;
};

bool ParseVerb(const nlohmann::json& entry, ReadVerbs* out, std::string* err) {
  AccessLevels levels = 0;
  if (!entry.is_object() || !entry.contains("verb") || !entry["verb"].is_string() || !entry.contains("levels") ||
      !entry["levels"].is_string() || !ParseAccessLevels(entry["levels"].get<std::string>(), &levels) ||
      (levels & kModifyingLevels) != 0 || levels == 0) {
    *err = "malformed read verb " + entry.dump();
    return false;
  }
  out->verbs[entry["verb"].get<std::string>()] = levels;
  return true;
}

bool Parse(std::string_view json, ReadVerbs* out, std::string* err) {
  nlohmann::json doc = nlohmann::json::parse(json, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("verbs") || !doc["verbs"].is_array() ||
      !doc.contains("exceptions") || !doc["exceptions"].is_array()) {
    *err = "read verbs are not a JSON object with `verbs` and `exceptions`";
    return false;
  }
  for (const nlohmann::json& entry : doc["verbs"]) {
    if (!ParseVerb(entry, out, err)) return false;
  }
  for (const nlohmann::json& entry : doc["exceptions"]) {
    if (!entry.is_object() || !entry.contains("action") || !entry["action"].is_string()) {
      *err = "malformed read verb exception " + entry.dump();
      return false;
    }
    out->exception_names.push_back(entry["action"].get<std::string>());
    out->exceptions.insert(ToLower(out->exception_names.back()));
  }
  return true;
}

}  // namespace

std::string_view ActionVerb(std::string_view action_name) {
  std::size_t end = WordEnd(action_name, 0);
  if (action_name.substr(0, end) == "Batch") end = WordEnd(action_name, end);
  return action_name.substr(0, end);
}

bool ApplyReadVerbs(std::string_view json, ActionCatalog* catalog, ReadVerbResult* out, std::string* err) {
  ReadVerbs data;
  if (!Parse(json, &data, err)) return false;
  for (const std::string& name : data.exception_names) {
    if (!catalog->Find(name)) out->unknown_exceptions.push_back(name);
  }
  for (ActionId id = 0; id < catalog->size(); ++id) {
    const ActionInfo& info = catalog->action(id);
    if ((info.levels & kModifyingLevels) == 0 || data.exceptions.count(info.lower)) continue;
    auto verb = data.verbs.find(ActionVerb(info.name));
    if (verb == data.verbs.end()) continue;
    out->reclassified.push_back(info.FullName());
    catalog->OverrideLevels(info.lower, verb->second);
  }
  std::sort(out->reclassified.begin(), out->reclassified.end());
  return true;
}

const ReadVerbResult& BuiltinReadVerbResult() {
  // Immutable once built, like BuiltinCatalog(); applies the data to a fresh
  // copy of the raw catalog to report what it changed.
  static const ReadVerbResult result = [] {
    ActionCatalog raw;
    ReadVerbResult r;
    std::string err;
    if (!ActionCatalog::FromJson(EmbeddedActionsJson(), &raw, &err) ||
        !ApplyReadVerbs(EmbeddedReadVerbsJson(), &raw, &r, &err)) {
      r.unknown_exceptions.push_back("error: " + err);
    }
    return r;
  }();
  return result;
}

}  // namespace gatehouse::iam
