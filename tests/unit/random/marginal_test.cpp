// Marginal quantiles against closed forms, and mean() against the quantile's integral.
#include "engine/random/marginal.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/random/philox.hpp"

namespace tamnhin::random {
namespace {

Marginal make(DistKind kind, double a, double b = 0, double c = 0, double d = 0) {
  Marginal m;
  m.kind = kind;
  m.a = a;
  m.b = b;
  m.c = c;
  m.d = d;
  return m;
}

constexpr double kTol = 1e-13;
const double kGrid[] = {1e-12, 1e-6, 0.01, 0.1, 0.25, 0.5, 0.6, 0.9, 0.99, 1 - 1e-9};

TEST(Marginal, ConstantIsItsValueForEveryU) {
  const Marginal m = make(DistKind::constant, 0.035);
  EXPECT_FALSE(m.is_random());
  for (double u : kGrid) EXPECT_EQ(quantile(m, u), 0.035);
  EXPECT_EQ(mean(m), 0.035);
}

TEST(Marginal, NormalIsMeanPlusSdTimesStandardQuantile) {
  const Marginal m = make(DistKind::normal, 0.30, 0.05);
  EXPECT_TRUE(m.is_random());
  EXPECT_NEAR(quantile(m, 0.5), 0.30, kTol);
  for (double u : kGrid)
    EXPECT_NEAR(quantile(m, u), 0.30 + 0.05 * inverse_normal_cdf(u), kTol) << u;
  EXPECT_EQ(mean(m), 0.30);
}

TEST(Marginal, LognormalIsExpOfNormal) {
  const Marginal m = make(DistKind::lognormal, 0.2, 0.5);
  EXPECT_NEAR(quantile(m, 0.5), std::exp(0.2), kTol);  // the median is exp(mu)
  for (double u : kGrid) {
    const double want = std::exp(0.2 + 0.5 * inverse_normal_cdf(u));
    EXPECT_NEAR(quantile(m, u), want, kTol * want) << u;
  }
  EXPECT_NEAR(mean(m), std::exp(0.2 + 0.125), kTol);
}

TEST(Marginal, UniformIsLinear) {
  const Marginal m = make(DistKind::uniform, 0.10, 0.30);
  for (double u : kGrid) EXPECT_NEAR(quantile(m, u), 0.10 + 0.20 * u, kTol) << u;
  EXPECT_NEAR(mean(m), 0.20, kTol);
}

TEST(Marginal, TriangularMatchesClosedForm) {
  const double lo = 1.0, mode = 2.0, hi = 5.0;
  const Marginal m = make(DistKind::triangular, lo, mode, hi);
  const double f_mode = (mode - lo) / (hi - lo);
  for (double u : kGrid) {
    const double want = u < f_mode ? lo + std::sqrt(u * (hi - lo) * (mode - lo))
                                   : hi - std::sqrt((1 - u) * (hi - lo) * (hi - mode));
    EXPECT_NEAR(quantile(m, u), want, 1e-12) << u;
  }
  EXPECT_NEAR(quantile(m, f_mode), mode, 1e-12);
  EXPECT_NEAR(quantile(make(DistKind::triangular, 0, 1, 2), 0.5), 1.0, kTol);  // symmetric
  EXPECT_NEAR(mean(m), 8.0 / 3.0, kTol);
}

TEST(Marginal, BetaIsScaledToItsRange) {
  // Beta(2,1) has CDF x^2 and Beta(1,2) has CDF 1 - (1-x)^2; Beta(1,1) is uniform.
  const Marginal b21 = make(DistKind::beta, 2, 1, 10, 20);
  const Marginal b12 = make(DistKind::beta, 1, 2, -1, 1);
  const Marginal b11 = make(DistKind::beta, 1, 1, 0, 1);
  for (double u : kGrid) {
    EXPECT_NEAR(quantile(b21, u), 10 + 10 * std::sqrt(u), 1e-12) << u;
    EXPECT_NEAR(quantile(b12, u), -1 + 2 * (1 - std::sqrt(1 - u)), 1e-12) << u;
    EXPECT_NEAR(quantile(b11, u), u, 1e-12) << u;
  }
  EXPECT_NEAR(mean(b21), 10 + 10 * 2.0 / 3.0, kTol);
  EXPECT_NEAR(mean(b12), -1 + 2 * 1.0 / 3.0, kTol);
}

TEST(Marginal, MeanIsTheIntegralOfTheQuantile) {
  // Midpoint rule over u: mean = integral_0^1 quantile(u) du. The error is dominated by the
  // unbounded tails' first and last cells, below 1e-3 relative with 2e4 cells.
  const Marginal all[] = {make(DistKind::normal, 1.5, 0.3), make(DistKind::lognormal, 0.1, 0.4),
                          make(DistKind::uniform, -2, 3), make(DistKind::triangular, 0, 0.2, 1),
                          make(DistKind::beta, 2.5, 4.0, 1, 3)};
  constexpr int n = 20'000;
  for (const Marginal& m : all) {
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += quantile(m, (i + 0.5) / n);
    EXPECT_NEAR(sum / n, mean(m), 1e-3 * std::fabs(mean(m))) << int(m.kind);
  }
}

TEST(Marginal, ApplyGivesTheBitsOfOneAtATime) {
  // apply() runs normals and lognormals through the lane functions in blocks of 256: 1000
  // uniforms cross several blocks and end in a partial one.
  std::vector<double> u(1000);
  uniforms(site_key(7, "apply-test"), 0, 0, u.size(), u.data());
  Marginal truncated = make(DistKind::normal, 0.3, 0.1, 0.25, 0.6);
  truncated.truncated = true;
  for (const Marginal& m :
       {make(DistKind::normal, 1.5, 0.3), make(DistKind::lognormal, 0.1, 0.4), truncated,
        make(DistKind::uniform, -2, 3), make(DistKind::triangular, 0, 0.2, 1),
        make(DistKind::beta, 2.5, 4.0, 1, 3), make(DistKind::constant, 4.0)}) {
    const QuantileFunction q(m);
    std::vector<double> x = u;
    q.apply(x.data(), x.size());
    for (std::size_t i = 0; i < u.size(); ++i)
      ASSERT_EQ(std::bit_cast<std::uint64_t>(x[i]), std::bit_cast<std::uint64_t>(q(u[i])))
          << static_cast<int>(m.kind) << " draw " << i;
  }
}

}  // namespace
}  // namespace tamnhin::random
