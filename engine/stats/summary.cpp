#include "engine/stats/summary.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/core/check.hpp"
#include "engine/stats/detail_order_statistics.hpp"

namespace tamnhin::stats {

namespace {
constexpr std::array<double, 5> kSummaryProbabilities = {0.05, 0.25, 0.50, 0.75, 0.95};
}  // namespace

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

Summary summarise(std::span<const double> values, std::vector<double>& scratch) {
  TAMNHIN_CHECK(!values.empty());
  const auto n = static_cast<double>(values.size());
  // Compensated (Neumaier) sum in draw order, then R's refining second pass: the same bits
  // whatever computed the draws, and a constant column has exactly its value as mean and
  // exactly 0 as sd (a plain sum of 10,000 copies of 0.065 drifts in the 15th digit).
  double sum = 0, compensation = 0;
  for (double v : values) {
    const double t = sum + v;
    compensation += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  Summary s;
  s.mean = (sum + compensation) / n;
  double residual = 0;
  for (double v : values) residual += v - s.mean;
  s.mean += residual / n;
  if (values.size() > 1) {
    // Two passes around the mean: no cancellation of the kind E[x^2] - E[x]^2 suffers.
    double squares = 0;
    for (double v : values) {
      const double d = v - s.mean;
      squares += d * d;
    }
    s.sd = std::sqrt(squares / (n - 1));
  }
  // Selection of the few order statistics the quantiles read, not a full sort: the same
  // numbers as quantile_type7 on the sorted column (detail_order_statistics.hpp).
  const auto q = detail::type7_quantiles(values, kSummaryProbabilities, scratch);
  s.p05 = q[0];
  s.p25 = q[1];
  s.p50 = q[2];
  s.p75 = q[3];
  s.p95 = q[4];
  return s;
}

}  // namespace tamnhin::stats
