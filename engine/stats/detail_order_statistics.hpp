// Internal to engine/stats: the few order statistics that type-7 quantiles read, found
// without sorting the column (a full sort per column was half of a run's time; see
// docs/performance.md). An order statistic does not depend on how it is found, so the
// quantiles are the same numbers, bit for bit, as on the sorted column.
//
// Bucket selection: one pass finds min and max; one vectorised pass computes the bucket of
// equal width between them of every draw, and those are counted; the buckets holding the
// wanted ranks are known from the running counts; one pass over the bucket indices (16 at
// a time) copies only those buckets' draws (a few hundred of 10,000) and std::nth_element
// finishes inside them. The bucket index floor((v - min) * scale) never
// decreases when v grows (correctly rounded arithmetic is monotone), so every draw of a
// lower bucket is smaller than every draw of a higher one and ranks carry over exactly.
//
// Kept bit-exact on purpose: -0.0 and +0.0 compare equal, so which of them lands at a rank
// depends on the algorithm; a column holding both, or a NaN (no rank at all), or an
// infinity, or too few draws to be worth it, is sorted in full exactly as before.
#pragma once

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/column_kernels.hpp"

namespace tamnhin::stats::detail {

// Columns shorter than this are sorted: the three passes only pay off on longer ones.
inline constexpr std::size_t kSelectAbove = 256;
// At most this many buckets (2048 from 4,100 draws on); fewer for shorter
// columns, about one per four draws: clearing and scanning 2,048 counts per column was most
// of the summaries' cost at 2,000 draws (18% of a run's instructions), and the draws per
// wanted bucket, which nth_element then works through, stay about four. The order
// statistics are the same whatever the number of buckets.
inline constexpr std::size_t kBuckets = 2048;
inline constexpr std::size_t kFewestBuckets = 64;

inline std::size_t bucket_count(std::size_t draws) {
  return std::clamp<std::size_t>(std::bit_ceil(draws / 4), kFewestBuckets, kBuckets);
}

// The draws of a column by bucket, as selection needs them: the bucket of every draw and
// the draws per bucket. order_statistics finds them in two passes of its own, unless
// column_moments found them in the second pass it makes anyway (detail_moments.hpp): the
// same numbers, one pass over the column fewer and the counting hidden behind the latency
// of that pass's sums.
struct BucketTally {
  std::size_t buckets = 0;                      // 0: not found (see bucket_scale)
  std::vector<std::uint16_t> index;             // per draw, its bucket
  std::array<std::uint32_t, kBuckets> count{};  // per bucket (the first `buckets`), its draws
};

// The factor that maps [lo, hi] onto the bucket_count(n) buckets of a column of n draws
// whose values are finite: 0 when selection sorts instead (too few draws, a range too
// narrow to split) or the column is constant. order_statistics decides the same way.
inline double bucket_scale(std::size_t n, double lo, double hi) {
  if (n < kSelectAbove || !(lo < hi)) return 0;
  const double scale = static_cast<double>(bucket_count(n)) / (hi - lo);
  return std::isfinite(scale) ? scale : 0;
}

// The quantiles of a forecast row (Summary::p05 .. p95).
inline constexpr std::array<double, 5> kSummaryProbabilities = {0.05, 0.25, 0.50, 0.75, 0.95};

// The type-7 interpolation between two neighbouring order statistics; quantile_type7 uses
// the same function so both paths round identically.
inline double type7_between(double lo_value, double hi_value, double fraction) {
  return lo_value + fraction * (hi_value - lo_value);
}

// One pass: the smallest and largest value, and whether selection could differ from
// std::sort at some rank (both signed zeros present) or cannot bucket (NaN, infinity).
struct ColumnRange {
  double lo, hi;
  bool needs_full_sort;
};

inline ColumnRange column_range(std::span<const double> values) {
  std::uint64_t negative_zero = 0, positive_zero = 0, not_finite = 0;
  double lo = values[0], hi = values[0];
  for (double v : values) {
    const auto bits = std::bit_cast<std::uint64_t>(v);
    negative_zero |= bits == 0x8000000000000000ULL;
    positive_zero |= bits == 0;
    not_finite |= (bits & 0x7ff0000000000000ULL) == 0x7ff0000000000000ULL;  // inf, NaN
    lo = v < lo ? v : lo;
    hi = v > hi ? v : hi;
  }
  return {lo, hi, not_finite != 0 || (negative_zero != 0 && positive_zero != 0)};
}

// out[i] = the ranks[i]-th smallest of `values` (0-based), ranks ascending and < size.
// `scratch` is reused between calls. `known`: the column's range when the caller already
// has it (column_moments finds it in its first pass), saving a pass; `tally`: the buckets
// column_moments found for the same column, saving two more.
inline void order_statistics(std::span<const double> values, std::span<const std::size_t> ranks,
                             std::span<double> out, std::vector<double>& scratch,
                             const ColumnRange* known = nullptr,
                             const BucketTally* tally = nullptr) {
  const std::size_t n = values.size();
  const auto sort_all = [&] {
    scratch.assign(values.begin(), values.end());
    std::sort(scratch.begin(), scratch.end());
    for (std::size_t i = 0; i < ranks.size(); ++i) out[i] = scratch[ranks[i]];
  };
  if (n < kSelectAbove) return sort_all();
  const auto [lo, hi, full_sort] = known != nullptr ? *known : column_range(values);
  if (full_sort) return sort_all();
  if (lo == hi) {  // a constant column (common: paths, deterministic variables)
    std::fill(out.begin(), out.end(), lo);
    return;
  }
  const std::size_t buckets = bucket_count(n);
  const double scale = static_cast<double>(buckets) / (hi - lo);
  if (!std::isfinite(scale)) return sort_all();  // a range too narrow to split
  const std::uint16_t* index = nullptr;
  const std::uint32_t* count = nullptr;
  if (tally != nullptr && tally->buckets == buckets && tally->index.size() == n) {
    index = tally->index.data();
    count = tally->count.data();
  } else {
    // The bucket of every draw, computed once and vectorised, then counted
    // (column_kernels.hpp, the same kernels as column_moments' tally). Only the first
    // `buckets` entries of the counts are used.
    thread_local BucketTally own;
    own.index.resize(n);
    bucket_indices(values, lo, scale, static_cast<std::uint16_t>(buckets), own.index.data());
    count_buckets(own.index.data(), n, buckets, own.count.data());
    index = own.index.data();
    count = own.count.data();
  }

  // Which bucket holds each rank, and where each wanted bucket's draws go in `scratch`.
  std::array<std::uint16_t, kBuckets> slot;  // 0: not wanted; else 1 + wanted index
  std::fill_n(slot.begin(), buckets, std::uint16_t{0});
  std::array<std::uint16_t, 16> wanted_bucket{};
  std::array<std::size_t, 16> first_rank{}, offset{}, fill{};
  std::array<std::size_t, 16> rank_bucket{};
  std::size_t wanted = 0, below = 0, stored = 0, r = 0;
  for (std::size_t b = 0; b < buckets && r < ranks.size(); ++b) {
    const std::size_t next = below + count[b];
    for (; r < ranks.size() && ranks[r] < next; ++r) {
      if (slot[b] == 0) {
        slot[b] = static_cast<std::uint16_t>(++wanted);
        wanted_bucket[wanted - 1] = static_cast<std::uint16_t>(b);
        first_rank[wanted - 1] = below;
        offset[wanted - 1] = stored;
        fill[wanted - 1] = stored;
        stored += count[b];
      }
      rank_bucket[r] = slot[b] - 1u;
    }
    below = next;
  }
  scratch.resize(stored);
  gather_wanted(values, index, std::span<const std::uint16_t>(wanted_bucket.data(), wanted),
                slot.data(), fill.data(), scratch.data());
  // Inside a bucket: quickselect each rank, left to right, on what remains to its right.
  std::array<std::size_t, 16> placed{};  // per wanted bucket, draws already in order
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const std::size_t w = rank_bucket[i];
    double* base = scratch.data() + offset[w];
    const std::size_t size = fill[w] - offset[w];
    const std::size_t k = ranks[i] - first_rank[w];
    if (k >= placed[w]) {
      std::nth_element(base + placed[w], base + k, base + size);
      placed[w] = k + 1;
    }
    out[i] = base[k];
  }
}

