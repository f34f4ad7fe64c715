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
#include <span>

namespace tamnhin::stats::detail {

struct ColumnMoments {
  double mean = 0, sd = 0;
  double lo = 0, hi = 0;         // min and max
  bool needs_full_sort = false;  // a NaN or infinity, or both signed zeros
};

// A compensated step: sum + v, its rounding error (Knuth's TwoSum, exact and branch-free,
// so the loops vectorise) added to compensation.
inline void neumaier_add(double& sum, double& compensation, double v) {
  const double t = sum + v;
  const double v_part = t - sum;
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
  // Two loops over the column (it is in cache): each vectorises, their fusion did not.
  for (std::size_t d = 0; d < full; d += L)
    for (std::size_t j = 0; j < L; ++j) neumaier_add(sum[j], comp[j], x[d + j]);
  for (std::size_t d = 0; d < full; d += L) {
    for (std::size_t j = 0; j < L; ++j) {
      const double v = x[d + j];
      lo[j] = v < lo[j] ? v : lo[j];
      hi[j] = v > hi[j] ? v : hi[j];
      not_finite[j] += v - v;  // NaN from the first inf or NaN on
    }
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
  for (std::size_t d = 0; d < full; d += L) {
    for (std::size_t j = 0; j < L; ++j) {
      const double dev = x[d + j] - m;
      r[j] += dev;
      q[j] += dev * dev;
    }
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
    out.sd = std::sqrt((squares > 0 ? squares : 0.0) / (count - 1));
  }
  return out;
}

}  // namespace tamnhin::stats::detail
