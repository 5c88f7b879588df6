#pragma once
/// Small text helpers shared by every stage.
#include <cctype>
#include <string>

namespace gatehouse {

/// ASCII lowercase: names in Identity Center compare case-insensitively.
inline std::string AsciiLower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace gatehouse
