#include "engine/stats/target_odds.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "engine/core/check.hpp"
#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats {

TargetOdds target_odds(const Cube& cube, std::size_t variable, std::size_t year_index,
                       Comparator comparator, double threshold, int base_year,
                       std::vector<double>& scratch) {
  TAMNHIN_CHECK_LT(variable, cube.variables);
  TAMNHIN_CHECK_LT(year_index, cube.years);
  TAMNHIN_CHECK(cube.draws > 0);
  const std::size_t n = cube.draws;
  TargetOdds odds;

  const std::span<const double> in_year = cube.column(variable, year_index);
  std::size_t hits = 0;
  for (double v : in_year) hits += holds(comparator, v, threshold) ? 1 : 0;
  const double p = static_cast<double>(hits) / static_cast<double>(n);
  odds.probability = p;
  odds.probability_se = std::sqrt(p * (1 - p) / static_cast<double>(n));

  const auto q = detail::type7_quantiles(in_year, std::array<double, 3>{0.05, 0.50, 0.95}, scratch);
  odds.p05 = q[0];
  odds.p50 = q[1];
  odds.p95 = q[2];

  // First year index per draw, +inf when never reached. Years outer, draws inner: each
  // column is contiguous, so this walks memory in order.
  constexpr double never = std::numeric_limits<double>::infinity();
  scratch.assign(n, never);
  for (std::size_t year = 0; year < cube.years; ++year) {
    const std::span<const double> column = cube.column(variable, year);
    for (std::size_t d = 0; d < n; ++d) {
      if (scratch[d] == never && holds(comparator, column[d], threshold)) {
        scratch[d] = static_cast<double>(year);
      }
    }
  }
  // The smallest year by which at least half the draws have reached the target: the
  // ceil(n/2)-th smallest first year. It is +inf exactly when fewer than half ever do.
  const std::size_t k = (n + 1) / 2 - 1;
  std::nth_element(scratch.begin(), scratch.begin() + static_cast<std::ptrdiff_t>(k),
                   scratch.end());
  if (scratch[k] != never) odds.first_year_p50 = base_year + static_cast<int>(scratch[k]);
  return odds;
}

}  // namespace tamnhin::stats
