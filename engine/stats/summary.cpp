#include "engine/stats/summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/core/check.hpp"
#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"

namespace tamnhin::stats {

double quantile_type7(std::span<const double> sorted, double p) {
  TAMNHIN_CHECK(!sorted.empty());
  TAMNHIN_CHECK(p >= 0.0 && p <= 1.0);
  const double h = static_cast<double>(sorted.size() - 1) * p;
  const double lo_floor = std::floor(h);
  const auto lo = static_cast<std::size_t>(lo_floor);
  const double fraction = h - lo_floor;
  // On an order statistic exactly, return it as is: no arithmetic means no rounding, and
  // no 0 * (inf - inf) when the neighbours are infinite.
  if (fraction == 0.0 || lo + 1 >= sorted.size()) return sorted[lo];
  return detail::type7_between(sorted[lo], sorted[lo + 1], fraction);
}

namespace {
Summary summarise_from(std::span<const double> values, std::vector<double>& scratch,
                       const detail::FirstPass* first) {
  TAMNHIN_CHECK(!values.empty());
  // Mean and sd: a compensated sum in a fixed order, then R's refining pass fused with the
  // sum of squares (detail_moments.hpp): two vectorised passes, the same bits whatever
  // computed the draws; a constant column has exactly its value as mean and 0 as sd. The
  // first pass also finds the range the order statistics need.
  // The second pass also tallies the draws by bucket for the selection below.
  thread_local detail::BucketTally tally;
  const detail::ColumnMoments m = detail::column_moments(values, &tally, first);
  const detail::ColumnRange range{m.lo, m.hi, m.needs_full_sort};
  // Selection of the few order statistics the quantiles read, not a full sort: the same
  // numbers as quantile_type7 on the sorted column (detail_order_statistics.hpp).
  const auto q =
      detail::type7_quantiles(values, detail::kSummaryProbabilities, scratch, &range, &tally);
  return Summary{m.mean, m.sd, q[0], q[1], q[2], q[3], q[4]};
}
}  // namespace

Summary summarise(std::span<const double> values, std::vector<double>& scratch) {
  return summarise_from(values, scratch, nullptr);
}

namespace detail {
Summary summarise_given(std::span<const double> values, std::vector<double>& scratch,
                        const FirstPass& first) {
  return summarise_from(values, scratch, &first);
}
}  // namespace detail

}  // namespace tamnhin::stats
