#pragma once
/// Gatehouse users and groups as SCIM 2.0 core resources (RFC 7643 §4).
/// Identity Center's SCIM endpoint requires userName, displayName,
/// name.givenName and name.familyName, and takes at most one (primary) email.

#include <nlohmann/json.hpp>

#include "compiler/model.h"

namespace gatehouse::scim {

inline constexpr const char* kUserSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
inline constexpr const char* kGroupSchema = "urn:ietf:params:scim:schemas:core:2.0:Group";
inline constexpr const char* kPatchOpSchema = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// The body of POST/PUT /Users. No id: the service assigns it.
nlohmann::json UserToScim(const User& user);
/// A User from a SCIM user resource (id included); the primary email, else the first.
User UserFromScim(const nlohmann::json& resource);

/// The body of POST /Groups, without members (they are added by PATCH).
/// SCIM's core Group has no description, so it is not sent.
nlohmann::json GroupToScim(const Group& group);
Group GroupFromScim(const nlohmann::json& resource);

/// PATCH bodies adding or removing members (user ids), one operation each.
nlohmann::json MembersPatch(const std::string& op, const std::vector<std::string>& user_ids);

}  // namespace gatehouse::scim
