#include "engine/stats/detail_tally.hpp"

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <atomic>

#include "engine/core/check.hpp"
#include "engine/core/portable_math_lanes.hpp"

namespace tamnhin::stats::detail {

namespace {

// Intervals in one first pass at most (their bounds and counts stay in registers); more
// (rare: a wanted rank's range split over two intervals) take another pass.
constexpr std::size_t kPassIntervals = 6;

// Per interval k of K: below[k] += draws < lo[k], and when lo[k] == hi[k] (only looked at
// when Points), at[k] += draws equal to it; the draws in some [lo[j], hi[j]] with
// lo[j] < hi[j] go to near, in order; returns how many.
template <std::size_t K, bool Points>
std::size_t near_generic(const double* x, std::size_t n, const double* lo, const double* hi,
                         std::uint64_t* below, std::uint64_t* at, double* near) {
  std::array<std::uint64_t, K> b{}, closed{};
  std::size_t count = 0;
  for (std::size_t d = 0; d < n; ++d) {
    const double v = x[d];
    std::uint32_t less = 0, not_above = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const std::uint32_t l = v < lo[k] ? 1 : 0;
      const std::uint32_t le = v <= hi[k] ? 1 : 0;
      b[k] += l;
      less += l;
      if constexpr (Points) {
        closed[k] += le;
        not_above += lo[k] == hi[k] ? l : le;
      } else {
        not_above += le;
      }
    }
    near[count] = v;
    count += less != not_above ? 1 : 0;
  }
  for (std::size_t k = 0; k < K; ++k) {
    below[k] += b[k];
    if (Points && lo[k] == hi[k]) at[k] += closed[k] - b[k];
  }
  return count;
}

#if defined(__x86_64__) && defined(__GNUC__)
// Lane permutations (as eight 32-bit lanes) that move the lanes set in a 4-bit mask to the
// front, in order, and how many they are.
struct PackTable {
  alignas(32) std::int32_t lanes[16][8];
  std::uint8_t count[16];
};
constexpr PackTable make_pack_table() {
  PackTable t{};
  for (int mask = 0; mask < 16; ++mask) {
    std::size_t out = 0;
    for (int lane = 0; lane < 4; ++lane) {
      if ((mask >> lane & 1) == 0) continue;
      t.lanes[mask][2 * out] = 2 * lane;
      t.lanes[mask][2 * out + 1] = 2 * lane + 1;
      ++out;
    }
    t.count[mask] = static_cast<std::uint8_t>(out);
  }
  return t;
}
constexpr PackTable kPack = make_pack_table();

[[gnu::target("avx2")]] inline std::uint64_t lane_sum(__m256i v) {
  alignas(32) std::uint64_t lanes[4];
  _mm256_store_si256(reinterpret_cast<__m256i*>(lanes), v);
  return lanes[0] + lanes[1] + lanes[2] + lanes[3];
}

template <std::size_t K, bool Points>
[[gnu::target("avx2")]] std::size_t near_avx2(const double* x, std::size_t n, const double* lo,
                                              const double* hi, std::uint64_t* below,
                                              std::uint64_t* at, double* near) {
  __m256d l[K], h[K], point[K];
  __m256i b[K], closed[K];
  for (std::size_t k = 0; k < K; ++k) {
    l[k] = _mm256_set1_pd(lo[k]);
    h[k] = _mm256_set1_pd(hi[k]);
    point[k] = _mm256_cmp_pd(l[k], h[k], _CMP_EQ_OQ);
    b[k] = _mm256_setzero_si256();
    closed[k] = _mm256_setzero_si256();
  }
  std::size_t count = 0, d = 0;
  for (; d + 4 <= n; d += 4) {
    const __m256d v = _mm256_loadu_pd(x + d);
    // Compares give -1 per lane: these hold minus the counts.
    __m256i less = _mm256_setzero_si256(), not_above = _mm256_setzero_si256();
    for (std::size_t k = 0; k < K; ++k) {
      const __m256d lt = _mm256_cmp_pd(v, l[k], _CMP_LT_OQ);
      const __m256d le = _mm256_cmp_pd(v, h[k], _CMP_LE_OQ);
      b[k] = _mm256_sub_epi64(b[k], _mm256_castpd_si256(lt));
      less = _mm256_add_epi64(less, _mm256_castpd_si256(lt));
      if constexpr (Points) {
        closed[k] = _mm256_sub_epi64(closed[k], _mm256_castpd_si256(le));
        not_above =
            _mm256_add_epi64(not_above, _mm256_castpd_si256(_mm256_blendv_pd(le, lt, point[k])));
      } else {
        not_above = _mm256_add_epi64(not_above, _mm256_castpd_si256(le));
      }
    }
    const int mask =
        ~_mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(less, not_above))) & 15;
    const __m256i pack = _mm256_load_si256(reinterpret_cast<const __m256i*>(kPack.lanes[mask]));
    _mm256_storeu_pd(near + count,
                     _mm256_castps_pd(_mm256_permutevar8x32_ps(_mm256_castpd_ps(v), pack)));
    count += kPack.count[mask];
  }
  for (std::size_t k = 0; k < K; ++k) {
    const std::uint64_t under = lane_sum(b[k]);
    below[k] += under;
    if (Points && lo[k] == hi[k]) at[k] += lane_sum(closed[k]) - under;
  }
  return count + near_generic<K, Points>(x + d, n - d, lo, hi, below, at, near + count);
}
#endif

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define TAMNHIN_TALLY_AVX512 1
// (Not _mm512_reduce_add_epi64: GCC 12 warns of an uninitialised variable in its header.)
[[gnu::target("avx512f")]] inline std::uint64_t lane_sum(__m512i v) {
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, v);
  std::uint64_t sum = 0;
  for (const std::uint64_t x : lanes) sum += x;
  return sum;
}

