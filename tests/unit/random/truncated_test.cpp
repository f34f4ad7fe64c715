// Truncated normal and lognormal marginals: quantiles against the closed form of the
// truncated CDF, the mean against its closed form, every draw inside the bounds, and lhs
// stratification kept (each of the N strata of the truncated distribution gets one draw).
#include <gtest/gtest.h>

#include <algorithm>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <limits>

#include "engine/random/marginal.hpp"
#include "engine/random/philox.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin::random {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

Marginal truncated(DistKind kind, double a, double b, double lo, double hi) {
  Marginal m{kind, a, b, lo, hi};
  m.truncated = true;
  return m;
}

// The truncated CDF at x: (F(x) - F(lo)) / (F(hi) - F(lo)).
template <typename Dist>
double truncated_cdf(const Dist& dist, double lo, double hi, double x) {
  const auto cdf = [&](double v) {
    if (v == -kInf || (v <= 0 && std::is_same_v<Dist, boost::math::lognormal>)) return 0.0;
    if (v == kInf) return 1.0;
    return boost::math::cdf(dist, v);
  };
  return (cdf(x) - cdf(lo)) / (cdf(hi) - cdf(lo));
}

const double kGrid[] = {1e-9, 0.001, 0.05, 0.25, 0.5, 0.75, 0.95, 0.999, 1 - 1e-9};

TEST(Truncated, NormalQuantileInvertsTheTruncatedCdf) {
  const boost::math::normal dist(0.3, 0.1);
  for (const auto& [lo, hi] : {std::pair{0.25, 0.6}, std::pair{-kInf, 0.2}, std::pair{0.45, kInf},
                               std::pair{0.7, 0.9} /* deep in the upper tail */}) {
    const Marginal m = truncated(DistKind::normal, 0.3, 0.1, lo, hi);
    for (double u : kGrid) {
      const double x = quantile(m, u);
      EXPECT_GE(x, lo);
      EXPECT_LE(x, hi);
      EXPECT_NEAR(truncated_cdf(dist, lo, hi, x), u, 1e-9) << lo << " " << hi << " u " << u;
    }
  }
}

TEST(Truncated, LognormalQuantileInvertsTheTruncatedCdf) {
  const boost::math::lognormal dist(0.0, 0.5);
  for (const auto& [lo, hi] : {std::pair{0.8, 1.5}, std::pair{-1.0, 2.0}, std::pair{1.2, kInf}}) {
    const Marginal m = truncated(DistKind::lognormal, 0.0, 0.5, lo, hi);
    for (double u : kGrid) {
      const double x = quantile(m, u);
      EXPECT_GE(x, std::max(lo, 0.0));
      EXPECT_LE(x, hi);
      EXPECT_NEAR(truncated_cdf(dist, lo, hi, x), u, 1e-9) << lo << " " << hi << " u " << u;
    }
  }
}

TEST(Truncated, UntruncatedQuantilesAreUnchanged) {
  // A normal without bounds is not touched by the truncation code (same bits as before).
  const Marginal plain{DistKind::normal, 0.3, 0.1};
  for (double u : kGrid) {
    EXPECT_EQ(quantile(plain, u), 0.3 + 0.1 * inverse_normal_cdf(u));
  }
}

TEST(Truncated, MeanIsTheClosedForm) {
  // Normal(0, 1) on [0, inf): the half-normal, mean sqrt(2 / pi).
  EXPECT_NEAR(mean(truncated(DistKind::normal, 0, 1, 0, kInf)), std::sqrt(2 / M_PI), 1e-14);
  // Against the integral of the quantile (midpoint rule; bounded support, so 1e-6 is ample).
  for (const Marginal& m : {truncated(DistKind::normal, 0.3, 0.1, 0.25, 0.6),
                            truncated(DistKind::lognormal, 0.0, 0.5, 0.8, 1.5),
                            truncated(DistKind::lognormal, 0.0, 0.5, -kInf, 2.0)}) {
    constexpr int n = 20'000;
    double sum = 0;
    for (int i = 0; i < n; ++i) sum += quantile(m, (i + 0.5) / n);
    EXPECT_NEAR(sum / n, mean(m), 1e-6 * std::fabs(mean(m))) << int(m.kind);
  }
}

TEST(Truncated, KeptMassIsTheProbabilityOfTheInterval) {
  EXPECT_NEAR(kept_mass(truncated(DistKind::normal, 0, 1, 0, kInf)), 0.5, 1e-15);
  EXPECT_NEAR(kept_mass(truncated(DistKind::normal, 0, 1, -1, 1)), std::erf(1 / std::sqrt(2.0)),
              1e-15);
  EXPECT_EQ(kept_mass(Marginal{DistKind::normal, 0, 1}), 1.0);
  EXPECT_EQ(kept_mass(truncated(DistKind::normal, 0, 1, 40, 41)), 0.0);  // rejected by validation
}

// With lhs, draw d of N lies in stratum [k/N, (k+1)/N) of the truncated CDF for exactly one
// d per k; sample quantiles then match the truncated distribution's to within a stratum.
TEST(Truncated, LhsKeepsItsStratificationAndQuantiles) {
  const double lo = 0.25, hi = 0.6;
  const std::vector<ParamSpecForSampling> ps = {
      {"growth", truncated(DistKind::normal, 0.3, 0.1, lo, hi)},
      {"elasticity", truncated(DistKind::lognormal, 0.0, 0.5, 0.8, kInf)}};
  const boost::math::normal normal(0.3, 0.1);
  const boost::math::lognormal lognormal(0.0, 0.5);
  for (std::size_t n : {1u, 7u, 1000u, 4099u}) {
    const ParamDraws r = sample_parameters(ps, {}, SamplingDesign::lhs, 11, n);
    for (std::size_t p = 0; p < ps.size(); ++p) {
      std::vector<int> hits(n, 0);
      for (std::size_t d = 0; d < n; ++d) {
        const double x = r.column(p)[d];
        const double u =
            p == 0 ? truncated_cdf(normal, lo, hi, x) : truncated_cdf(lognormal, 0.8, kInf, x);
        // The CDF is recomputed from x, so allow its rounding at a stratum's edge.
        const auto strata = static_cast<double>(n);
        const auto k = static_cast<std::size_t>(std::clamp(u * strata + 1e-9, 0.0, strata - 1.0));
        ++hits[k];
      }
      EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }))
          << "n " << n << " parameter " << p;
    }
  }
}

}  // namespace
}  // namespace tamnhin::random
