#pragma once
/// Reading a JSON answer's fields without exceptions: services omit fields
/// and sometimes send null where a string is documented.

#include <string>

#include <nlohmann/json.hpp>

namespace gatehouse::net {

/// The string value of `key` in the object `j`; "" when `j` is not an object,
/// the key is absent, or its value is not a string.
inline std::string StringField(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) return std::string();
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace gatehouse::net