// Eight draws at a time, the compares giving bit masks: a draw is near when it lies in
// some closed [lo, hi] that is not a single value (what the AVX2 build's two counts find:
// the intervals are apart), and the near ones are packed in order by a compress. The same
// draws in the same order as the other builds.
template <std::size_t K, bool Points>
[[gnu::target("avx512f,avx512dq")]] std::size_t near_avx512(const double* x, std::size_t n,
                                                            const double* lo, const double* hi,
                                                            std::uint64_t* below, std::uint64_t* at,
                                                            double* near) {
  __m512d l[K], h[K];
  __m512i b[K], closed[K];
  __mmask8 interval[K];  // all set where [lo, hi] is not a single value
  const __m512i one = _mm512_set1_epi64(1);
  for (std::size_t k = 0; k < K; ++k) {
    l[k] = _mm512_set1_pd(lo[k]);
    h[k] = _mm512_set1_pd(hi[k]);
    interval[k] = Points && lo[k] == hi[k] ? 0 : 0xff;
    b[k] = _mm512_setzero_si512();
    closed[k] = _mm512_setzero_si512();
  }
  std::size_t count = 0, d = 0;
  for (; d + 8 <= n; d += 8) {
    const __m512d v = _mm512_loadu_pd(x + d);
    __mmask8 in_some = 0;
    for (std::size_t k = 0; k < K; ++k) {
      const __mmask8 lt = _mm512_cmp_pd_mask(v, l[k], _CMP_LT_OQ);
      const __mmask8 le = _mm512_cmp_pd_mask(v, h[k], _CMP_LE_OQ);
      b[k] = _mm512_mask_add_epi64(b[k], lt, b[k], one);
      if constexpr (Points) closed[k] = _mm512_mask_add_epi64(closed[k], le, closed[k], one);
      in_some |= static_cast<__mmask8>(le & ~lt & interval[k]);
    }
    _mm512_storeu_pd(near + count, _mm512_maskz_compress_pd(in_some, v));
    count += static_cast<std::size_t>(__builtin_popcount(in_some));
  }
  for (std::size_t k = 0; k < K; ++k) {
    const std::uint64_t under = lane_sum(b[k]);
    below[k] += under;
    if (Points && lo[k] == hi[k]) at[k] += lane_sum(closed[k]) - under;
  }
  return count + near_generic<K, Points>(x + d, n - d, lo, hi, below, at, near + count);
}
#else
#define TAMNHIN_TALLY_AVX512 0
#endif

