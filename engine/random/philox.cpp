// Philox4x32-10 uniforms and normals as pure functions of (key, draw, year); the counter
// layout is documented in philox.hpp.
#include "engine/random/philox.hpp"

#include <Random123/philox.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "engine/random/detail_bits.hpp"
#include "engine/random/detail_ppnd16.hpp"

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

namespace {

// double(v) for v = (hi:lo) >> 11 < 2^53, exactly, from 32-bit pieces: hi >> 11 and the
// low 32 bits both convert through signed int32 (packed cvtdq2pd on any x86-64), so the
// loop below vectorises without AVX-512's uint64 -> double. The sum is exact (< 2^53), so
// the result equals static_cast<double>(x >> 11) bit for bit.
inline double top53_as_double(std::uint32_t lo, std::uint32_t hi) {
  const auto high = static_cast<std::int32_t>(hi >> 11);
  const auto low = static_cast<std::int32_t>(((hi << 21) | (lo >> 11)) ^ 0x80000000u);
  return static_cast<double>(high) * 0x1p32 + (static_cast<double>(low) + 0x1p31);
}

// out[2i], out[2i+1] = the two uniforms of counter m0 + i, for i < pairs. Philox4x32-10
// written out over one counter per iteration with the rounds unrolled, so the compiler
// vectorises across counters (r123's struct-returning rounds defeat the vectoriser). Must
// equal r123::Philox4x32 bit for bit; the unit tests compare it with uniform().
void philox_pairs(std::uint64_t key, std::uint32_t year, std::uint64_t m0, std::size_t pairs,
                  double* __restrict out) {
  const auto k0 = static_cast<std::uint32_t>(key);
  const auto k1 = static_cast<std::uint32_t>(key >> 32);
  for (std::size_t i = 0; i < pairs; ++i) {
    const std::uint64_t m = m0 + i;
    std::uint32_t c0 = static_cast<std::uint32_t>(m), c1 = static_cast<std::uint32_t>(m >> 32);
    std::uint32_t c2 = year, c3 = 0u;
    std::uint32_t a0 = k0, a1 = k1;
#pragma GCC unroll 10
    for (int round = 0; round < 10; ++round) {
      const std::uint64_t p0 = std::uint64_t{PHILOX_M4x32_0} * c0;
      const std::uint64_t p1 = std::uint64_t{PHILOX_M4x32_1} * c2;
      const std::uint32_t n0 = static_cast<std::uint32_t>(p1 >> 32) ^ c1 ^ a0;
      const std::uint32_t n2 = static_cast<std::uint32_t>(p0 >> 32) ^ c3 ^ a1;
      c1 = static_cast<std::uint32_t>(p1);
      c3 = static_cast<std::uint32_t>(p0);
      c0 = n0;
      c2 = n2;
      a0 += PHILOX_W32_0;
      a1 += PHILOX_W32_1;
    }
    out[2 * i] = std::min((top53_as_double(c0, c1) + 0.5) * 0x1p-53, detail::kOneBelow);
    out[2 * i + 1] = std::min((top53_as_double(c2, c3) + 0.5) * 0x1p-53, detail::kOneBelow);
  }
}

}  // namespace

void uniforms(std::uint64_t key, std::uint32_t year, std::uint64_t draw0, std::size_t n,
              double* out) {
  if (n == 0) return;
  std::size_t i = 0;
  if (draw0 & 1u) out[i++] = uniform(key, draw0, year);  // odd start: second half of a pair
  const std::size_t pairs = (n - i) / 2;
  philox_pairs(key, year, (draw0 + i) >> 1, pairs, out + i);
  i += 2 * pairs;
  if (i < n) out[i] = uniform(key, draw0 + i, year);  // even end: first half of a pair
}

void standard_normals(std::uint64_t key, std::uint32_t year, std::uint64_t draw0, std::size_t n,
                      double* out) {
  // Blocks of uniforms; the central rational (85% of draws) runs vectorised over the whole
  // block, then the few tail draws are redone with log and sqrt. Both paths call the same
  // kernels as inverse_normal_cdf, so the bits agree with the scalar function.
  constexpr std::size_t kBlock = 256;
  double u[kBlock];
  std::uint16_t tail[kBlock];
  for (std::size_t start = 0; start < n; start += kBlock) {
    const std::size_t len = std::min(kBlock, n - start);
    uniforms(key, year, draw0 + start, len, u);
    double* z = out + start;
    for (std::size_t i = 0; i < len; ++i) z[i] = detail::ppnd16_central(u[i] - 0.5);
    // Branch-free list of the tail draws (a branch per draw mispredicts ~15% of the time).
    std::size_t tails = 0;
    for (std::size_t i = 0; i < len; ++i) {
      tail[tails] = static_cast<std::uint16_t>(i);
      tails += detail::ppnd16_is_central(u[i] - 0.5) ? 0u : 1u;
    }
    for (std::size_t t = 0; t < tails; ++t) z[tail[t]] = inverse_normal_cdf(u[tail[t]]);
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
