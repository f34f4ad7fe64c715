// Internal to engine/stats: mean, sd, range and the checks the order statistics need, of
// one column in two vectorised passes (docs/performance.md, "summaries in fewer passes");
// the passes themselves are in column_kernels.cpp.
//
//   pass 1: a compensated sum (TwoSum) in four interleaved lanes (draw d goes to lane
//           d mod 4), min, max and a NaN-sticky sum of v - v (0 for every finite v, NaN
//           otherwise); only a column whose range holds 0 is scanned again for signed zeros;
//   pass 2: around that mean m, r = sum (v - m) and q = sum (v - m)^2, again in four lanes;
//           then mean = m + r / n (R's refining pass) and the sum of squares about it is
//           q - r^2 / n exactly in real arithmetic. Asked to (summarise, paired_summary),
//           it also tallies the draws by bucket for the order statistics
//           (detail_order_statistics.hpp, BucketTally): one pass over the column fewer.
// Every step is in a fixed order that depends only on the column, so the bits do not
// depend on threads or batches; a constant column has exactly its value as mean and 0 as
// sd (r = q = 0).
#pragma once

#include <span>

#include "engine/stats/column_kernels.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats::detail {

struct ColumnMoments {
  double mean = 0, sd = 0;
  double m2 = 0;                 // the sum of squared deviations sd is computed from
  double lo = 0, hi = 0;         // min and max
  bool needs_full_sort = false;  // a NaN or infinity, or both signed zeros
};

// column_moments(values), for a non-empty column, is declared in column_kernels.hpp.

// summarise(values) when pass 1 has been made already (column_difference makes it over a
// compared column while it reads it): the same numbers.
Summary summarise_given(std::span<const double> values, std::vector<double>& scratch,
                        const FirstPass& first);

}  // namespace tamnhin::stats::detail
