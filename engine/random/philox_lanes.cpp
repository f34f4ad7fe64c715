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
// upper halves of c0..c3 carry garbage from the products; only low halves are read.
//
// The first round is cheaper: c2 = year and c3 = 0 in every counter, so its second
// product (year * M1) is a constant, and so is the key word xored with its high half.
//
// The uniform of words (lo, hi) is u01_from_bits(x), x = hi:lo: ((x >> 11) + 0.5) * 2^-53
// rounded to nearest even, capped at kOneBelow. With y = x >> 11 = t 2^52 + m (t the top
// bit, m < 2^52), it is built from the bits without a 64-bit integer conversion:
// f = 0.5 + m 2^-53 is m ORed into the mantissa of 0.5 (exact). If t = 0, f - 0.5 =
// m 2^-53 (exact, Sterbenz) and + 2^-54 gives (2m + 1) 2^-54 = (y + 0.5) 2^-53 exactly
// (2m + 1 < 2^53). If t = 1, f + 2^-54 = (2^53 + 2m + 1) 2^-54 is a tie between the
// doubles (2^52 + m) 2^-53 and (2^52 + m + 1) 2^-53 and rounds to the one with the even
// significand, as RN(y + 0.5) rounds to the even one of y and y + 1 (y = 2^52 + m); for
// m = 2^52 - 1 both give 1, capped alike. So u = min((f - (t ? 0 : 0.5)) + 2^-54,
// kOneBelow), the bits of u01_from_bits, in ten vector operations instead of fifteen.
constexpr std::uint64_t kHalfBits = 0x3fe0000000000000ULL;
constexpr std::uint64_t kMantissa = 0x000fffffffffffffULL;
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

// The constants of one (key, year): the round keys as lanes and the first round's.
struct RoundKeys {
  std::uint32_t a0[10], a1[10];
  std::uint64_t first_p1;  // year * M1: c1 after the first round
  std::uint64_t first_c0;  // hi(year * M1) ^ k0: xored with c1 gives c0 after it
};

inline RoundKeys round_keys(std::uint64_t key, std::uint32_t year) {
  const auto k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  RoundKeys rk{};
  for (int r = 0; r < 10; ++r) {
    rk.a0[r] = k0 + kRoundKey0[r];
    rk.a1[r] = k1 + kRoundKey1[r];
  }
  rk.first_p1 = std::uint64_t{year} * PHILOX_M4x32_1;
  rk.first_c0 = (rk.first_p1 >> 32) ^ k0;
  return rk;
}

inline __m128d uniforms_sse2(__m128i lo, __m128i hi) {
  const __m128i x =
      _mm_or_si128(_mm_slli_epi64(hi, 32), _mm_and_si128(lo, _mm_set1_epi64x(0xffffffffLL)));
  const __m128i y = _mm_srli_epi64(x, 11);
  const __m128d f = _mm_castsi128_pd(
      _mm_or_si128(_mm_and_si128(y, _mm_set1_epi64x(static_cast<long long>(kMantissa))),
                   _mm_set1_epi64x(static_cast<long long>(kHalfBits))));
  // 0.5 where t = 0, 0 where t = 1: (t - 1) is all ones or zero.
  const __m128d c =
      _mm_castsi128_pd(_mm_and_si128(_mm_sub_epi64(_mm_srli_epi64(y, 52), _mm_set1_epi64x(1)),
                                     _mm_set1_epi64x(static_cast<long long>(kHalfBits))));
  return _mm_min_pd(_mm_add_pd(_mm_sub_pd(f, c), _mm_set1_pd(0x1p-54)), _mm_set1_pd(kOneBelow));
}