// The type-7 quantiles at `probabilities` (ascending, each in [0, 1]) of a non-empty column: the
// same as quantile_type7 on the sorted column, bit for bit.
template <std::size_t P>
std::array<double, P> type7_quantiles(std::span<const double> values,
                                      const std::array<double, P>& probabilities,
                                      std::vector<double>& scratch,
                                      const ColumnRange* known = nullptr,
                                      const BucketTally* tally = nullptr) {
  static_assert(2 * P <= 16);
  const std::size_t n = values.size();
  std::array<std::size_t, 2 * P> ranks{};
  std::array<std::size_t, P> lo_index{};
  std::array<double, P> fraction{};
  std::size_t count = 0;
  const auto want = [&](std::size_t rank) {  // ascending probabilities give ascending ranks
    if (count == 0 || ranks[count - 1] < rank) ranks[count++] = rank;
  };
  for (std::size_t i = 0; i < P; ++i) {
    const double h = static_cast<double>(n - 1) * probabilities[i];
    const double lo_floor = std::floor(h);
    lo_index[i] = static_cast<std::size_t>(lo_floor);
    fraction[i] = h - lo_floor;
    want(lo_index[i]);
    if (lo_index[i] + 1 < n) want(lo_index[i] + 1);
  }
  std::array<double, 2 * P> stat{};
  order_statistics(values, std::span<const std::size_t>(ranks.data(), count),
                   std::span<double>(stat.data(), count), scratch, known, tally);
  const auto at = [&](std::size_t rank) {
    return stat[static_cast<std::size_t>(
        std::lower_bound(ranks.begin(), ranks.begin() + count, rank) - ranks.begin())];
  };
  std::array<double, P> q{};
  for (std::size_t i = 0; i < P; ++i) {
    // As quantile_type7: on an order statistic exactly, return it with no arithmetic.
    q[i] = (fraction[i] == 0.0 || lo_index[i] + 1 >= n)
               ? at(lo_index[i])
               : type7_between(at(lo_index[i]), at(lo_index[i] + 1), fraction[i]);
  }
  return q;
}

}  // namespace tamnhin::stats::detail
