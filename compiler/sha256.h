#pragma once
/// SHA-256 (FIPS 180-4), for the config digest and the live fingerprint of a plan.
#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace gatehouse {

/// Incremental SHA-256: Update with the data in pieces, then Hex once.
class Sha256 {
 public:
  Sha256& Update(std::string_view data);
  /// Lowercase hex digest of everything given to Update; ends the hash.
  std::string Hex();

 private:
  void Block(const unsigned char* p);
  std::array<uint32_t, 8> h_ = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
                                0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  std::string pending_;  ///< < 64 bytes not yet hashed
  uint64_t bytes_ = 0;
};

/// Lowercase hex digest of `data`.
std::string Sha256Hex(const std::string& data);

}  // namespace gatehouse
