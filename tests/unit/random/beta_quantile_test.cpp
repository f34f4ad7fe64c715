// The beta quantile table (beta_quantile.hpp) against Boost.Math's inverse, which it
// replaces in sampling: within the stated bound everywhere, Boost's own values at the
// nodes (to a few ulps) and in the far tails, monotone, and actually tabulated (a table that left
// every interval to Boost would pass the accuracy tests while saving nothing).
#include "engine/random/beta_quantile.hpp"

#include <gtest/gtest.h>

#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <thread>
#include <utility>
#include <vector>

#include "engine/random/philox.hpp"

namespace tamnhin::random {
namespace {

using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

double boost_quantile(double alpha, double beta, double u) {
  return boost::math::quantile(boost::math::beta_distribution<double, DoublePolicy>(alpha, beta),
                               u);
}

// U-shaped, J-shaped, uniform, triangular-like, the shipped models' okun (4, 2) and
// mort_elast (2.22, 1.78), and concentrated shapes.
const std::pair<double, double> kShapes[] = {{0.5, 0.5},   {0.7, 3.0}, {1.0, 1.0},   {2.0, 1.0},
                                             {2.22, 1.78}, {4.0, 2.0}, {10.0, 10.0}, {50.0, 3.0}};

// Uniforms from Philox, half of them pushed into the tails (u^4 and 1 - u^4), where the
// quantile bends most.
std::vector<double> test_points(std::size_t n) {
  std::vector<double> u(n);
  uniforms(site_key(2045, "beta-quantile-test"), 0, 0, n, u.data());
  for (std::size_t i = 0; i < n; i += 4) u[i] = std::pow(u[i], 4);
  for (std::size_t i = 1; i < n; i += 4) u[i] = 1 - std::pow(u[i], 4);
  return u;
}

TEST(BetaQuantile, AgreesWithBoostWithinTheStatedBound) {
  const std::vector<double> points = test_points(6000);
  for (const auto& [a, b] : kShapes) {
    const auto table = BetaQuantile::of(a, b);
    double worst = 0;
    for (double u : points) {
      const double x = (*table)(u);
      worst = std::max(worst, std::fabs(x - boost_quantile(a, b, u)));
    }
    // The midpoint check holds each interval to kTolerance; away from the midpoint a
    // cubic's error is smaller, so ten times the tolerance is a generous bound.
    EXPECT_LE(worst, 10 * BetaQuantile::kTolerance) << "beta(" << a << ", " << b << ")";
  }
}

TEST(BetaQuantile, TabulatesAlmostEverythingForSmoothShapes) {
  const std::size_t all = std::size_t{2} * BetaQuantile::kHalf;
  for (const auto& [a, b] : kShapes) {
    const auto table = BetaQuantile::of(a, b);
    // Every shape here is smooth in log w; only intervals next to an end of the support
    // (density 0 or unbounded) may need Boost.
    EXPECT_GE(table->tabulated_intervals(), all * 9 / 10) << "beta(" << a << ", " << b << ")";
  }
}

TEST(BetaQuantile, NodesFarTailsAndMedianAreBoostsValues) {
  const double a = 2.22, b = 1.78;
  const auto table = BetaQuantile::of(a, b);
  // An octave's first node is Boost's inverse, bit for bit; the others are solved by
  // Newton's method on Boost's CDF, to a few units in the last place.
  for (double u : {0.25, 0x1p-17, 1 - 0x1p-4}) EXPECT_EQ((*table)(u), boost_quantile(a, b, u)) << u;
  for (double u :
       {0.25 * (1 + 37.0 / 1024), 0.125 * (1 + 255.0 / 512), 1 - 0x1p-9 * (1 + 5.0 / 256)})
    EXPECT_NEAR((*table)(u), boost_quantile(a, b, u), 1e-15) << u;
  // Below 2^-(kOctaves+1) from either end, Boost answers.
  for (double u : {1e-6, 1e-12, 1 - 1e-6, 1 - 1e-12})
    EXPECT_EQ((*table)(u), boost_quantile(a, b, u)) << u;
  EXPECT_EQ((*table)(0.5), boost_quantile(a, b, 0.5));
}

TEST(BetaQuantile, IsMonotone) {
  for (const auto& [a, b] : kShapes) {
    const auto table = BetaQuantile::of(a, b);
    double last = -1;
    // Steps of 1/4096 cross every interval boundary above 2^-13 from the ends.
    for (int i = 1; i < 4096; ++i) {
      const double x = (*table)(i / 4096.0);
      // Adjacent intervals may meet a rounding apart.
      EXPECT_GE(x, last - 1e-15) << "beta(" << a << ", " << b << ") at " << i;
      last = x;
    }
  }
}

TEST(BetaQuantile, OneTablePerShapeAcrossThreads) {
  std::vector<std::shared_ptr<const BetaQuantile>> seen(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < seen.size(); ++t)
    threads.emplace_back([&seen, t] { seen[t] = BetaQuantile::of(3.5, 1.25); });
  for (auto& t : threads) t.join();
  for (const auto& s : seen) EXPECT_EQ(s, seen[0]);
  EXPECT_EQ(BetaQuantile::of(3.5, 1.25), seen[0]);
  EXPECT_NE(BetaQuantile::of(1.25, 3.5), seen[0]);
}

}  // namespace
}  // namespace tamnhin::random
