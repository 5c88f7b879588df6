#pragma once
/// The clock, read in one place so the compiler never reads it.

#include <string>

namespace gatehouse {

/// Today's date (UTC) as YYYY-MM-DD, or GATEHOUSE_NOW when set (tests pin the clock).
std::string Today();

}  // namespace gatehouse
