#include "engine/stats/target_odds.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "engine/core/check.hpp"
#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats {

namespace {

// Calls fn with a predicate equal to holds(comparator, v, threshold), chosen once, so the
// loops over draws carry no switch and vectorise.
template <typename Fn>
void with_predicate(Comparator comparator, double threshold, Fn&& fn) {
  switch (comparator) {
    case Comparator::below:
      return fn([threshold](double v) { return v < threshold; });
    case Comparator::at_most:
      return fn([threshold](double v) { return v <= threshold; });
    case Comparator::above:
      return fn([threshold](double v) { return v > threshold; });
    case Comparator::at_least:
      return fn([threshold](double v) { return v >= threshold; });
  }
  fn([comparator, threshold](double v) { return holds(comparator, v, threshold); });
}

}  // namespace

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
  with_predicate(comparator, threshold, [&](auto meets) {
    for (double v : in_year) hits += meets(v) ? 1 : 0;
  });
  const double p = static_cast<double>(hits) / static_cast<double>(n);
  odds.probability = p;
  odds.probability_se = std::sqrt(p * (1 - p) / static_cast<double>(n));

  const auto q = detail::type7_quantiles(in_year, std::array<double, 3>{0.05, 0.50, 0.95}, scratch);
  odds.p05 = q[0];
  odds.p50 = q[1];
  odds.p95 = q[2];

  // How many draws first reach the target in each year. Years outer, draws inner: each
  // column is contiguous, so this walks memory in order; scratch[d] is 1 once draw d has.
  std::vector<std::size_t> first_reached(cube.years, 0);
  scratch.assign(n, 0.0);
  with_predicate(comparator, threshold, [&](auto meets) {
    for (std::size_t year = 0; year < cube.years; ++year) {
      const std::span<const double> column = cube.column(variable, year);
      std::size_t count = 0;
      for (std::size_t d = 0; d < n; ++d) {
        const bool now = (scratch[d] == 0.0) & meets(column[d]);
        count += now ? 1 : 0;
        scratch[d] = now ? 1.0 : scratch[d];
      }
      first_reached[year] = count;
    }
  });
  // The smallest year by which at least half the draws have reached the target: the
  // ceil(n/2)-th smallest first year (a draw that never does counting as +inf), read off
  // the running count. Empty exactly when fewer than half ever do.
  const std::size_t k = (n + 1) / 2;
  std::size_t by_year = 0;
  for (std::size_t year = 0; year < cube.years; ++year) {
    by_year += first_reached[year];
    if (by_year >= k) {
      odds.first_year_p50 = base_year + static_cast<int>(year);
      break;
    }
  }
  return odds;
}

}  // namespace tamnhin::stats
