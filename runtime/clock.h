#pragma once
/// The clock, read in one place so the compiler never reads it.

#include <cstdint>
#include <string>

namespace gatehouse {

/// Today's date (UTC) as YYYY-MM-DD, or GATEHOUSE_NOW when set (tests pin the clock).
std::string Today();

/// The current UTC time formatted with strftime's `format` (e.g. "%Y-%m-%dT%H:%M:%SZ").
std::string UtcNow(const char* format);

/// Seconds since the epoch, from the system clock (not GATEHOUSE_NOW: event
/// times are real times).
int64_t UnixNow();
/// The current time as RFC 3339 UTC, or GATEHOUSE_NOW when set (a date means its midnight).
std::string NowRfc3339();

}  // namespace gatehouse
