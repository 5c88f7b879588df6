#include "runtime/local/directory_snapshot.h"

#include <simdjson.h>

#include <string_view>

namespace gatehouse {

namespace {

using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

nlohmann::json ToJson(element e);

/// The object as nlohmann JSON (entries whose fields nest: users, sets, ...).
nlohmann::json ToJson(object o) {
  nlohmann::json out = nlohmann::json::object();
  for (auto field : o) out[std::string(field.key)] = ToJson(field.value);
  return out;
}

nlohmann::json ToJson(element e) {
  switch (e.type()) {
    case element_type::ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      simdjson::dom::array items = e.get_array().value_unsafe();
      for (element x : items) out.push_back(ToJson(x));
      return out;
    }
    case element_type::OBJECT: return ToJson(e.get_object().value_unsafe());
    case element_type::INT64: return e.get_int64().value_unsafe();
    case element_type::UINT64: return e.get_uint64().value_unsafe();
    case element_type::DOUBLE: return e.get_double().value_unsafe();
    case element_type::STRING: return std::string(e.get_string().value_unsafe());
    case element_type::BOOL: return e.get_bool().value_unsafe();
    case element_type::NULL_VALUE: return nullptr;
  }
  return nullptr;
}

/// A string field ("" when absent); false when present but not a string.
bool Field(object o, const char* key, std::string_view* out) {
  auto f = o[key];
  if (f.error() == simdjson::NO_SUCH_FIELD) {
    *out = {};
    return true;
  }
  return !f.get_string().get(*out);
}

/// Calls each(entry) for every entry of the list `key` (absent: none); false
/// when the list or an entry is not what a sound file holds, or each refuses.
template <typename Each>
bool ForEachEntry(object root, const char* key, Each each) {
  auto list = root[key];
  if (list.error() == simdjson::NO_SUCH_FIELD) return true;
  simdjson::dom::array entries;
  if (list.get_array().get(entries)) return false;
  for (element e : entries) {
    object entry;
    if (e.get_object().get(entry) || !each(entry)) return false;
  }
  return true;
}

bool ReadEntries(object root, DirectoryAssembler* a) {
  auto as_json = [](void (DirectoryAssembler::*add)(const nlohmann::json&), DirectoryAssembler* to) {
    return [add, to](object o) {
      (to->*add)(ToJson(o));
      return true;
    };
  };
  std::string_view t, id, arn, account;
  return ForEachEntry(root, "users", as_json(&DirectoryAssembler::AddUser, a)) &&
         ForEachEntry(root, "groups", as_json(&DirectoryAssembler::AddGroup, a)) &&
         ForEachEntry(root, "memberships",
                      [&](object o) {
                        if (!Field(o, "user_id", &id) || !Field(o, "group_id", &arn)) return false;
                        a->AddMembership(id, arn);
                        return true;
                      }) &&
         ForEachEntry(root, "permission_sets", as_json(&DirectoryAssembler::AddPermissionSet, a)) &&
         ForEachEntry(root, "assignments",
                      [&](object o) {
                        if (!Field(o, "principal_type", &t) || !Field(o, "principal_id", &id) ||
                            !Field(o, "permission_set_arn", &arn) || !Field(o, "account_id", &account))
                          return false;
                        a->AddAssignment(t, id, arn, account);
                        return true;
                      }) &&
         ForEachEntry(root, "applications", as_json(&DirectoryAssembler::AddApplication, a)) &&
         ForEachEntry(root, "application_assignments", [&](object o) {
           if (!Field(o, "principal_type", &t) || !Field(o, "principal_id", &id) || !Field(o, "application_arn", &arn))
             return false;
           a->AddApplicationAssignment(t, id, arn);
           return true;
         });
}

}  // namespace

bool ReadDirectorySnapshot(const std::string& path, DirectoryAssembler* assemble) {
  simdjson::padded_string text;
  if (simdjson::padded_string::load(path).get(text)) return false;
  simdjson::dom::parser parser;
  object root;
  if (parser.parse(text).get_object().get(root)) return false;
  std::string_view version;
  if (root["format_version"].get_string().get(version) || version != "1") return false;
  try {
    return ReadEntries(root, assemble);
  } catch (const nlohmann::json::exception&) {
    return false;  // an entry ObjectFromJson refuses: the ordinary read names it
  }
}

}  // namespace gatehouse
