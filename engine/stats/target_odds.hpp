// The odds that a target holds, with its Monte Carlo standard error, the spread of the
// indicator in the target year, and the median first year in which the target holds.
#pragma once

#include <cstdint>
#include <limits>
#include <optional>
#include <span>
#include <vector>

#include "engine/core/comparator.hpp"
#include "engine/core/cube.hpp"

namespace tamnhin::stats {

struct TargetOdds {
  double probability = 0;            // share of draws for which the target holds in its year
  double probability_se = 0;         // sqrt(p (1 - p) / N)
  double p50 = 0, p05 = 0, p95 = 0;  // of the indicator in the target year
  // Median over draws of the first simulated year in which the target holds, a draw that
  // never reaches it counting as +infinity; empty when fewer than half the draws ever do.
  // Precisely: the smallest calendar year Y (base year included) such that at least half
  // the draws have reached the target by Y, i.e. the ceil(N/2)-th smallest first year (the
  // lower median; never an interpolation between two years or between a year and +inf).
  // When exactly half the draws ever reach it, it is the year by which all of those have.
  std::optional<int> first_year_p50;
};

// `variable` indexes the cube; `year_index` is the target year minus the base year.
TargetOdds target_odds(const Cube& cube, std::size_t variable, std::size_t year_index,
                       Comparator comparator, double threshold, int base_year,
                       std::vector<double>& scratch);

// The counting half of target_odds, for a cube that holds only some of the draws (a chunk
// of a long run): returns how many of the cube's draws meet the target in `year_index`, and
// adds to first_reached[y] (size cube.years) those that first meet it in year y, year by
// year until `enough` of them have met it by some year (later years are then not read:
// the median first year is settled once first_year_enough(all draws) have).
std::size_t count_target(const Cube& cube, std::size_t variable, std::size_t year_index,
                         Comparator comparator, double threshold, std::vector<double>& scratch,
                         std::vector<std::uint64_t>& first_reached,
                         std::uint64_t enough = std::numeric_limits<std::uint64_t>::max());

// The draws that must have met a target by a year for it to be the median first year
// (TargetOdds::first_year_p50) of `draws` draws: ceil(draws / 2).
constexpr std::uint64_t first_year_enough(std::size_t draws) {
  return (draws + 1) / 2;
}

// The odds from those counts over all `draws`, and the indicator's quantiles in the target
// year (the p05, p50 and p95 of its column's Summary: the same numbers target_odds finds).
TargetOdds odds_from_counts(std::size_t hits, std::size_t draws,
                            std::span<const std::uint64_t> first_reached, double p05, double p50,
                            double p95, int base_year);

}  // namespace tamnhin::stats