// The build the tally runs: the CPU's best unless a test chose one (use_tally_build).
std::atomic<int> chosen_tally{-1};

TallyBuild tally_build() {
  const int chosen = chosen_tally.load(std::memory_order_relaxed);
  return chosen >= 0 ? static_cast<TallyBuild>(chosen) : tally_builds().back();
}

template <std::size_t K>
std::size_t near_draws(const double* x, std::size_t n, const double* lo, const double* hi,
                       std::uint64_t* below, std::uint64_t* at, double* near) {
  bool points = false;
  for (std::size_t k = 0; k < K; ++k) points |= lo[k] == hi[k];
  switch (tally_build()) {
    case TallyBuild::avx512:
#if TAMNHIN_TALLY_AVX512
      return points ? near_avx512<K, true>(x, n, lo, hi, below, at, near)
                    : near_avx512<K, false>(x, n, lo, hi, below, at, near);
#else
      [[fallthrough]];  // (not among this build's: tally_builds)
#endif
    case TallyBuild::avx2:
#if defined(__x86_64__) && defined(__GNUC__)
      return points ? near_avx2<K, true>(x, n, lo, hi, below, at, near)
                    : near_avx2<K, false>(x, n, lo, hi, below, at, near);
#else
      [[fallthrough]];
#endif
    case TallyBuild::baseline:
      break;
  }
  return points ? near_generic<K, true>(x, n, lo, hi, below, at, near)
                : near_generic<K, false>(x, n, lo, hi, below, at, near);
}

}  // namespace

std::size_t near_draws(const double* x, std::size_t n, Bounds b, std::uint64_t* below,
                       std::uint64_t* at, double* near) {
  std::size_t found = 0;
  for (std::size_t first = 0; first < b.count; first += kPassIntervals) {
    const std::size_t k = std::min(kPassIntervals, b.count - first);
    const double* lo = b.lo + first;
    const double* hi = b.hi + first;
    std::uint64_t* under = below + first;
    std::uint64_t* equal = at + first;
    double* out = near + found;
    switch (k) {
      case 1:
        found += near_draws<1>(x, n, lo, hi, under, equal, out);
        break;
      case 2:
        found += near_draws<2>(x, n, lo, hi, under, equal, out);
        break;
      case 3:
        found += near_draws<3>(x, n, lo, hi, under, equal, out);
        break;
      case 4:
        found += near_draws<4>(x, n, lo, hi, under, equal, out);
        break;
      case 5:
        found += near_draws<5>(x, n, lo, hi, under, equal, out);
        break;
      default:
        found += near_draws<kPassIntervals>(x, n, lo, hi, under, equal, out);
        break;
    }
  }
  return found;
}

std::size_t near_room(std::size_t n, std::size_t intervals) {
  return n + 8 * ((intervals + kPassIntervals - 1) / kPassIntervals);
}

std::vector<TallyBuild> tally_builds() {
  std::vector<TallyBuild> builds = {TallyBuild::baseline};
#if defined(__x86_64__) && defined(__GNUC__)
  if (pmath::has_avx2()) builds.push_back(TallyBuild::avx2);
  if (TAMNHIN_TALLY_AVX512 && pmath::has_avx512()) builds.push_back(TallyBuild::avx512);
#endif
  return builds;
}

void use_tally_build(std::optional<TallyBuild> build) {
  if (build) {
    const std::vector<TallyBuild> builds = tally_builds();
    TAMNHIN_CHECK(std::find(builds.begin(), builds.end(), *build) != builds.end());
  }
  chosen_tally.store(build ? static_cast<int>(*build) : -1, std::memory_order_relaxed);
}

}  // namespace tamnhin::stats::detail
