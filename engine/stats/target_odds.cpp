#include "engine/stats/target_odds.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

#include "engine/core/check.hpp"
#include "engine/stats/column_kernels.hpp"
#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats {

std::size_t count_target(const Cube& cube, std::size_t variable, std::size_t year_index,
                         Comparator comparator, double threshold, std::vector<double>& scratch,
                         std::vector<std::uint64_t>& first_reached, std::uint64_t enough) {
  TAMNHIN_CHECK_LT(variable, cube.variables);
  TAMNHIN_CHECK_LT(year_index, cube.years);
  TAMNHIN_CHECK_EQ(first_reached.size(), cube.years);
  const std::size_t hits =
      detail::count_meeting(cube.column(variable, year_index), comparator, threshold);
  // first_reached[y] += how many draws first meet the target in year y, year by year until
  // `enough` draws have met it (the later years are not read). Years outer, draws inner:
  // each column is contiguous (column_kernels.hpp, in AVX2 where the CPU has it).
  scratch.assign(cube.draws, std::numeric_limits<double>::infinity());  // first year per draw
  std::uint64_t reached = 0;
  for (std::size_t year = 0; year < cube.years && reached < enough; ++year) {
    const std::size_t now =
        detail::mark_first_year(cube.column(variable, year), comparator, threshold,
                                static_cast<double>(year), scratch.data());
    first_reached[year] += now;
    reached += now;
  }
  return hits;
}

TargetOdds odds_from_counts(std::size_t hits, std::size_t draws,
                            std::span<const std::uint64_t> first_reached, double p05, double p50,
                            double p95, int base_year) {
  TAMNHIN_CHECK(draws > 0);
  TargetOdds odds;
  const double p = static_cast<double>(hits) / static_cast<double>(draws);
  odds.probability = p;
  odds.probability_se = std::sqrt(p * (1 - p) / static_cast<double>(draws));
  odds.p05 = p05;
  odds.p50 = p50;
  odds.p95 = p95;
  // The smallest year by which at least half the draws have reached the target: the
  // ceil(n/2)-th smallest first year (a draw that never does counting as +inf), read off
  // the running count. Empty exactly when fewer than half ever do.
  const std::uint64_t k = first_year_enough(draws);
  std::uint64_t by_year = 0;
  for (std::size_t year = 0; year < first_reached.size(); ++year) {
    by_year += first_reached[year];
    if (by_year >= k) {
      odds.first_year_p50 = base_year + static_cast<int>(year);
      break;
    }
  }
  return odds;
}

TargetOdds target_odds(const Cube& cube, std::size_t variable, std::size_t year_index,
                       Comparator comparator, double threshold, int base_year,
                       std::vector<double>& scratch) {
  TAMNHIN_CHECK(cube.draws > 0);
  std::vector<std::uint64_t> first_reached(cube.years, 0);
  const std::size_t hits = count_target(cube, variable, year_index, comparator, threshold, scratch,
                                        first_reached, first_year_enough(cube.draws));
  const auto q = detail::type7_quantiles(cube.column(variable, year_index),
                                         std::array<double, 3>{0.05, 0.50, 0.95}, scratch);
  return odds_from_counts(hits, cube.draws, first_reached, q[0], q[1], q[2], base_year);
}

}  // namespace tamnhin::stats
