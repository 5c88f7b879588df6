#pragma once
/// SHA-256 (FIPS 180-4), for the config digest and the live fingerprint of a plan.
#include <string>

namespace gatehouse {
/// Lowercase hex digest of `data`.
std::string Sha256Hex(const std::string& data);
}  // namespace gatehouse
