// PRIM on planted boxes: the box found restricts the inputs that define it, with limits
// within a few peel steps of the planted ones.
#include "engine/analysis/sensitivity/prim.hpp"

#include <gtest/gtest.h>

#include "engine/random/philox.hpp"

namespace tamnhin::analysis {
namespace {

struct Sample {
  std::vector<std::vector<double>> x;
  std::vector<unsigned char> y;
  std::vector<std::span<const double>> inputs() const { return {x.begin(), x.end()}; }
};

Sample uniform_sample(std::size_t inputs, std::size_t n, std::uint64_t key) {
  Sample s;
  s.x.assign(inputs, std::vector<double>(n));
  for (std::size_t i = 0; i < inputs; ++i)
    random::uniforms(key, static_cast<std::uint32_t>(i), 0, n, s.x[i].data());
  s.y.resize(n);
  return s;
}

TEST(Prim, FindsAPlantedBox) {
  // Interesting iff x0 in [0.2, 0.6] and x2 >= 0.7: mass 0.12 of five uniform inputs.
  Sample s = uniform_sample(5, 5000, 17);
  for (std::size_t j = 0; j < 5000; ++j)
    s.y[j] = s.x[0][j] >= 0.2 && s.x[0][j] <= 0.6 && s.x[2][j] >= 0.7;
  const std::vector<PrimBox> boxes = prim(s.inputs(), s.y, {});
  ASSERT_FALSE(boxes.empty());
  const PrimBox& b = boxes[0];
  EXPECT_TRUE(b.restricts(0));
  EXPECT_TRUE(b.restricts(2));
  EXPECT_FALSE(b.restricts(1));
  EXPECT_FALSE(b.restricts(3));
  EXPECT_FALSE(b.restricts(4));
  // Limits: within one peel slice (5% of the box, about 0.02 of the range) of the truth.
  EXPECT_NEAR(b.lower[0], 0.2, 0.03);
  EXPECT_NEAR(b.upper[0], 0.6, 0.03);
  EXPECT_NEAR(b.lower[2], 0.7, 0.03);
  EXPECT_EQ(b.upper[2], std::numeric_limits<double>::infinity());
  EXPECT_GE(b.stats.density, 0.95);
  EXPECT_GE(b.stats.coverage, 0.9);
  EXPECT_NEAR(b.stats.mass, 0.12, 0.02);
  // The trajectory starts from the whole sample and has exactly one chosen box.
  EXPECT_EQ(b.trajectory.front().stats.mass, 1.0);
  EXPECT_EQ(b.trajectory.front().stats.coverage, 1.0);
  std::size_t chosen = 0;
  for (const auto& step : b.trajectory) chosen += step.chosen;
  EXPECT_EQ(chosen, 1u);
}

TEST(Prim, NoisyPlantedBoxAndSecondBox) {
  // Two planted regions; 10% label noise everywhere.
  Sample s = uniform_sample(4, 8000, 23);
  std::vector<double> noise(8000);
  random::uniforms(99, 0, 0, 8000, noise.data());
  for (std::size_t j = 0; j < 8000; ++j) {
    const bool a = s.x[1][j] <= 0.25 && s.x[3][j] <= 0.5;
    const bool b = s.x[0][j] >= 0.85;
    s.y[j] = (a || b) != (noise[j] < 0.1);
  }
  const std::vector<PrimBox> boxes = prim(s.inputs(), s.y, {});
  ASSERT_GE(boxes.size(), 2u);
  // The first box is one of the planted regions, with density near 0.9.
  EXPECT_GE(boxes[0].stats.density, 0.8);
  EXPECT_GE(boxes[1].stats.density, 0.6);
  for (const auto& box : boxes) EXPECT_GE(box.stats.mass, 0.04);
}

TEST(Prim, NothingInterestingGivesNoBox) {
  Sample s = uniform_sample(3, 500, 1);
  EXPECT_TRUE(prim(s.inputs(), s.y, {}).empty());
}

TEST(Prim, Deterministic) {
  Sample s = uniform_sample(3, 2000, 5);
  for (std::size_t j = 0; j < 2000; ++j) s.y[j] = s.x[0][j] + s.x[1][j] > 1.4;
  const auto a = prim(s.inputs(), s.y, {});
  const auto b = prim(s.inputs(), s.y, {});
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].lower, b[i].lower);
    EXPECT_EQ(a[i].upper, b[i].upper);
  }
}

}  // namespace
}  // namespace tamnhin::analysis
