#include "compiler/sha256.h"

#include <algorithm>
#include <array>
#include <cstdint>

namespace gatehouse {
namespace {
constexpr std::array<uint32_t, 64> kK = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

uint32_t Rotr(uint32_t x, int n) { return (x >> n) | (x << (32 - n)); }
}  // namespace

void Sha256::Block(const unsigned char* p) {
  std::array<uint32_t, 64> w{};
  for (int i = 0; i < 16; ++i, p += 4)
    w[i] = (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
  for (int i = 16; i < 64; ++i) {
    uint32_t s0 = Rotr(w[i - 15], 7) ^ Rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
    uint32_t s1 = Rotr(w[i - 2], 17) ^ Rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
    w[i] = w[i - 16] + s0 + w[i - 7] + s1;
  }
  auto v = h_;
  for (int i = 0; i < 64; ++i) {
    uint32_t s1 = Rotr(v[4], 6) ^ Rotr(v[4], 11) ^ Rotr(v[4], 25);
    uint32_t ch = (v[4] & v[5]) ^ (~v[4] & v[6]);
    uint32_t t1 = v[7] + s1 + ch + kK[i] + w[i];
    uint32_t s0 = Rotr(v[0], 2) ^ Rotr(v[0], 13) ^ Rotr(v[0], 22);
    uint32_t maj = (v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]);
    uint32_t t2 = s0 + maj;
    v = {t1 + t2, v[0], v[1], v[2], v[3] + t1, v[4], v[5], v[6]};
  }
  for (int i = 0; i < 8; ++i) h_[i] += v[i];
}

Sha256& Sha256::Update(std::string_view data) {
  bytes_ += data.size();
  if (!pending_.empty()) {
    size_t take = std::min(data.size(), 64 - pending_.size());
    pending_.append(data.substr(0, take));
    data.remove_prefix(take);
    if (pending_.size() < 64) return *this;
    Block(reinterpret_cast<const unsigned char*>(pending_.data()));
    pending_.clear();
  }
  for (; data.size() >= 64; data.remove_prefix(64)) Block(reinterpret_cast<const unsigned char*>(data.data()));
  pending_.assign(data);
  return *this;
}

std::string Sha256::Hex() {
  uint64_t bits = bytes_ * 8;
  std::string tail(1, static_cast<char>(0x80));
  while ((pending_.size() + tail.size()) % 64 != 56) tail += '\0';
  for (int i = 7; i >= 0; --i) tail += static_cast<char>((bits >> (i * 8)) & 0xff);
  pending_ += tail;
  for (size_t off = 0; off < pending_.size(); off += 64)
    Block(reinterpret_cast<const unsigned char*>(pending_.data() + off));
  pending_.clear();
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (uint32_t x : h_)
    for (int i = 7; i >= 0; --i) out += kHex[(x >> (i * 4)) & 0xf];
  return out;
}

std::string Sha256Hex(const std::string& data) { return Sha256().Update(data).Hex(); }

}  // namespace gatehouse