[[gnu::target("avx2")]] inline __m256d uniforms_avx2(__m256i lo, __m256i hi) {
  const __m256i x = _mm256_or_si256(_mm256_slli_epi64(hi, 32),
                                    _mm256_and_si256(lo, _mm256_set1_epi64x(0xffffffffLL)));
  const __m256i y = _mm256_srli_epi64(x, 11);
  const __m256d f = _mm256_castsi256_pd(
      _mm256_or_si256(_mm256_and_si256(y, _mm256_set1_epi64x(static_cast<long long>(kMantissa))),
                      _mm256_set1_epi64x(static_cast<long long>(kHalfBits))));
  // 0.5 where t = 0, 0 where t = 1: t is x's sign bit.
  const __m256d c =
      _mm256_blendv_pd(_mm256_set1_pd(0.5), _mm256_setzero_pd(), _mm256_castsi256_pd(x));
  return _mm256_min_pd(_mm256_add_pd(_mm256_sub_pd(f, c), _mm256_set1_pd(0x1p-54)),
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
  const RoundKeys rk = round_keys(key, year);
  const __m128i mul0 = _mm_set1_epi64x(PHILOX_M4x32_0), mul1 = _mm_set1_epi64x(PHILOX_M4x32_1);
  const __m128i first_p1 = _mm_set1_epi64x(static_cast<long long>(rk.first_p1));
  const __m128i first_c0 = _mm_set1_epi64x(static_cast<long long>(rk.first_c0));
  const __m128i first_a1 = _mm_set1_epi64x(rk.a1[0]);
  __m128i m = _mm_set_epi64x(static_cast<long long>(m0 + 1), static_cast<long long>(m0));
  std::size_t i = 0;
  for (; i + 2 <= pairs; i += 2) {
    // The first round, with c2 = year and c3 = 0 (see above).
    const __m128i p0 = _mm_mul_epu32(m, mul0);
    __m128i c0 = _mm_xor_si128(_mm_srli_epi64(m, 32), first_c0);
    __m128i c2 = _mm_xor_si128(_mm_srli_epi64(p0, 32), first_a1);
    __m128i c1 = first_p1, c3 = p0;
    for (int r = 1; r < 10; ++r) {
      const __m128i a0 = _mm_set1_epi64x(rk.a0[r]), a1 = _mm_set1_epi64x(rk.a1[r]);
      const __m128i q0 = _mm_mul_epu32(c0, mul0), q1 = _mm_mul_epu32(c2, mul1);
      c0 = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(q1, 32), c1), a0);
      c2 = _mm_xor_si128(_mm_xor_si128(_mm_srli_epi64(q0, 32), c3), a1);
      c1 = q1;
      c3 = q0;
    }
    const __m128d u01 = uniforms_sse2(c0, c1), u23 = uniforms_sse2(c2, c3);  // counters m, m + 1
    _mm_storeu_pd(out + 2 * i, _mm_unpacklo_pd(u01, u23));
    _mm_storeu_pd(out + 2 * i + 2, _mm_unpackhi_pd(u01, u23));
    m = _mm_add_epi64(m, _mm_set1_epi64x(2));
  }
  const auto k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  for (; i < pairs; ++i) philox_one(k0, k1, year, m0 + i, out + 2 * i);
}

