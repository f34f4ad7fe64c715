#include "engine/stats/summary.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tamnhin::stats {
namespace {

// Expected values are R's quantile(x, p, type = 7), worked by hand where noted.
TEST(QuantileType7, SingleValueIsEveryQuantile) {
  const std::vector<double> x = {4.5};
  for (double p : {0.0, 0.05, 0.5, 0.95, 1.0}) EXPECT_EQ(quantile_type7(x, p), 4.5);
}

TEST(QuantileType7, TwoValuesInterpolateLinearly) {
  const std::vector<double> x = {1, 3};
  EXPECT_EQ(quantile_type7(x, 0.0), 1);
  EXPECT_DOUBLE_EQ(quantile_type7(x, 0.05), 1.1);  // 1 + 0.05 * 2
  EXPECT_EQ(quantile_type7(x, 0.5), 2);
  EXPECT_DOUBLE_EQ(quantile_type7(x, 0.95), 2.9);  // 1 + 0.95 * 2
  EXPECT_EQ(quantile_type7(x, 1.0), 3);
}

TEST(QuantileType7, FiveValuesWithTies) {
  // R: quantile(c(1, 2, 2, 4, 10), c(.05, .25, .5, .75, .95)) = 1.2 2 2 4 8.8
  const std::vector<double> x = {1, 2, 2, 4, 10};
  EXPECT_DOUBLE_EQ(quantile_type7(x, 0.05), 1.2);  // h = 0.2
  EXPECT_EQ(quantile_type7(x, 0.25), 2);           // h = 1, exactly an order statistic
  EXPECT_EQ(quantile_type7(x, 0.5), 2);
  EXPECT_EQ(quantile_type7(x, 0.75), 4);
  EXPECT_DOUBLE_EQ(quantile_type7(x, 0.95), 8.8);  // h = 3.8: 4 + 0.8 * 6
}

TEST(QuantileType7, InfiniteNeighboursDoNotMakeNan) {
  const double inf = INFINITY;
  const std::vector<double> x = {1, inf, inf};
  EXPECT_EQ(quantile_type7(x, 0.5), inf);
  EXPECT_EQ(quantile_type7(x, 1.0), inf);
}

TEST(Summarise, OneToHundred) {
  std::vector<double> x;
  for (int i = 100; i >= 1; --i) x.push_back(i);  // unsorted on purpose
  std::vector<double> scratch;
  const Summary s = summarise(x, scratch);
  EXPECT_EQ(s.mean, 50.5);
  EXPECT_DOUBLE_EQ(s.sd, std::sqrt(100.0 * 101.0 / 12.0));  // var of 1..n is n(n+1)/12
  // R: quantile(1:100, c(.05,.25,.5,.75,.95)) = 5.95 25.75 50.5 75.25 95.05
  EXPECT_DOUBLE_EQ(s.p05, 5.95);
  EXPECT_DOUBLE_EQ(s.p25, 25.75);
  EXPECT_DOUBLE_EQ(s.p50, 50.5);
  EXPECT_DOUBLE_EQ(s.p75, 75.25);
  EXPECT_DOUBLE_EQ(s.p95, 95.05);
  EXPECT_EQ(x.front(), 100);  // the input is left alone; sorting happens in scratch
}

TEST(Summarise, SingleDrawHasZeroSd) {
  std::vector<double> scratch;
  const std::vector<double> x = {7};
  const Summary s = summarise(x, scratch);
  EXPECT_EQ(s.mean, 7);
  EXPECT_EQ(s.sd, 0);
  EXPECT_EQ(s.p05, 7);
  EXPECT_EQ(s.p95, 7);
}

TEST(Summarise, MeanIsCompensatedSoNoDigitsAreLost) {
  // 1e16 + 1 + 1 - 1e16 summed left to right is 0 (each +1 is lost); the compensated sum
  // keeps them: the mean is 2 / 4.
  const std::vector<double> x = {1e16, 1, 1, -1e16};
  std::vector<double> scratch;
  EXPECT_EQ(summarise(x, scratch).mean, 0.5);
}

TEST(Summarise, ConstantColumnHasExactlyItsValueAsMeanAndZeroSd) {
  // A plain sum of 10,000 copies of 0.065 drifts to 0.06499999999999842.
  const std::vector<double> x(10000, 0.065);
  std::vector<double> scratch;
  const Summary s = summarise(x, scratch);
  EXPECT_EQ(s.mean, 0.065);
  EXPECT_EQ(s.sd, 0.0);
}

}  // namespace
}  // namespace tamnhin::stats
