// Internal helpers shared by the random module's .cpp files (not a public interface):
// the bits-to-uniform rule and the 64-bit mixers behind site keys.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>

namespace tamnhin::random::detail {

// Largest double below 1 (1 - 2^-53).
inline constexpr double kOneBelow = 0x1.fffffffffffffp-1;

// The uniform for 64 random bits: ((x >> 11) + 0.5) * 2^-53, i.e. the midpoint of one of
// 2^53 equal cells, so never 0. In the upper half, (x >> 11) + 0.5 needs 54 bits and
// rounds to even; for the single top cell that rounds up to exactly 1, so the result is
// clamped to 1 - 2^-53 (u stays strictly inside (0,1); every other value is unchanged).
inline double u01_from_bits(std::uint64_t x) {
  return std::min((static_cast<double>(x >> 11) + 0.5) * 0x1p-53, kOneBelow);
}

// splitmix64's finaliser (Steele, Lea, Flood 2014): a bijection on 64 bits with full
// avalanche, so nearby seeds and hashes give unrelated keys.
inline constexpr std::uint64_t mix64(std::uint64_t z) {
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

// FNV-1a, 64-bit: a stable hash of the site name's bytes (no std::hash: it differs
// between standard libraries and may be salted).
inline constexpr std::uint64_t fnv1a64(std::string_view s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (char c : s) {
    h ^= static_cast<std::uint8_t>(c);
    h *= 0x100000001b3ULL;
  }
  return h;
}

}  // namespace tamnhin::random::detail
