#include "engine/stats/target_odds.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tamnhin::stats {
namespace {

// One variable, `rows[draw][year]`, laid out as the cube wants it.
Cube cube_of(const std::vector<std::vector<double>>& rows) {
  Cube cube(1, rows.front().size(), rows.size());
  for (std::size_t d = 0; d < rows.size(); ++d) {
    for (std::size_t y = 0; y < rows[d].size(); ++y) cube.column(0, y)[d] = rows[d][y];
  }
  return cube;
}

TEST(TargetOdds, ProbabilityStandardErrorAndQuantiles) {
  // Poverty rate falling; target "below 3" in the last year (index 2, 2032).
  const Cube cube = cube_of({{5, 4, 2}, {5, 4, 3}, {5, 3, 2.5}, {5, 5, 4}});
  std::vector<double> scratch;
  const TargetOdds odds = target_odds(cube, 0, 2, Comparator::below, 3, 2030, scratch);
  EXPECT_EQ(odds.probability, 0.5);  // 2 and 2.5 hold; 3 is not below 3
  EXPECT_EQ(odds.probability_se, std::sqrt(0.5 * 0.5 / 4));
  EXPECT_DOUBLE_EQ(odds.p50, 2.75);  // sorted 2, 2.5, 3, 4
  EXPECT_DOUBLE_EQ(odds.p05, 2.075);
  EXPECT_DOUBLE_EQ(odds.p95, 3.85);
}

TEST(TargetOdds, ComparatorAtMostIncludesTheThreshold) {
  const Cube cube = cube_of({{5, 4, 2}, {5, 4, 3}, {5, 3, 2.5}, {5, 5, 4}});
  std::vector<double> scratch;
  const TargetOdds odds = target_odds(cube, 0, 2, Comparator::at_most, 3, 2030, scratch);
  EXPECT_EQ(odds.probability, 0.75);
  EXPECT_EQ(odds.probability_se, std::sqrt(0.75 * 0.25 / 4));
}

TEST(TargetOdds, FirstYearIsTheYearByWhichHalfTheDrawsHaveReachedIt) {
  // First years (index): 1, 2, 0, never, 1  → sorted 0 1 1 2 inf; 3rd smallest = 1.
  const Cube cube = cube_of({{50, 96, 97}, {50, 90, 95}, {95, 96, 97}, {50, 60, 70}, {50, 99, 1}});
  std::vector<double> scratch;
  const TargetOdds odds = target_odds(cube, 0, 2, Comparator::at_least, 95, 2025, scratch);
  ASSERT_TRUE(odds.first_year_p50.has_value());
  EXPECT_EQ(*odds.first_year_p50, 2026);
  // Reached "in some year" is what counts, not holding in the target year: draw 4 drops
  // back to 1 in the last year and so fails the target, but reached it in 2026.
  EXPECT_EQ(odds.probability, 0.6);
}

TEST(TargetOdds, FirstYearAbsentWhenFewerThanHalfEverReachIt) {
  const Cube cube = cube_of({{1, 1}, {1, 5}, {1, 1}, {1, 1}, {5, 5}});  // 2 of 5 reach
  std::vector<double> scratch;
  const TargetOdds odds = target_odds(cube, 0, 1, Comparator::above, 4, 2020, scratch);
  EXPECT_FALSE(odds.first_year_p50.has_value());
}

TEST(TargetOdds, ExactlyHalfReachingGivesTheYearAllOfThoseHave) {
  // 2 of 4 ever reach it, in years 0 and 3: the 2nd smallest first year is 3, not an
  // interpolation between 3 and +inf.
  const Cube cube = cube_of({{5, 5, 5, 5}, {1, 1, 1, 5}, {1, 1, 1, 1}, {1, 1, 1, 1}});
  std::vector<double> scratch;
  const TargetOdds odds = target_odds(cube, 0, 3, Comparator::above, 4, 2020, scratch);
  ASSERT_TRUE(odds.first_year_p50.has_value());
  EXPECT_EQ(*odds.first_year_p50, 2023);
}

TEST(TargetOdds, NeverAndAlwaysHold) {
  const Cube cube = cube_of({{1, 1}, {2, 2}});
  std::vector<double> scratch;
  const TargetOdds never = target_odds(cube, 0, 1, Comparator::above, 10, 2020, scratch);
  EXPECT_EQ(never.probability, 0);
  EXPECT_EQ(never.probability_se, 0);
  EXPECT_FALSE(never.first_year_p50.has_value());
  const TargetOdds always = target_odds(cube, 0, 1, Comparator::below, 10, 2020, scratch);
  EXPECT_EQ(always.probability, 1);
  EXPECT_EQ(always.probability_se, 0);
  EXPECT_EQ(always.first_year_p50, 2020);
}

}  // namespace
}  // namespace tamnhin::stats
