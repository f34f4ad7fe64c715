// Internal to engine/stats: mean, sd, range and the checks the order statistics need, of
// one column in two vectorised passes (docs/performance.md, "summaries in fewer passes").
//
//   pass 1: a compensated sum (TwoSum) in four interleaved lanes (draw d goes to lane
//           d mod 4), min, max and a NaN-sticky sum of v - v (0 for every finite v, NaN
//           otherwise); only a column whose range holds 0 is scanned again for signed zeros;
//   pass 2: around that mean m, r = sum (v - m) and q = sum (v - m)^2, again in four lanes;
//           then mean = m + r / n (R's refining pass) and the sum of squares about it is
//           q - r^2 / n exactly in real arithmetic.
// Every step is in a fixed order that depends only on the column, so the bits do not
// depend on threads or batches; a constant column has exactly its value as mean and 0 as
// sd (r = q = 0).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

namespace tamnhin::stats::detail {

struct ColumnMoments {
  double mean = 0, sd = 0;
  double m2 = 0;                 // the sum of squared deviations sd is computed from
  double lo = 0, hi = 0;         // min and max
  bool needs_full_sort = false;  // a NaN or infinity, or both signed zeros
};

// Two lanes of doubles (GCC's and Clang's vector extension): the compiler did not vectorise
// the interleaved sums, min and max written over arrays, so lanes 0-1 and 2-3 are pairs. The
// operations per lane are the same as over scalars, so are the bits.
using Lanes2 = double __attribute__((vector_size(16)));

inline Lanes2 load_lanes2(const double* p) {
  Lanes2 v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// A compensated step: sum + v, its rounding error (Knuth's TwoSum, exact and branch-free)
// added to compensation. For doubles and for Lanes2.
template <typename T>
inline void neumaier_add(T& sum, T& compensation, T v) {
  const T t = sum + v;
  const T v_part = t - sum;
  compensation += (sum - (t - v_part)) + (v - v_part);
  sum = t;
}

// values must be non-empty.
inline ColumnMoments column_moments(std::span<const double> values) {
  constexpr std::size_t L = 4;
  const std::size_t n = values.size();
  const double* __restrict x = values.data();
  std::array<double, L> sum{}, comp{}, not_finite{};
  std::array<double, L> lo, hi;
  lo.fill(x[0]);
  hi.fill(x[0]);
  const std::size_t full = n - n % L;
  {
    Lanes2 s01{}, s23{}, c01{}, c23{}, nf01{}, nf23{};
    Lanes2 lo01 = {x[0], x[0]}, lo23 = lo01, hi01 = lo01, hi23 = lo01;
    for (std::size_t d = 0; d < full; d += L) {
      const Lanes2 v01 = load_lanes2(x + d), v23 = load_lanes2(x + d + 2);
      neumaier_add(s01, c01, v01);
      neumaier_add(s23, c23, v23);
      lo01 = v01 < lo01 ? v01 : lo01;
      lo23 = v23 < lo23 ? v23 : lo23;
      hi01 = v01 > hi01 ? v01 : hi01;
      hi23 = v23 > hi23 ? v23 : hi23;
      nf01 += v01 - v01;  // NaN from the first inf or NaN on
      nf23 += v23 - v23;
    }
    sum = {s01[0], s01[1], s23[0], s23[1]};
    comp = {c01[0], c01[1], c23[0], c23[1]};
    lo = {lo01[0], lo01[1], lo23[0], lo23[1]};
    hi = {hi01[0], hi01[1], hi23[0], hi23[1]};
    not_finite = {nf01[0], nf01[1], nf23[0], nf23[1]};
  }
  for (std::size_t d = full; d < n; ++d) {
    const double v = x[d];
    neumaier_add(sum[0], comp[0], v);
    lo[0] = v < lo[0] ? v : lo[0];
    hi[0] = v > hi[0] ? v : hi[0];
    not_finite[0] += v - v;
  }
  ColumnMoments out;
  double total = 0, total_comp = 0, bad = 0;
  out.lo = lo[0];
  out.hi = hi[0];
  for (std::size_t j = 0; j < L; ++j) {
    neumaier_add(total, total_comp, sum[j]);
    total_comp += comp[j];
    out.lo = lo[j] < out.lo ? lo[j] : out.lo;
    out.hi = hi[j] > out.hi ? hi[j] : out.hi;
    bad += not_finite[j];
  }
  const auto count = static_cast<double>(n);
  const double m = (total + total_comp) / count;

  bool both_zeros = false;
  if (out.lo <= 0.0 && out.hi >= 0.0) {  // zeros possible: are -0.0 and +0.0 both there?
    bool negative = false, positive = false;
    for (std::size_t d = 0; d < n; ++d) {
      if (x[d] != 0.0) continue;
      (std::signbit(x[d]) ? negative : positive) = true;
    }
    both_zeros = negative && positive;
  }
  out.needs_full_sort = bad != 0.0 || both_zeros;  // bad is NaN (!= 0) after an inf or NaN
  if (out.needs_full_sort) {
    out.mean = m;  // not finite anyway: the run stops on non-finite values before this
    out.sd = std::fabs(m - m);
    return out;
  }

  std::array<double, L> r{}, q{};
  {
    Lanes2 r01{}, r23{}, q01{}, q23{};
    const Lanes2 mm = {m, m};
    for (std::size_t d = 0; d < full; d += L) {
      const Lanes2 dev01 = load_lanes2(x + d) - mm, dev23 = load_lanes2(x + d + 2) - mm;
      r01 += dev01;
      r23 += dev23;
      q01 += dev01 * dev01;
      q23 += dev23 * dev23;
    }
    r = {r01[0], r01[1], r23[0], r23[1]};
    q = {q01[0], q01[1], q23[0], q23[1]};
  }
  for (std::size_t d = full; d < n; ++d) {
    const double dev = x[d] - m;
    r[0] += dev;
    q[0] += dev * dev;
  }
  double rs = 0, qs = 0;
  for (std::size_t j = 0; j < L; ++j) {
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

}  // namespace tamnhin::stats::detail
