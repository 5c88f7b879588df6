#pragma once
/// JSON text written straight into a buffer, byte for byte as nlohmann's
/// dump() writes it, for the views that stream millions of rows and cannot
/// afford a JSON document in memory (access --format json).

#include <string>
#include <string_view>

namespace gatehouse {

/// Appends `s` as a JSON string literal: quotes, and escapes as nlohmann::json
/// dump() does (\" \\ \b \f \n \r \t, other control characters as \u00xx;
/// UTF-8 passes through).
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace gatehouse
