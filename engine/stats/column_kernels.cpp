#include "engine/stats/column_kernels.hpp"

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

#include "engine/core/portable_math_lanes.hpp"
#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"

namespace tamnhin::stats::detail {

namespace {

// Four lanes of doubles (GCC's and Clang's vector extension): lane j takes draws d with
// d mod 4 = j. The baseline build splits each operation into two SSE2 halves, the AVX2
// build does it in one; per lane the operations are the same, so are the bits.
using Lanes4 = double __attribute__((vector_size(32)));

// Sixteen bucket indices: the wanted-bucket test of gather_wanted, 16 draws at a time.
using Index16 = std::uint16_t __attribute__((vector_size(32)));

template <typename T>
[[gnu::always_inline]] inline void compensated_add(T& sum, T& compensation, const T& v) {
  const T t = sum + v;
  const T v_part = t - sum;
  compensation += (sum - (t - v_part)) + (v - v_part);
  sum = t;
}

// One step of column_moments' first pass on four draws, one per lane.
[[gnu::always_inline]] inline void first_pass_step(Lanes4& s, Lanes4& c, Lanes4& l, Lanes4& h,
                                                   Lanes4& nf, const Lanes4& v) {
  compensated_add(s, c, v);
  l = v < l ? v : l;
  h = v > h ? v : h;
  nf += v - v;  // NaN from the first inf or NaN on
}

// The same on one draw of the tail (those after the last whole group of four), in lane 0.
[[gnu::always_inline]] inline void first_pass_tail(FirstPass& f, double v) {
  compensated_add(f.sum[0], f.comp[0], v);
  f.lo[0] = v < f.lo[0] ? v : f.lo[0];
  f.hi[0] = v > f.hi[0] ? v : f.hi[0];
  f.not_finite[0] += v - v;
}

// Copied out whole: indexing a lane kept the vectors in memory inside the loops.
[[gnu::always_inline]] inline void store_lanes(FirstPass& f, const Lanes4& s, const Lanes4& c,
                                               const Lanes4& l, const Lanes4& h, const Lanes4& nf) {
  std::memcpy(f.sum.data(), &s, sizeof s);
  std::memcpy(f.comp.data(), &c, sizeof c);
  std::memcpy(f.lo.data(), &l, sizeof l);
  std::memcpy(f.hi.data(), &h, sizeof h);
  std::memcpy(f.not_finite.data(), &nf, sizeof nf);
}

[[gnu::always_inline]] inline FirstPass first_pass(std::span<const double> values) {
  constexpr std::size_t kLanes = 4;
  const std::size_t n = values.size();
  const double* __restrict x = values.data();
  const std::size_t full = n - n % kLanes;
  FirstPass f;
  Lanes4 s{}, c{}, nf{};
  Lanes4 l = Lanes4{} + x[0], h = l;
  for (std::size_t d = 0; d < full; d += kLanes) {
    Lanes4 v;
    std::memcpy(&v, x + d, sizeof v);
    first_pass_step(s, c, l, h, nf, v);
  }
  store_lanes(f, s, c, l, h, nf);
  for (std::size_t d = full; d < n; ++d) first_pass_tail(f, x[d]);
  return f;
}

// The body of column_moments, inlined into each build (detail_moments.hpp says what it
// computes and why in this order).
[[gnu::always_inline]] inline ColumnMoments moments_body(std::span<const double> values,
                                                         BucketTally* tally,
                                                         const FirstPass* given) {
  constexpr std::size_t kLanes = 4;
  const std::size_t n = values.size();
  const double* __restrict x = values.data();
  const std::size_t full = n - n % kLanes;
  const FirstPass first = given != nullptr ? *given : first_pass(values);
  ColumnMoments out;
  double total = 0, total_comp = 0, bad = 0;
  out.lo = first.lo[0];
  out.hi = first.hi[0];
  for (std::size_t j = 0; j < kLanes; ++j) {
    compensated_add(total, total_comp, first.sum[j]);
    total_comp += first.comp[j];
    out.lo = first.lo[j] < out.lo ? first.lo[j] : out.lo;
    out.hi = first.hi[j] > out.hi ? first.hi[j] : out.hi;
    bad += first.not_finite[j];
  }
  const auto count = static_cast<double>(n);
  const double m = (total + total_comp) / count;

  // Pass 2, around m. Where the range holds 0 it also looks for both signed zeros (the
  // order statistics must then sort: -0.0 and +0.0 compare equal), branch-free so that it
  // vectorises: the sign bits of the zeros, OR-ed into one word for -0.0 and one for +0.0.
  // (Every paired difference column holds 0.)
  //
  // With a tally, where selection will bucket this column (finite, long enough, not
  // constant: bucket_scale), the same pass also computes each draw's bucket exactly as
  // bucket_indices does: the loop's sums wait on each other (one addition per four draws),
  // so that work mostly fills the wait. count_buckets counts them afterwards (counting
  // inside this loop, from the vector's lanes, took half as long again).
  if (tally != nullptr) tally->buckets = 0;
  const double scale = tally != nullptr && bad == 0.0 ? bucket_scale(n, out.lo, out.hi) : 0.0;
  const std::size_t buckets = scale != 0.0 ? bucket_count(n) : 0;
  const auto top = static_cast<std::int32_t>(buckets) - 1;
  if (buckets != 0) tally->index.resize(n);
  std::array<double, kLanes> r{}, q{};
  using Bits4 = std::uint64_t __attribute__((vector_size(32)));
  using Index4 = std::int32_t __attribute__((vector_size(16)));
  using Short4 = std::uint16_t __attribute__((vector_size(8)));
  Bits4 negative{}, positive{};
  const auto pass2 = [&]<bool kZeros, bool kTally>() {
    Lanes4 rv{}, qv{};
    const Lanes4 mm = Lanes4{} + m;
    [[maybe_unused]] const Lanes4 lo4 = Lanes4{} + out.lo, scale4 = Lanes4{} + scale;
    [[maybe_unused]] const Index4 top4 = Index4{} + top;
    [[maybe_unused]] std::uint16_t* __restrict index = kTally ? tally->index.data() : nullptr;
    for (std::size_t d = 0; d < full; d += kLanes) {
      Lanes4 v;
      std::memcpy(&v, x + d, sizeof v);
      const Lanes4 dev = v - mm;
      rv += dev;
      qv += dev * dev;
      if constexpr (kZeros) {
        const auto zero = reinterpret_cast<Bits4>(v == 0.0);  // all ones where v is ±0
        const auto b = reinterpret_cast<Bits4>(v);
        negative |= zero & b;
        positive |= zero & ~b;
      }
      if constexpr (kTally) {
        const Index4 raw = __builtin_convertvector((v - lo4) * scale4, Index4);  // [0, buckets]
        const Index4 bucket = raw < top4 ? raw : top4;
        const Short4 narrow = __builtin_convertvector(bucket, Short4);
        std::memcpy(index + d, &narrow, sizeof narrow);
      }
    }
    std::memcpy(r.data(), &rv, sizeof rv);
    std::memcpy(q.data(), &qv, sizeof qv);
  };
  const bool zeros_possible = out.lo <= 0.0 && out.hi >= 0.0;
  if (zeros_possible) {
    buckets != 0 ? pass2.template operator()<true, true>()
                 : pass2.template operator()<true, false>();
  } else {
    buckets != 0 ? pass2.template operator()<false, true>()
                 : pass2.template operator()<false, false>();
  }
  std::uint64_t any_negative = 0, any_positive = 0;
  for (std::size_t j = 0; j < kLanes; ++j) {
    any_negative |= negative[j];
    any_positive |= positive[j];
  }
  for (std::size_t d = full; d < n; ++d) {
    const double dev = x[d] - m;
    r[0] += dev;
    q[0] += dev * dev;
    if (x[d] == 0.0) (std::signbit(x[d]) ? any_negative : any_positive) |= std::uint64_t{1} << 63;
    if (buckets != 0) {
      const auto raw = static_cast<std::int32_t>((x[d] - out.lo) * scale);
      const std::int32_t bucket = raw < top ? raw : top;
      tally->index[d] = static_cast<std::uint16_t>(bucket);
    }
  }
  const bool both_zeros = zeros_possible && (any_negative >> 63) != 0 && (any_positive >> 63) != 0;
  out.needs_full_sort = bad != 0.0 || both_zeros;  // bad is NaN (!= 0) after an inf or NaN
  if (buckets != 0 && !out.needs_full_sort) {      // (a column that must be sorted: no tally)
    count_buckets(tally->index.data(), n, buckets, tally->count.data());
    tally->buckets = buckets;
  }
  if (out.needs_full_sort) {
    out.mean = m;  // not finite anyway: the run stops on non-finite values before this
    out.sd = std::fabs(m - m);
    return out;
  }
  double rs = 0, qs = 0;
  for (std::size_t j = 0; j < kLanes; ++j) {
    rs += r[j];
    qs += q[j];
  }
  out.mean = m + rs / count;
  if (n > 1) {
    const double squares = qs - rs * rs / count;
    out.m2 = squares > 0 ? squares : 0.0;
    out.sd = std::sqrt(out.m2 / (count - 1));
  }
  return out;
}

[[gnu::always_inline]] inline void bucket_body(std::span<const double> values, double lo,
                                               double scale, std::uint16_t buckets,
                                               std::uint16_t* __restrict index) {
  const double* __restrict x = values.data();
  const std::int32_t top = buckets - 1;
  for (std::size_t d = 0; d < values.size(); ++d) {
    const auto b = static_cast<std::int32_t>((x[d] - lo) * scale);  // in [0, buckets]
    index[d] = static_cast<std::uint16_t>(b < top ? b : top);
  }
}

// Appends draw d to its bucket's run in `out` when its bucket is wanted (gather_wanted).
[[gnu::always_inline]] inline void gather_one(std::span<const double> values,
                                              const std::uint16_t* index, const std::uint16_t* slot,
                                              std::size_t* cursor, double* out, std::size_t d) {
  const std::size_t s = slot[index[d]];
  if (s != 0) out[cursor[s - 1]++] = values[d];
}

// gather_body's scan for W wanted buckets, W known to the compiler: the buckets are
// broadcast once, not once per block, and the test of a block is W comparisons OR-ed.
template <std::size_t W>
[[gnu::always_inline]] inline std::size_t gather_blocks(std::span<const double> values,
                                                        const std::uint16_t* index,
                                                        std::span<const std::uint16_t> wanted,
                                                        const std::uint16_t* slot,
                                                        std::size_t* cursor, double* out) {
  constexpr std::size_t kBlock = 16;
  const std::size_t n = values.size();
  std::array<Index16, W> bucket;
  for (std::size_t w = 0; w < W; ++w)  // short lists repeat their first bucket
    bucket[w] = Index16{} + wanted[w < wanted.size() ? w : 0];
  std::size_t d = 0;
  // Most blocks of 16 draws hold no wanted bucket (a few hundred of 10,000 draws are
  // wanted): test the block at once and look at its draws only when one is.
  for (; d + kBlock <= n; d += kBlock) {
    Index16 block;
    std::memcpy(&block, index + d, sizeof block);
    Index16 hit = static_cast<Index16>(block == bucket[0]);
    for (std::size_t w = 1; w < W; ++w) hit |= static_cast<Index16>(block == bucket[w]);
    std::array<std::uint64_t, 4> words;
    std::memcpy(words.data(), &hit, sizeof hit);
    if ((words[0] | words[1] | words[2] | words[3]) == 0) continue;
    for (std::size_t i = 0; i < kBlock; ++i) gather_one(values, index, slot, cursor, out, d + i);
  }
  return d;
}

[[gnu::always_inline]] inline void gather_body(std::span<const double> values,
                                               const std::uint16_t* index,
                                               std::span<const std::uint16_t> wanted,
                                               const std::uint16_t* slot, std::size_t* cursor,
                                               double* out) {
  // Summaries want at most 10 buckets (5 quantiles, 2 ranks each), usually 5; paired
  // differences 3: four, eight or sixteen comparisons per block.
  if (wanted.empty()) return;
  std::size_t d = 0;
  if (wanted.size() <= 4) {
    d = gather_blocks<4>(values, index, wanted, slot, cursor, out);
  } else if (wanted.size() <= 8) {
    d = gather_blocks<8>(values, index, wanted, slot, cursor, out);
  } else {
    d = gather_blocks<16>(values, index, wanted, slot, cursor, out);
  }
  for (; d < values.size(); ++d) gather_one(values, index, slot, cursor, out, d);
}

[[gnu::always_inline]] inline ColumnDifference difference_body(std::span<const double> a,
                                                               std::span<const double> b,
                                                               double* __restrict diff) {
  // Four draws at a time; the same subtraction per draw, so the same bits as a scalar loop.
  using Mask4 = long long __attribute__((vector_size(32)));
  constexpr std::size_t kLanes = 4;
  const std::size_t n = a.size();
  const double* __restrict x = a.data();
  const double* __restrict y = b.data();
  Mask4 up{}, bits{}, changed{};
  // column_moments' first pass over the differences, in the same order (first_pass): this
  // loop waits on memory for both columns, so the sums come almost free, and the moments
  // of the differences then need one pass over them, not two.
  // And the same first pass over a, for its own summary (summarise_given).
  Lanes4 s{}, c{}, nf{};
  Lanes4 l = Lanes4{} + (x[0] - y[0]), h = l;
  Lanes4 sa{}, ca{}, nfa{};
  Lanes4 la = Lanes4{} + x[0], ha = la;
  std::size_t d = 0;
  for (; d + kLanes <= n; d += kLanes) {
    Lanes4 va, vb;
    std::memcpy(&va, x + d, sizeof va);
    std::memcpy(&vb, y + d, sizeof vb);
    const Lanes4 v = va - vb;
    std::memcpy(diff + d, &v, sizeof v);
    up -= va > vb;  // -1 where a > b
    bits |= reinterpret_cast<Mask4>(v);
    changed |= reinterpret_cast<Mask4>(va) ^ reinterpret_cast<Mask4>(vb);
    first_pass_step(s, c, l, h, nf, v);
    first_pass_step(sa, ca, la, ha, nfa, va);
  }
  std::array<long long, kLanes> ups, ors, changes;
  std::memcpy(ups.data(), &up, sizeof up);
  std::memcpy(ors.data(), &bits, sizeof bits);
  std::memcpy(changes.data(), &changed, sizeof changed);
  ColumnDifference out;
  store_lanes(out.first, s, c, l, h, nf);
  store_lanes(out.first_a, sa, ca, la, ha, nfa);
  for (std::size_t j = 0; j < kLanes; ++j) {
    out.higher += static_cast<std::uint64_t>(ups[j]);
    out.difference_bits |= static_cast<std::uint64_t>(ors[j]);
    out.changed_bits |= static_cast<std::uint64_t>(changes[j]);
  }
  for (; d < n; ++d) {
    const double v = x[d] - y[d];
    diff[d] = v;
    out.higher += x[d] > y[d] ? 1u : 0u;
    out.difference_bits |= std::bit_cast<std::uint64_t>(v);
    out.changed_bits |= std::bit_cast<std::uint64_t>(x[d]) ^ std::bit_cast<std::uint64_t>(y[d]);
    first_pass_tail(out.first, v);
    first_pass_tail(out.first_a, x[d]);
  }
  return out;
}

// holds(C, v, threshold) with the comparator fixed at compile time, so that the loops over
// draws carry no switch and vectorise.
template <Comparator C>
[[gnu::always_inline]] inline bool meets(double v, double threshold) {
  if constexpr (C == Comparator::below) return v < threshold;
  if constexpr (C == Comparator::at_most) return v <= threshold;
  if constexpr (C == Comparator::above) return v > threshold;
  return v >= threshold;  // at_least
}

template <Comparator C>
[[gnu::always_inline]] inline std::size_t meeting_body(std::span<const double> values,
                                                       double threshold) {
  std::size_t hits = 0;
  for (const double v : values) hits += meets<C>(v, threshold) ? 1 : 0;
  return hits;
}

// All double arithmetic (the first year per draw, +inf until reached), so that it vectorises.
template <Comparator C>
[[gnu::always_inline]] inline std::size_t first_year_body(std::span<const double> values,
                                                          double threshold, double year,
                                                          double* first_year) {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  const double* __restrict column = values.data();
  double* __restrict first = first_year;
  std::size_t now = 0;
  for (std::size_t d = 0; d < values.size(); ++d) {
    const bool fresh = (first[d] == kNever) & meets<C>(column[d], threshold);
    now += fresh ? 1 : 0;
    first[d] = fresh ? year : first[d];
  }
  return now;
}

// The comparator's instance of `body` (a generic lambda taking the comparator as a
// std::integral_constant). In an AVX2 build the lambda must be always_inline: a lambda does
// not take the target of the function it is written in, so its loop is compiled for AVX2
// only once inlined there.
template <typename Body>
[[gnu::always_inline]] inline std::size_t by_comparator(Comparator c, Body&& body) {
  switch (c) {
    case Comparator::below:
      return body(std::integral_constant<Comparator, Comparator::below>{});
    case Comparator::at_most:
      return body(std::integral_constant<Comparator, Comparator::at_most>{});
    case Comparator::above:
      return body(std::integral_constant<Comparator, Comparator::above>{});
    case Comparator::at_least:
      return body(std::integral_constant<Comparator, Comparator::at_least>{});
  }
  return 0;
}

}  // namespace

ColumnMoments column_moments_generic(std::span<const double> values, BucketTally* tally,
                                     const FirstPass* first) {
  return moments_body(values, tally, first);
}

[[gnu::target("avx2")]] ColumnMoments column_moments_avx2(std::span<const double> values,
                                                          BucketTally* tally,
                                                          const FirstPass* first) {
  return moments_body(values, tally, first);
}

void bucket_indices_generic(std::span<const double> values, double lo, double scale,
                            std::uint16_t buckets, std::uint16_t* index) {
  bucket_body(values, lo, scale, buckets, index);
}

[[gnu::target("avx2")]] void bucket_indices_avx2(std::span<const double> values, double lo,
                                                 double scale, std::uint16_t buckets,
                                                 std::uint16_t* index) {
  bucket_body(values, lo, scale, buckets, index);
}

void gather_wanted_generic(std::span<const double> values, const std::uint16_t* index,
                           std::span<const std::uint16_t> wanted, const std::uint16_t* slot,
                           std::size_t* cursor, double* out) {
  gather_body(values, index, wanted, slot, cursor, out);
}

[[gnu::target("avx2")]] void gather_wanted_avx2(std::span<const double> values,
                                                const std::uint16_t* index,
                                                std::span<const std::uint16_t> wanted,
                                                const std::uint16_t* slot, std::size_t* cursor,
                                                double* out) {
  gather_body(values, index, wanted, slot, cursor, out);
}

ColumnDifference column_difference_generic(std::span<const double> a, std::span<const double> b,
                                           double* diff) {
  return difference_body(a, b, diff);
}

[[gnu::target("avx2")]] ColumnDifference column_difference_avx2(std::span<const double> a,
                                                                std::span<const double> b,
                                                                double* diff) {
  return difference_body(a, b, diff);
}

std::size_t count_meeting_generic(std::span<const double> values, Comparator comparator,
                                  double threshold) {
  return by_comparator(comparator,
                       [&](auto c) { return meeting_body<decltype(c)::value>(values, threshold); });
}

[[gnu::target("avx2")]] std::size_t count_meeting_avx2(std::span<const double> values,
                                                       Comparator comparator, double threshold) {
  return by_comparator(
      comparator, [&](auto c) __attribute__((always_inline)) {
        return meeting_body<decltype(c)::value>(values, threshold);
      });
}

std::size_t mark_first_year_generic(std::span<const double> values, Comparator comparator,
                                    double threshold, double year, double* first_year) {
  return by_comparator(comparator, [&](auto c) {
    return first_year_body<decltype(c)::value>(values, threshold, year, first_year);
  });
}

[[gnu::target("avx2")]] std::size_t mark_first_year_avx2(std::span<const double> values,
                                                         Comparator comparator, double threshold,
                                                         double year, double* first_year) {
  return by_comparator(
      comparator, [&](auto c) __attribute__((always_inline)) {
        return first_year_body<decltype(c)::value>(values, threshold, year, first_year);
      });
}

bool columns_have_avx2() {
  return pmath::has_avx2();
}

ColumnMoments column_moments(std::span<const double> values, BucketTally* tally,
                             const FirstPass* first) {
  return columns_have_avx2() ? column_moments_avx2(values, tally, first)
                             : column_moments_generic(values, tally, first);
}

void bucket_indices(std::span<const double> values, double lo, double scale, std::uint16_t buckets,
                    std::uint16_t* index) {
  columns_have_avx2() ? bucket_indices_avx2(values, lo, scale, buckets, index)
                      : bucket_indices_generic(values, lo, scale, buckets, index);
}

void gather_wanted(std::span<const double> values, const std::uint16_t* index,
                   std::span<const std::uint16_t> wanted, const std::uint16_t* slot,
                   std::size_t* cursor, double* out) {
  columns_have_avx2() ? gather_wanted_avx2(values, index, wanted, slot, cursor, out)
                      : gather_wanted_generic(values, index, wanted, slot, cursor, out);
}

void count_buckets(const std::uint16_t* index, std::size_t n, std::size_t buckets,
                   std::uint32_t* count) {
  // Four interleaved tallies (draw d in tally d mod 4), so that a run of draws in one
  // bucket (a clamped variable's bound, differences of 0) does not make each increment
  // wait on the one before: a column with half its draws in one bucket counts in 12 us
  // instead of 15 (20,000 draws), one with all of them in 16 instead of 27; 9 us either
  // way for a normal column. Scalar code, the same on every CPU.
  thread_local std::array<std::uint32_t, 3 * kBuckets> more;
  std::uint32_t* __restrict c0 = count;
  std::uint32_t* __restrict c1 = more.data();
  std::uint32_t* __restrict c2 = c1 + kBuckets;
  std::uint32_t* __restrict c3 = c2 + kBuckets;
  for (std::uint32_t* c : {c0, c1, c2, c3}) std::fill_n(c, buckets, 0u);
  const std::uint16_t* __restrict at = index;
  std::size_t d = 0;
  for (; d + 4 <= n; d += 4) {
    ++c0[at[d]];
    ++c1[at[d + 1]];
    ++c2[at[d + 2]];
    ++c3[at[d + 3]];
  }
  for (; d < n; ++d) ++c0[at[d]];
  for (std::size_t b = 0; b < buckets; ++b) count[b] += c1[b] + c2[b] + c3[b];
}

ColumnDifference column_difference(std::span<const double> a, std::span<const double> b,
                                   double* diff) {
  return columns_have_avx2() ? column_difference_avx2(a, b, diff)
                             : column_difference_generic(a, b, diff);
}

std::size_t count_meeting(std::span<const double> values, Comparator comparator, double threshold) {
  return columns_have_avx2() ? count_meeting_avx2(values, comparator, threshold)
                             : count_meeting_generic(values, comparator, threshold);
}

std::size_t mark_first_year(std::span<const double> values, Comparator comparator, double threshold,
                            double year, double* first_year) {
  return columns_have_avx2()
             ? mark_first_year_avx2(values, comparator, threshold, year, first_year)
             : mark_first_year_generic(values, comparator, threshold, year, first_year);
}

}  // namespace tamnhin::stats::detail
