#include "engine/random/philox_lanes.hpp"

#include <Random123/philox.h>
#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>

#include "engine/core/check.hpp"
#include "engine/core/portable_math_lanes.hpp"

#include "engine/random/detail_bits.hpp"
#include "engine/random/detail_ppnd16.hpp"

namespace tamnhin::random::detail {

namespace {

// Philox4x32-10 with each 32-bit word of a counter in the low half of a 64-bit lane, so
// that the 32 x 32 -> 64-bit multiply (pmuludq) reads it directly and the product's
// halves are a shift and the lane itself: no shuffles (the compiler's own vectorisation
// of the scalar rounds spent most of its instructions packing and unpacking words). The
// upper halves of c1 and c3 carry garbage from the products; only low halves are read.
//
// The uniform of words (lo, hi): y = (hi:lo) >> 11 < 2^53 is split as y_hi * 2^32 + y_lo
// (21 and 32 bits); each half becomes a double exactly by the 2^52 trick (its bits ORed
// into the mantissa of 2^52, then 2^52 subtracted), and y_hi * 2^32 + y_lo is exact: the
// same value as static_cast<double>(y), then ((y + 0.5) * 2^-53) capped at kOneBelow as in
// u01_from_bits.
constexpr std::uint64_t kTwo52Bits = 0x4330000000000000ULL;
constexpr std::uint32_t kRoundKey0[10] = {0,
                                          PHILOX_W32_0,
                                          2 * PHILOX_W32_0,
                                          3 * PHILOX_W32_0,
                                          4 * PHILOX_W32_0,
                                          5 * PHILOX_W32_0,
                                          6 * PHILOX_W32_0,
                                          7 * PHILOX_W32_0,
                                          8 * PHILOX_W32_0,
                                          9 * PHILOX_W32_0};
constexpr std::uint32_t kRoundKey1[10] = {0,
                                          PHILOX_W32_1,
                                          2 * PHILOX_W32_1,
                                          3 * PHILOX_W32_1,
                                          4 * PHILOX_W32_1,
                                          5 * PHILOX_W32_1,
                                          6 * PHILOX_W32_1,
                                          7 * PHILOX_W32_1,
                                          8 * PHILOX_W32_1,
                                          9 * PHILOX_W32_1};

inline double scalar_uniform(std::uint32_t lo, std::uint32_t hi) {
  return u01_from_bits((static_cast<std::uint64_t>(hi) << 32) | lo);
}

// One counter through the scalar rounds (the ends of a block).
inline void philox_one(std::uint32_t k0, std::uint32_t k1, std::uint32_t year, std::uint64_t m,
                       double* out) {
  using Philox = r123::Philox4x32;
  const Philox::ctr_type ctr = {
      {static_cast<std::uint32_t>(m), static_cast<std::uint32_t>(m >> 32), year, 0u}};
  const Philox::ctr_type r = Philox()(ctr, {{k0, k1}});
  out[0] = scalar_uniform(r.v[0], r.v[1]);
  out[1] = scalar_uniform(r.v[2], r.v[3]);
}

inline __m128d uniforms_sse2(__m128i lo, __m128i hi) {
  const __m128i low32 = _mm_set1_epi64x(0xffffffffLL);
  const __m128i two52 = _mm_set1_epi64x(static_cast<long long>(kTwo52Bits));
  const __m128d two52d = _mm_set1_pd(0x1p52);
  const __m128i y =
      _mm_srli_epi64(_mm_or_si128(_mm_slli_epi64(hi, 32), _mm_and_si128(lo, low32)), 11);
  const __m128d y_hi =
      _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(_mm_srli_epi64(y, 32), two52)), two52d);
  const __m128d y_lo =
      _mm_sub_pd(_mm_castsi128_pd(_mm_or_si128(_mm_and_si128(y, low32), two52)), two52d);
  const __m128d v = _mm_add_pd(_mm_mul_pd(y_hi, _mm_set1_pd(0x1p32)), y_lo);
  return _mm_min_pd(_mm_mul_pd(_mm_add_pd(v, _mm_set1_pd(0.5)), _mm_set1_pd(0x1p-53)),
                    _mm_set1_pd(kOneBelow));
}

