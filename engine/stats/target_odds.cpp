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

// holds(C, v, threshold) with the comparator fixed at compile time, so that the loops
// over draws carry no switch and vectorise.
template <Comparator C>
bool meets(double v, double threshold) {
  if constexpr (C == Comparator::below) return v < threshold;
  if constexpr (C == Comparator::at_most) return v <= threshold;
  if constexpr (C == Comparator::above) return v > threshold;
  return v >= threshold;  // at_least
}

template <Comparator C>
std::size_t count_meeting(std::span<const double> values, double threshold) {
  std::size_t hits = 0;
  for (double v : values) hits += meets<C>(v, threshold) ? 1 : 0;
  return hits;
}

// first_reached[y] += how many draws first meet the target in year y, year by year until
// `enough` draws have met it (the later years are not read). Years outer, draws inner:
// each column is contiguous, and the loop is all double arithmetic (the first year per
// draw, +inf until reached), so it vectorises.
template <Comparator C>
void count_first_years(const Cube& cube, std::size_t variable, double threshold,
                       std::uint64_t enough, std::vector<double>& first_year,
                       std::vector<std::uint64_t>& first_reached) {
  constexpr double kNever = std::numeric_limits<double>::infinity();
  const std::size_t n = cube.draws;
  first_year.assign(n, kNever);
  std::uint64_t reached = 0;
  for (std::size_t year = 0; year < cube.years && reached < enough; ++year) {
    const double* __restrict column = cube.column(variable, year).data();
    double* __restrict first = first_year.data();
    const auto y = static_cast<double>(year);
    std::uint64_t now = 0;
    for (std::size_t d = 0; d < n; ++d) {
      const bool fresh = (first[d] == kNever) & meets<C>(column[d], threshold);
      now += fresh ? 1 : 0;
      first[d] = fresh ? y : first[d];
    }
    first_reached[year] += now;
    reached += now;
  }
}

}  // namespace

std::size_t count_target(const Cube& cube, std::size_t variable, std::size_t year_index,
                         Comparator comparator, double threshold, std::vector<double>& scratch,
                         std::vector<std::uint64_t>& first_reached, std::uint64_t enough) {
  TAMNHIN_CHECK_LT(variable, cube.variables);
  TAMNHIN_CHECK_LT(year_index, cube.years);
  TAMNHIN_CHECK_EQ(first_reached.size(), cube.years);
  const std::span<const double> in_year = cube.column(variable, year_index);
  std::size_t hits = 0;
  switch (comparator) {
#define TAMNHIN_COUNT(c)                                                             \
  case c:                                                                            \
    hits = count_meeting<c>(in_year, threshold);                                     \
    count_first_years<c>(cube, variable, threshold, enough, scratch, first_reached); \
    break;
    TAMNHIN_COUNT(Comparator::below)
    TAMNHIN_COUNT(Comparator::at_most)
    TAMNHIN_COUNT(Comparator::above)
    TAMNHIN_COUNT(Comparator::at_least)
#undef TAMNHIN_COUNT
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
