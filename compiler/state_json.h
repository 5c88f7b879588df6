#pragma once
/// JSON forms of the model values (used by plans, the local directory file and
/// fingerprints). Field names are a stable contract (schemas/plan.schema.json).

#include <nlohmann/json.hpp>

#include "compiler/model.h"
#include "compiler/plan.h"

namespace gatehouse {

nlohmann::json ToJson(const User& u);
nlohmann::json ToJson(const Group& g);
nlohmann::json ToJson(const Membership& m);
nlohmann::json ToJson(const PermissionSet& p);
nlohmann::json ToJson(const Assignment& a);
nlohmann::json ToJson(const Application& a);
nlohmann::json ToJson(const ApplicationAssignment& a);
nlohmann::json ObjectToJson(const Object& o);

/// Parses an object of `kind`; throws nlohmann::json::exception on a wrong shape.
Object ObjectFromJson(ObjectKind kind, const nlohmann::json& j);

/// The whole state, without service ids, canonical: equal states give equal text.
nlohmann::json StateToJson(const DirectoryState& s);
/// sha256 of the canonical state, for a plan's live fingerprint.
std::string StateFingerprint(const DirectoryState& s);

}  // namespace gatehouse