[[gnu::target("avx2")]] inline __m256d uniforms_avx2(__m256i lo, __m256i hi) {
  const __m256i low32 = _mm256_set1_epi64x(0xffffffffLL);
  const __m256i two52 = _mm256_set1_epi64x(static_cast<long long>(kTwo52Bits));
  const __m256d two52d = _mm256_set1_pd(0x1p52);
  const __m256i y = _mm256_srli_epi64(
      _mm256_or_si256(_mm256_slli_epi64(hi, 32), _mm256_and_si256(lo, low32)), 11);
  const __m256d y_hi =
      _mm256_sub_pd(_mm256_castsi256_pd(_mm256_or_si256(_mm256_srli_epi64(y, 32), two52)), two52d);
  const __m256d y_lo = _mm256_sub_pd(
      _mm256_castsi256_pd(_mm256_or_si256(_mm256_and_si256(y, low32), two52)), two52d);
  const __m256d v = _mm256_add_pd(_mm256_mul_pd(y_hi, _mm256_set1_pd(0x1p32)), y_lo);
  return _mm256_min_pd(
      _mm256_mul_pd(_mm256_add_pd(v, _mm256_set1_pd(0.5)), _mm256_set1_pd(0x1p-53)),
      _mm256_set1_pd(kOneBelow));
}

// out[0..7] = the uniforms of four counters in order: u01 holds each counter's first
// uniform (words 0-1), u23 its second.
[[gnu::target("avx2")]] inline void store_pairs_avx2(__m256d u01, __m256d u23, double* out) {
  const __m256d lo = _mm256_unpacklo_pd(u01, u23);  // counters 0 and 2
  const __m256d hi = _mm256_unpackhi_pd(u01, u23);  // counters 1 and 3
  _mm256_storeu_pd(out, _mm256_permute2f128_pd(lo, hi, 0x20));
  _mm256_storeu_pd(out + 4, _mm256_permute2f128_pd(lo, hi, 0x31));
}

}  // namespace

void philox_pairs_sse2(std::uint64_t key, std::uint32_t year, std::uint64_t m0, std::size_t pairs,
                       double* out) {
  const auto k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  const __m128i mul0 = _mm_set1_epi64x(PHILOX_M4x32_0), mul1 = _mm_set1_epi64x(PHILOX_M4x32_1);
  const __m128i year_v = _mm_set1_epi64x(year);
  std::size_t i = 0;
  for (; i + 2 <= pairs; i += 2) {
    const std::uint64_t m = m0 + i;
    __m128i c0 = _mm_set_epi64x(static_cast<long long>(m + 1), static_cast<long long>(m));
    __m128i c1 = _mm_srli_epi64(c0, 32);
    __m128i c2 = year_v, c3 = _mm_setzero_si128();
    for (int r = 0; r < 10; ++r) {
      const __m128i a0 = _mm_set1_epi64x(static_cast<std::uint32_t>(k0 + kRoundKey0[r]));
      const __m128i a1 = _mm_set1_epi64x(static_cast<std::uint32_t>(k1 + kRoundKey1[r]));
      const __m128i p0 = _mm_mul_epu32(c0, mul0), p1 = _mm_mul_epu32(c2, mul1);
      c0 = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p1, 32), c1), a0);
      c2 = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(p0, 32), c3), a1);
      c1 = p1;
      c3 = p0;
    }
    const __m128d u01 = uniforms_sse2(c0, c1), u23 = uniforms_sse2(c2, c3);  // counters m, m + 1
    _mm_storeu_pd(out + 2 * i, _mm_unpacklo_pd(u01, u23));
    _mm_storeu_pd(out + 2 * i + 2, _mm_unpackhi_pd(u01, u23));
  }
  for (; i < pairs; ++i) philox_one(k0, k1, year, m0 + i, out + 2 * i);
}