[[gnu::target("avx2")]] void philox_pairs_avx2(std::uint64_t key, std::uint32_t year,
                                               std::uint64_t m0, std::size_t pairs, double* out) {
  const RoundKeys rk = round_keys(key, year);
  const __m256i mul0 = _mm256_set1_epi64x(PHILOX_M4x32_0);
  const __m256i mul1 = _mm256_set1_epi64x(PHILOX_M4x32_1);
  const __m256i first_p1 = _mm256_set1_epi64x(static_cast<long long>(rk.first_p1));
  const __m256i first_c0 = _mm256_set1_epi64x(static_cast<long long>(rk.first_c0));
  const __m256i first_a1 = _mm256_set1_epi64x(rk.a1[0]);
  const auto m = static_cast<long long>(m0);
  __m256i mc = _mm256_set_epi64x(m + 3, m + 2, m + 1, m);
  __m256i me = _mm256_set_epi64x(m + 7, m + 6, m + 5, m + 4);
  // Eight counters per iteration, as two independent sets of four: the rounds of one set
  // are a chain of dependent multiplies, the other set's fill its latency.
  std::size_t i = 0;
  for (; i + 8 <= pairs; i += 8) {
    // The first round, with c2 = year and c3 = 0 (see above).
    const __m256i p0 = _mm256_mul_epu32(mc, mul0), q0 = _mm256_mul_epu32(me, mul0);
    __m256i c0 = _mm256_xor_si256(_mm256_srli_epi64(mc, 32), first_c0);
    __m256i e0 = _mm256_xor_si256(_mm256_srli_epi64(me, 32), first_c0);
    __m256i c2 = _mm256_xor_si256(_mm256_srli_epi64(p0, 32), first_a1);
    __m256i e2 = _mm256_xor_si256(_mm256_srli_epi64(q0, 32), first_a1);
    __m256i c1 = first_p1, e1 = first_p1, c3 = p0, e3 = q0;
    for (int r = 1; r < 10; ++r) {
      const __m256i a0 = _mm256_set1_epi64x(rk.a0[r]), a1 = _mm256_set1_epi64x(rk.a1[r]);
      const __m256i pc0 = _mm256_mul_epu32(c0, mul0), pc1 = _mm256_mul_epu32(c2, mul1);
      const __m256i pe0 = _mm256_mul_epu32(e0, mul0), pe1 = _mm256_mul_epu32(e2, mul1);
      c0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pc1, 32), c1), a0);
      c2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pc0, 32), c3), a1);
      e0 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pe1, 32), e1), a0);
      e2 = _mm256_xor_si256(_mm256_xor_si256(_mm256_srli_epi64(pe0, 32), e3), a1);
      c1 = pc1;
      c3 = pc0;
      e1 = pe1;
      e3 = pe0;
    }
    store_pairs_avx2(uniforms_avx2(c0, c1), uniforms_avx2(c2, c3), out + 2 * i);
    store_pairs_avx2(uniforms_avx2(e0, e1), uniforms_avx2(e2, e3), out + 2 * i + 8);
    mc = _mm256_add_epi64(mc, _mm256_set1_epi64x(8));
    me = _mm256_add_epi64(me, _mm256_set1_epi64x(8));
  }
  const auto k0 = static_cast<std::uint32_t>(key), k1 = static_cast<std::uint32_t>(key >> 32);
  for (; i < pairs; ++i) philox_one(k0, k1, year, m0 + i, out + 2 * i);
}

void words_to_uniforms_sse2(const std::uint32_t* lo, const std::uint32_t* hi, std::size_t n,
                            double* out) {
  for (std::size_t i = 0; i + 2 <= n; i += 2) {
    const __m128i l = _mm_set_epi64x(lo[i + 1], lo[i]), h = _mm_set_epi64x(hi[i + 1], hi[i]);
    _mm_storeu_pd(out + i, uniforms_sse2(l, h));
  }
}

