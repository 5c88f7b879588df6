// libFuzzer target: the local directory file (`--target local:FILE`) as JSON
// text, read as the local target reads it (runtime/local_target.cc): every
// object through ObjectFromJson, errors only as nlohmann::json exceptions; what
// reads must serialize (StateToJson) and fingerprint.

#include <cstddef>
#include <cstdint>

#include <nlohmann/json.hpp>

#include "compiler/state_json.h"

using gatehouse::ObjectKind;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  nlohmann::json doc = nlohmann::json::parse(data, data + size, nullptr, false);
  if (doc.is_discarded() || !doc.is_object()) return 0;
  gatehouse::DirectoryState state;
  try {
    static const std::pair<const char*, ObjectKind> kLists[] = {{"users", ObjectKind::kUser},
                                                                {"groups", ObjectKind::kGroup},
                                                                {"memberships", ObjectKind::kMembership},
                                                                {"permission_sets", ObjectKind::kPermissionSet},
                                                                {"assignments", ObjectKind::kAssignment}};
    for (const auto& [key, kind] : kLists) {
      auto it = doc.find(key);
      if (it == doc.end() || !it->is_array()) continue;
      for (const auto& item : *it) {
        if (item.is_null()) continue;
        gatehouse::Object o = gatehouse::ObjectFromJson(kind, item);
        (void)gatehouse::ObjectToJson(o);
        if (auto* u = std::get_if<gatehouse::User>(&o)) state.users[u->user_name] = *u;
        if (auto* g = std::get_if<gatehouse::Group>(&o)) state.groups[g->name] = *g;
        if (auto* p = std::get_if<gatehouse::PermissionSet>(&o)) state.permission_sets[p->name] = *p;
        if (auto* a = std::get_if<gatehouse::Assignment>(&o)) state.assignments.insert(*a);
        if (auto* m = std::get_if<gatehouse::Membership>(&o)) state.memberships.insert(*m);
      }
    }
  } catch (const nlohmann::json::exception&) {
    return 0;  // the local target reports "FILE is damaged: ..."
  }
  (void)gatehouse::StateToJson(state);
  (void)gatehouse::StateFingerprint(state);
  return 0;
}