[[gnu::target("avx2")]] void philox_pairs_avx2(std::uint64_t key, std::uint32_t year,
                                               std::uint64_t m0, std::size_t pairs, double* out) {
  const auto k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  const __m256i mul0 = _mm256_set1_epi64x(PHILOX_M4x32_0);
  const __m256i mul1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
  const __m256i year_v = _mm256_set1_epi64x(year);
  // Eight counters per iteration, as two independent sets of four: the rounds of one set
  // are a chain of dependent multiplies, the other set's fill its latency.
  std::size_t i = 0;
  for (; i + 8 <= pairs; i += 8) {
    const auto m = static_cast<long long>(m0 + i);
    __m256i c0 = _mm256_set_epi64x(m + 3, m + 2, m + 1, m);
    __m256i e0 = _mm256_set_epi64x(m + 7, m + 6, m + 5, m + 4);
    __m256i c1 = _mm256_srli_epi64(c0, 32), e1 = _mm256_srli_epi64(e0, 32);
    __m256i c2 = year_v, c3 = _mm256_setzero_si256(), e2 = year_v, e3 = c3;
    for (int r = 0; r < 10; ++r) {
      const __m256i a0 = _mm256_set1_epi64x(static_cast<std::uint32_t>(k0 + kRoundKey0[r]));
      const __m256i a1 = _mm256_set1_epi64x(static_cast<std::uint32_t>(k1 + kRoundKey1[r]));
      const __m256i p0 = _mm256_mul_epu32(c0, mul0), p1 = _mm256_mul_epu32(c2, mul1);
      const __m256i q0 = _mm256_mul_epu32(e0, mul0), q1 = _mm256_mul_epu32(e2, mul1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p1, 32), c1), a0);
      c2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(p0, 32), c3), a1);
      e0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(q1, 32), e1), a0);
      e2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(q0, 32), e3), a1);
      c1 = p1;
      c3 = p0;
      e1 = q1;
      e3 = q0;
    }
    store_pairs_avx2(uniforms_avx2(c0, c1), uniforms_avx2(c2, c3), out + 2 * i);
    store_pairs_avx2(uniforms_avx2(e0, e1), uniforms_avx2(e2, e3), out + 2 * i + 8);
  }
  for (; i < pairs; ++i) philox_one(k0, k1, year, m0 + i, out + 2 * i);
}