[[gnu::target("avx2")]] void words_to_uniforms_avx2(const std::uint32_t* lo,
                                                    const std::uint32_t* hi, std::size_t n,
                                                    double* out) {
  for (std::size_t i = 0; i + 4 <= n; i += 4) {
    const __m256i l = _mm256_set_epi64x(lo[i + 3], lo[i + 2], lo[i + 1], lo[i]);
    const __m256i h = _mm256_set_epi64x(hi[i + 3], hi[i + 2], hi[i + 1], hi[i]);
    _mm256_storeu_pd(out + i, uniforms_avx2(l, h));
  }
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

// z[i] = ppnd16_central(u[i] - 0.5) for i < n (the tail draws' values are replaced later).
using Central = void (*)(const double*, std::size_t, double*);

[[gnu::always_inline]] inline void central_generic(const double* u, std::size_t n, double* z) {
  for (std::size_t i = 0; i < n; ++i) z[i] = ppnd16_central(u[i] - 0.5);
}

// The same rational, sixteen draws per iteration as four vectors in lockstep: each
// vector's numerator and denominator are two chains of seven dependent multiply-adds
// (Horner, in AS 241's order: the bits must not change), so with one vector at a time the
// loop waited on latency; eight chains in flight keep the multipliers and adders busy.
// An empty asm that claims to read and write the eight chains: the compiler can no longer
// move one chain's next step before the others' current one, and left alone it emits
// each chain whole, one after the other, which a reorder window cannot overlap. Changes
// no value.
[[gnu::target("avx2"), gnu::always_inline]] inline void keep_in_step(__m256d* num, __m256d* den) {
  asm volatile(""
               : "+x"(num[0]), "+x"(num[1]), "+x"(num[2]), "+x"(num[3]), "+x"(den[0]), "+x"(den[1]),
                 "+x"(den[2]), "+x"(den[3]));
}

[[gnu::target("avx2")]] void central_avx2(const double* u, std::size_t n, double* z) {
  constexpr int kV = 4;
  const __m256d half = _mm256_set1_pd(0.5), r0 = _mm256_set1_pd(0.180625);
  const __m256d a[8] = {_mm256_set1_pd(kPpnd16A[0]), _mm256_set1_pd(kPpnd16A[1]),
                        _mm256_set1_pd(kPpnd16A[2]), _mm256_set1_pd(kPpnd16A[3]),
                        _mm256_set1_pd(kPpnd16A[4]), _mm256_set1_pd(kPpnd16A[5]),
                        _mm256_set1_pd(kPpnd16A[6]), _mm256_set1_pd(kPpnd16A[7])};
  const __m256d b[8] = {_mm256_set1_pd(1.0),         _mm256_set1_pd(kPpnd16B[1]),
                        _mm256_set1_pd(kPpnd16B[2]), _mm256_set1_pd(kPpnd16B[3]),
                        _mm256_set1_pd(kPpnd16B[4]), _mm256_set1_pd(kPpnd16B[5]),
                        _mm256_set1_pd(kPpnd16B[6]), _mm256_set1_pd(kPpnd16B[7])};
  std::size_t i = 0;
  for (; i + 4 * kV <= n; i += 4 * kV) {
    __m256d q[kV], r[kV], num[kV], den[kV];
    for (int k = 0; k < kV; ++k) q[k] = _mm256_sub_pd(_mm256_loadu_pd(u + i + 4 * k), half);
    for (int k = 0; k < kV; ++k) r[k] = _mm256_sub_pd(r0, _mm256_mul_pd(q[k], q[k]));
    for (int k = 0; k < kV; ++k) {
      num[k] = _mm256_add_pd(_mm256_mul_pd(a[7], r[k]), a[6]);
      den[k] = _mm256_add_pd(_mm256_mul_pd(b[7], r[k]), b[6]);
    }
    for (int j = 5; j >= 0; --j) {
      for (int k = 0; k < kV; ++k) {
        num[k] = _mm256_add_pd(_mm256_mul_pd(num[k], r[k]), a[j]);
        den[k] = _mm256_add_pd(_mm256_mul_pd(den[k], r[k]), b[j]);
      }
      keep_in_step(num, den);
    }
    for (int k = 0; k < kV; ++k)
      _mm256_storeu_pd(z + i + 4 * k, _mm256_div_pd(_mm256_mul_pd(q[k], num[k]), den[k]));
  }
  for (; i < n; ++i) z[i] = ppnd16_central(u[i] - 0.5);
}

// The normals of a block of uniforms: the central rational over every draw, then the tail
// draws (about 15%) gathered: their portable log (engine/core/portable_math.hpp, as
// inverse_normal_cdf), square roots and the near-tail rational over the gathered lanes,
// the far-tail rational (r > 5, u < 1.4e-11: almost never) only where it applies, and
// scattered back. The same operations per draw as inverse_normal_cdf, so the same bits;
// only the order of work differs.
template <Central central, ScanTails scan_tails>
[[gnu::always_inline]] inline void normals_body(const double* u, std::size_t n, double* z) {
  constexpr std::size_t kMax = kNormalBlock;
  central(u, n, z);
  std::uint16_t tail[kMax];
  const std::size_t tails = scan_tails(u, n, tail);
  double q[kMax], v[kMax], lg[kMax], x[kMax];
  for (std::size_t t = 0; t < tails; ++t) {
    const double ut = u[tail[t]];
    q[t] = ut - 0.5;
    v[t] = q[t] < 0.0 ? ut : 1.0 - ut;
  }
  // Padded with a harmless lower-tail draw (u = 0.25) to whole vectors of four, so that
  // the log and the rational run no scalar remainder (2 of ~38 tail draws per block).
  const std::size_t lanes = (tails + 3) & ~std::size_t{3};
  for (std::size_t t = tails; t < lanes; ++t) {
    q[t] = -0.25;
    v[t] = 0.25;
  }
  pmath::log_lanes(lanes, lg, v);
  unsigned far = 0;
  for (std::size_t t = 0; t < lanes; ++t) {
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
  normals_body<central_generic, scan_tails_sse2>(u, n, z);
}

[[gnu::target("avx2")]] void normals_avx2(const double* u, std::size_t n, double* z) {
  normals_body<central_avx2, scan_tails_avx2>(u, n, z);
}

bool philox_has_avx2() {
  return pmath::has_avx2();
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
