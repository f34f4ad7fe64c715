// Morris elementary effects: the design's geometry, exact zeros for inert factors, exact
// effects of a linear function, determinism.
#include "engine/analysis/sensitivity/morris.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <set>

#include "tests/unit/sensitivity/test_functions.hpp"

namespace tamnhin::analysis {
namespace {

std::vector<std::vector<double>> run(const MorrisDesign& d,
                                     const std::function<double(const std::vector<double>&)>& f) {
  std::vector<std::vector<double>> y(d.factors + 1, std::vector<double>(d.trajectories));
  std::vector<double> u(d.dims);
  for (std::size_t j = 0; j <= d.factors; ++j)
    for (std::size_t t = 0; t < d.trajectories; ++t) {
      for (std::size_t c = 0; c < d.dims; ++c) u[c] = d.points[j][c * d.trajectories + t];
      y[j][t] = f(u);
    }
  return y;
}

std::vector<MorrisIndex> indices(const MorrisDesign& d, const std::vector<std::vector<double>>& y) {
  std::vector<std::span<const double>> spans(y.begin(), y.end());
  return morris_indices(d, spans);
}

TEST(Morris, TrajectoriesMoveOneFactorByHalfOnTheGrid) {
  const std::vector<std::size_t> factor_of{0, 1, 1, 2};  // factor 1 is a group of two
  const MorrisDesign d = morris_design(factor_of, 3, 50, 6, 99);
  for (std::size_t t = 0; t < d.trajectories; ++t) {
    std::set<std::size_t> moved;
    for (std::size_t j = 0; j < d.factors; ++j) {
      const std::size_t f = d.order[t * 3 + j];
      moved.insert(f);
      for (std::size_t c = 0; c < d.dims; ++c) {
        const double before = d.points[j][c * 50 + t], after = d.points[j + 1][c * 50 + t];
        // On the grid (l + 1/2) / 6, inside (0, 1).
        EXPECT_DOUBLE_EQ(std::fmod(after * 6 - 0.5, 1.0), 0.0);
        if (factor_of[c] == f)
          EXPECT_DOUBLE_EQ(after - before, 0.5 * d.direction[t * 3 + f]);
        else
          EXPECT_EQ(after, before);
      }
    }
    EXPECT_EQ(moved.size(), 3u);  // every factor once
  }
}

TEST(Morris, InertFactorsHaveZeroEffectsExactly) {
  // x2 and x4 are inert; the others interact.
  const auto f = [](const std::vector<double>& u) {
    return std::sin(6 * u[0]) * u[2] + std::exp(u[2]) + 3 * u[4] * u[0];
  };
  const std::vector<std::size_t> factor_of{0, 1, 2, 3, 4};
  const MorrisDesign d = morris_design(factor_of, 5, 40, 4, 5);
  const auto m = indices(d, run(d, f));
  EXPECT_EQ(m[1].mu_star, 0.0);
  EXPECT_EQ(m[1].sigma, 0.0);
  EXPECT_EQ(m[3].mu_star, 0.0);
  for (std::size_t i : {0u, 2u, 4u}) EXPECT_GT(m[i].mu_star, 0.1);
}

TEST(Morris, LinearFunctionHasItsSlopes) {
  const std::vector<double> c{2, -1, 0.25};
  const auto f = [&](const std::vector<double>& u) {
    return c[0] * u[0] + c[1] * u[1] + c[2] * u[2];
  };
  const std::vector<std::size_t> factor_of{0, 1, 2};
  const MorrisDesign d = morris_design(factor_of, 3, 30, 4, 8);
  const auto m = indices(d, run(d, f));
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(m[i].mu, c[i], 1e-12);
    EXPECT_NEAR(m[i].mu_star, std::abs(c[i]), 1e-12);
    EXPECT_NEAR(m[i].sigma, 0.0, 1e-12);
  }
}

TEST(Morris, IshigamiRanksX1AboveX3AndSigmaShowsTheInteraction) {
  const std::vector<std::size_t> factor_of{0, 1, 2};
  const MorrisDesign d = morris_design(factor_of, 3, 200, 4, 21);
  const auto m = indices(d, run(d, testing::ishigami));
  EXPECT_GT(m[0].mu_star, m[2].mu_star);
  EXPECT_GT(m[2].sigma, 0.5 * m[2].mu_star);  // x3 acts only through x1
}

TEST(Morris, Deterministic) {
  const std::vector<std::size_t> factor_of{0, 1, 2, 3};
  const MorrisDesign a = morris_design(factor_of, 4, 20, 4, 3);
  const MorrisDesign b = morris_design(factor_of, 4, 20, 4, 3);
  EXPECT_EQ(a.points, b.points);
  EXPECT_EQ(a.order, b.order);
  const MorrisDesign c = morris_design(factor_of, 4, 20, 4, 4);
  EXPECT_NE(a.points, c.points);
}

}  // namespace
}  // namespace tamnhin::analysis