namespace {

// kTailLanes[m]: the positions (0-3) of the set bits of a 4-bit mask m, packed as four
// uint16 from the lowest, so that one 8-byte store appends the tail draws of four
// uniforms to the index list (the slots past the count are overwritten or never read);
// kTailCount[m] is how many there are. No branch: a tail draw is 15% of draws, so a
// branch per draw or per group mispredicts often.
constexpr std::array<std::uint64_t, 16> kTailLanes = [] {
  std::array<std::uint64_t, 16> lanes{};
  for (unsigned m = 0; m < 16; ++m) {
    unsigned slot = 0;
    for (unsigned b = 0; b < 4; ++b)
      if (m & (1u << b)) lanes[m] |= static_cast<std::uint64_t>(b) << (16 * slot++);
  }
  return lanes;
}();
constexpr std::array<std::uint8_t, 16> kTailCount = {0, 1, 1, 2, 1, 2, 2, 3,
                                                     1, 2, 2, 3, 2, 3, 3, 4};
constexpr std::uint64_t kEachLane = 0x0001000100010001ULL;  // i added to all four slots

// Appends those of the indices i..i+3 whose mask bit is set; it writes tail[tails..tails+3],
// within tail[0..i+3] since tails <= i.
inline std::size_t append_tails(unsigned mask, std::size_t i, std::uint16_t* tail,
                                std::size_t tails) {
  const std::uint64_t lanes = kTailLanes[mask] + i * kEachLane;  // i + 3 < 2^16: no carry
  std::memcpy(tail + tails, &lanes, sizeof lanes);
  return tails + kTailCount[mask];
}

// The indices of the tail draws (!ppnd16_is_central(u - 0.5)) of u[0..n), in order.
[[gnu::always_inline]] inline std::size_t scan_tails_sse2(const double* u, std::size_t n,
                                                          std::uint16_t* tail) {
  const __m128d half = _mm_set1_pd(0.5), limit = _mm_set1_pd(0.425);
  const __m128d abs = _mm_castsi128_pd(_mm_set1_epi64x(0x7fffffffffffffffLL));
  std::size_t i = 0, tails = 0;
  for (; i + 4 <= n; i += 4) {
    const __m128d q0 = _mm_and_pd(_mm_sub_pd(_mm_loadu_pd(u + i), half), abs);
    const __m128d q1 = _mm_and_pd(_mm_sub_pd(_mm_loadu_pd(u + i + 2), half), abs);
    const auto mask = static_cast<unsigned>(_mm_movemask_pd(_mm_cmpnle_pd(q0, limit)) |
                                            (_mm_movemask_pd(_mm_cmpnle_pd(q1, limit)) << 2));
    tails = append_tails(mask, i, tail, tails);
  }
  for (; i < n; ++i) {
    tail[tails] = static_cast<std::uint16_t>(i);
    tails += ppnd16_is_central(u[i] - 0.5) ? 0u : 1u;
  }
  return tails;
}

[[gnu::target("avx2")]] std::size_t scan_tails_avx2(const double* u, std::size_t n,
                                                    std::uint16_t* tail) {
  const __m256d half = _mm256_set1_pd(0.5), limit = _mm256_set1_pd(0.425);
  const __m256d abs = _mm256_castsi256_pd(_mm256_set1_epi64x(0x7fffffffffffffffLL));
  std::size_t i = 0, tails = 0;
  for (; i + 4 <= n; i += 4) {
    const __m256d q = _mm256_and_pd(_mm256_sub_pd(_mm256_loadu_pd(u + i), half), abs);
    const auto mask =
        static_cast<unsigned>(_mm256_movemask_pd(_mm256_cmp_pd(q, limit, _CMP_NLE_UQ)));
    tails = append_tails(mask, i, tail, tails);
  }
  for (; i < n; ++i) {
    tail[tails] = static_cast<std::uint16_t>(i);
    tails += ppnd16_is_central(u[i] - 0.5) ? 0u : 1u;
  }
  return tails;
}

using ScanTails = std::size_t (*)(const double*, std::size_t, std::uint16_t*);

// The normals of a block of uniforms: the central rational over every draw, then the tail
// draws (about 15%) gathered: their portable log (engine/core/portable_math.hpp, as
// inverse_normal_cdf), square roots and the near-tail rational over the gathered lanes,
// the far-tail rational (r > 5, u < 1.4e-11: almost never) only where it applies, and
// scattered back. The same operations per draw as inverse_normal_cdf, so the same bits;
// only the order of work differs.
template <ScanTails scan_tails>
[[gnu::always_inline]] inline void normals_body(const double* u, std::size_t n, double* z) {
  constexpr std::size_t kMax = kNormalBlock;
  for (std::size_t i = 0; i < n; ++i) z[i] = ppnd16_central(u[i] - 0.5);
  std::uint16_t tail[kMax];
  const std::size_t tails = scan_tails(u, n, tail);
  double q[kMax], v[kMax], lg[kMax], x[kMax];
  for (std::size_t t = 0; t < tails; ++t) {
    const double ut = u[tail[t]];
    q[t] = ut - 0.5;
    v[t] = q[t] < 0.0 ? ut : 1.0 - ut;
  }
  pmath::log_lanes(tails, lg, v);
  unsigned far = 0;
  for (std::size_t t = 0; t < tails; ++t) {
    const double r = ppnd16_tail_r(lg[t]);
    x[t] = ppnd16_tail_signed(ppnd16_tail_near(r), q[t]);
    far |= ppnd16_tail_is_near(r) ? 0u : 1u;
  }
  if (far != 0) {
    for (std::size_t t = 0; t < tails; ++t) {
      const double r = ppnd16_tail_r(lg[t]);
      if (!ppnd16_tail_is_near(r)) x[t] = ppnd16_tail_signed(ppnd16_tail_far(r), q[t]);
    }
  }
  for (std::size_t t = 0; t < tails; ++t) z[tail[t]] = x[t];
}

}  // namespace

void normals_generic(const double* u, std::size_t n, double* z) {
  normals_body<scan_tails_sse2>(u, n, z);
}

[[gnu::target("avx2")]] void normals_avx2(const double* u, std::size_t n, double* z) {
  normals_body<scan_tails_avx2>(u, n, z);
}

bool philox_has_avx2() {
  static const bool avx2 = __builtin_cpu_supports("avx2");
  return avx2;
}

void philox_pairs(std::uint64_t key, std::uint32_t year, std::uint64_t m0, std::size_t pairs,
                  double* out) {
  philox_has_avx2() ? philox_pairs_avx2(key, year, m0, pairs, out)
                    : philox_pairs_sse2(key, year, m0, pairs, out);
}

void normals(const double* u, std::size_t n, double* z) {
  TAMNHIN_CHECK_LE(n, kNormalBlock);
  philox_has_avx2() ? normals_avx2(u, n, z) : normals_generic(u, n, z);
}

}  // namespace tamnhin::random::detail
