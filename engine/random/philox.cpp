// Philox4x32-10 uniforms and normals as pure functions of (key, draw, year); the counter
// layout is documented in philox.hpp.
#include "engine/random/philox.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/random/detail_bits.hpp"
#include "engine/random/detail_ppnd16.hpp"
#include "engine/random/philox_lanes.hpp"

namespace tamnhin::random {

// site_key(seed, site) = mix64(fnv1a64(site) ^ mix64(seed + 0x9e3779b97f4a7c15)),
// where fnv1a64 is FNV-1a over the site's bytes (offset basis 0xcbf29ce484222325, prime
// 0x100000001b3) and mix64 is splitmix64's finaliser (detail_bits.hpp). The seed is
// mixed first so that seeds 0, 1, 2, ... are unrelated; the golden-ratio increment keeps
// seed 0 away from mix64's fixed point 0. Changing this recipe changes every number.
std::uint64_t site_key(std::uint64_t seed, std::string_view site) {
  const std::uint64_t seed_mix = detail::mix64(seed + 0x9e3779b97f4a7c15ULL);
  return detail::mix64(detail::fnv1a64(site) ^ seed_mix);
}

double uniform(std::uint64_t key, std::uint64_t draw, std::uint32_t year) {
  using Philox = r123::Philox4x32;
  const std::uint64_t m = draw >> 1;
  const Philox::ctr_type ctr = {
      {static_cast<std::uint32_t>(m), static_cast<std::uint32_t>(m >> 32), year, 0u}};
  const Philox::key_type k = {
      {static_cast<std::uint32_t>(key), static_cast<std::uint32_t>(key >> 32)}};
  const Philox::ctr_type r = Philox()(ctr, k);
  const unsigned w = (draw & 1u) ? 2u : 0u;  // draw 2m: words 0-1; draw 2m+1: words 2-3
  const std::uint64_t x = (static_cast<std::uint64_t>(r.v[w + 1]) << 32) | r.v[w];
  return detail::u01_from_bits(x);
}

void uniforms(std::uint64_t key, std::uint32_t year, std::uint64_t draw0, std::size_t n,
              double* out) {
  if (n == 0) return;
  std::size_t i = 0;
  if (draw0 & 1u) out[i++] = uniform(key, draw0, year);  // odd start: second half of a pair
  const std::size_t pairs = (n - i) / 2;
  detail::philox_pairs(key, year, (draw0 + i) >> 1, pairs, out + i);
  i += 2 * pairs;
  if (i < n) out[i] = uniform(key, draw0 + i, year);  // even end: first half of a pair
}

void standard_normals(std::uint64_t key, std::uint32_t year, std::uint64_t draw0, std::size_t n,
                      double* out) {
  // Blocks of uniforms, turned into normals a block at a time (philox_lanes.cpp: the same
  // operations per draw as inverse_normal_cdf, so the same bits).
  constexpr std::size_t kBlock = detail::kNormalBlock;
  double u[kBlock];
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t len = std::min(kBlock, n - start);
    uniforms(key, year, draw0 + start, len, u);
    detail::normals(u, len, out + start);
  }
}

double inverse_normal_cdf(double u) {
  if (!(u > 0.0 && u < 1.0)) {
    if (u <= 0.0) return -std::numeric_limits<double>::infinity();
    if (u >= 1.0) return std::numeric_limits<double>::infinity();
    return std::numeric_limits<double>::quiet_NaN();
  }
  const double q = u - 0.5;
  if (detail::ppnd16_is_central(q)) return detail::ppnd16_central(q);
  return detail::ppnd16_tail(u, q);
}

}  // namespace tamnhin::random
