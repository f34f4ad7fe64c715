// The allocation commands on problems with closed-form answers (closed_form_models.hpp).
// Tolerances follow from the number of draws: a probability estimated from N draws has
// standard error sqrt(p(1-p)/N); a lever value found where the estimated curve crosses p*
// has standard error se(p*) / P'(x*), with P'(x) = k phi(k x - c). We allow 4 standard
// errors (a false alarm about once in 16,000 seeds; every seed here is fixed).
#include <cmath>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>

#include "engine/analysis/optimize.hpp"
#include "engine/analysis/seek.hpp"
#include "engine/analysis/sweep.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/analysis/closed_form_models.hpp"

namespace tamnhin::analysis {
namespace {

using testing::TempDir;

double Phi(double x) {
  return boost::math::cdf(boost::math::normal(), x);
}
double phi(double x) {
  return boost::math::pdf(boost::math::normal(), x);
}
double Phi_inv(double p) {
  return boost::math::quantile(boost::math::normal(), p);
}

constexpr double k = 10, c = 3;
constexpr std::size_t draws = 20000;

struct Fixture {
  TempDir dir;
  Scenario scenario;
  std::unique_ptr<Evaluator> evaluator;
  Variant base;

  explicit Fixture(const std::string& model, std::size_t n = draws, unsigned threads = 2,
                   std::uint64_t seed = 7) {
    Diagnostics d;
    auto s = load_scenario(dir.write("m.toml", model), d);
    EXPECT_TRUE(s && d.empty());
    scenario = std::move(*s);
    EvaluationSettings settings;
    settings.draws = n;
    settings.seed = seed;
    settings.threads = threads;
    evaluator = std::make_unique<Evaluator>(std::vector<const Scenario*>{&scenario}, settings);
    base.name = "base";
  }
};

SeekRequest seek_request(double probability) {
  SeekRequest r;
  r.lever = {"share", 0.0, 1.0, std::nullopt, {"--range 0:1", 0, 0}};
  r.variable = "y";
  r.year = 2030;
  r.probability = probability;
  return r;
}

TEST(Seek, FindsTheLeverValueOfTheWantedChance) {
  Fixture f(testing::linear_target_model(k, c));
  for (double p : {0.5, 0.8, 0.95}) {
    const SeekResult r = seek(*f.evaluator, f.base, seek_request(p));
    const double exact = (c + Phi_inv(p)) / k;
    const double se = std::sqrt(p * (1 - p) / draws) / (k * phi(Phi_inv(p)));
    EXPECT_TRUE(r.reachable);
    EXPECT_NEAR(r.value, exact, 4 * se) << "p = " << p;
    // The estimated chance at the answer is p, up to what the curve rises over the last
    // bracket (the search tolerance 1e-4 times the slope, at most k phi(0)) and a draw.
    EXPECT_GE(r.probability, p);
    EXPECT_LE(r.probability, p + 1e-4 * k * phi(0) * 1.5 + 1.0 / draws);
    // The interval is the answer +- 1.96 se, up to the search tolerance.
    EXPECT_LE(r.value_low, r.value);
    EXPECT_GE(r.value_high, r.value);
    EXPECT_NEAR(r.value_high - r.value_low, 2 * 1.96 * se, 0.3 * 2 * 1.96 * se) << "p = " << p;
    EXPECT_TRUE(r.monotone);
    EXPECT_LT(r.evaluations, 60u);
  }
}

TEST(Seek, DownFindsTheLargestValueAndUnreachableReportsTheBest) {
  // y = -10 share + N(0,1) > -3: the chance falls with the share; P = Phi(3 - 10 share).
  Fixture f(testing::linear_target_model(-k, -c));
  SeekRequest r = seek_request(0.8);
  r.direction = Direction::down;
  const SeekResult down = seek(*f.evaluator, f.base, r);
  const double exact = (c - Phi_inv(0.8)) / k;
  EXPECT_TRUE(down.reachable);
  EXPECT_NEAR(down.value, exact, 4 * std::sqrt(0.16 / draws) / (k * phi(Phi_inv(0.8))));

  Fixture g(testing::linear_target_model(k, 12.0));  // needs share 1.28 for 80%
  const SeekResult none = seek(*g.evaluator, g.base, seek_request(0.8));
  EXPECT_FALSE(none.reachable);
  EXPECT_EQ(none.value, 1.0);  // the best value: the top of the range
  EXPECT_NEAR(none.probability, Phi(k - 12.0), 4 * std::sqrt(0.02 / draws));
}

TEST(Seek, SameBitsForAnyThreadCount) {
  Fixture one(testing::linear_target_model(k, c), 5000, 1);
  Fixture two(testing::linear_target_model(k, c), 5000, 2);
  const SeekResult a = seek(*one.evaluator, one.base, seek_request(0.8));
  const SeekResult b = seek(*two.evaluator, two.base, seek_request(0.8));
  EXPECT_EQ(a.value, b.value);
  EXPECT_EQ(a.value_low, b.value_low);
  EXPECT_EQ(a.value_high, b.value_high);
  EXPECT_EQ(a.evaluations, b.evaluations);
}

TEST(Sweep, TheCurveFollowsTheNormalDistribution) {
  Fixture f(testing::linear_target_model(k, c));
  const std::vector<LeverAxis> axes = {{"share", 0.1, 0.5, 0.05, {"--vary", 0, 0}}};
  const auto points = sweep_points(axes, SweepDesign::grid, 0, 7);
  ASSERT_EQ(points.size(), 9u);
  const SweepResult s = run_sweep(*f.evaluator, f.base, axes, points);
  ASSERT_EQ(s.rows.size(), 9u);
  for (const auto& row : s.rows) {
    const double exact = Phi(k * row.values[0] - c);
    EXPECT_NEAR(row.probability, exact, 4 * std::sqrt(exact * (1 - exact) / draws) + 1e-12)
        << "share " << row.values[0];
    EXPECT_NEAR(row.p50, k * row.values[0], 4 * 1.2533 / std::sqrt(draws));
  }
  // Common random numbers: the estimated curve never falls as the share rises.
  for (std::size_t i = 1; i < s.rows.size(); ++i)
    EXPECT_GE(s.rows[i].probability, s.rows[i - 1].probability);
}

TEST(Sweep, GridsAndHypercubes) {
  const LeverAxis a{"a", 0, 1, 0.25, {}}, b{"b", 10, 20, 5, {}};
  const auto grid = sweep_points({a, b}, SweepDesign::grid, 0, 1);
  ASSERT_EQ(grid.size(), 15u);  // 5 x 3, the first axis slowest
  EXPECT_EQ(grid[0], (std::vector<double>{0, 10}));
  EXPECT_EQ(grid[1], (std::vector<double>{0, 15}));
  EXPECT_EQ(grid[14], (std::vector<double>{1, 20}));
  // 0.1:0.3:0.02 has 11 values despite rounding, the last exactly 0.3.
  const auto fine = sweep_points({{"x", 0.1, 0.3, 0.02, {}}}, SweepDesign::grid, 0, 1);
  ASSERT_EQ(fine.size(), 11u);
  EXPECT_EQ(fine.back()[0], 0.3);
  // LHS: one point per stratum on every axis.
  const auto lhs = sweep_points({a, b}, SweepDesign::lhs, 8, 1);
  ASSERT_EQ(lhs.size(), 8u);
  for (std::size_t axis = 0; axis < 2; ++axis) {
    std::vector<int> hits(8, 0);
    const double lo = axis == 0 ? 0 : 10, hi = axis == 0 ? 1 : 20;
    for (const auto& p : lhs) ++hits[static_cast<int>((p[axis] - lo) / (hi - lo) * 8)];
    EXPECT_EQ(hits, std::vector<int>(8, 1));
  }
  EXPECT_THROW(sweep_points({{"x", 0, 1, 1e-6, {}}}, SweepDesign::grid, 0, 1), InputError);
  EXPECT_THROW(sweep_points({a}, SweepDesign::lhs, 1, 1), InputError);
}

TEST(Optimize, FindsTheAnalyticOptimumOnTheSimplex) {
  Fixture f(testing::simplex_model());
  EvaluationSettings other;
  other.draws = draws;
  other.seed = reevaluation_seed(7);
  Evaluator reevaluator({&f.scenario}, other);
  OptimizeRequest request;
  request.over = {"a", "b"};  // the whole share group: a + b = 1 is kept
  const OptimizeResult r = optimize(*f.evaluator, reevaluator, {f.base}, request);
  ASSERT_EQ(r.values.size(), 2u);
  EXPECT_NEAR(r.values[0] + r.values[1], 1.0, 1e-12);
  // The objective is flat near the optimum (its second derivative is -200 phi(1) a^2 per
  // unit), so the lever is pinned only to about +-0.03 by 20,000 draws.
  EXPECT_NEAR(r.values[0], 0.4, 0.03);
  const double best = 2 * Phi(1.0);
  EXPECT_NEAR(r.objective, best, 4 * r.objective_se + 0.002);
  EXPECT_NEAR(r.reevaluated_objective, best, 4 * r.reevaluated_objective_se + 0.002);
  // As written (a = b = 0.5): Phi(2) + Phi(0).
  EXPECT_NEAR(r.baseline_objective, Phi(2.0) + 0.5, 4 * r.baseline_objective_se);
  EXPECT_GT(r.gain, 4 * r.gain_se);
  EXPECT_LE(r.evaluations, request.max_evaluations);
}

TEST(Optimize, RejectsImpossibleSumsAndLeversWithoutRange) {
  Fixture f(testing::simplex_model(), 1000);
  Evaluator reevaluator({&f.scenario}, {});
  OptimizeRequest request;
  request.over = {"a", "b"};
  request.sum = 2.5;
  EXPECT_THROW(optimize(*f.evaluator, reevaluator, {f.base}, request), InputError);
  request.sum.reset();
  request.over = {"a", "y1"};
  EXPECT_THROW(optimize(*f.evaluator, reevaluator, {f.base}, request), InputError);
}

}  // namespace
}  // namespace tamnhin::analysis
