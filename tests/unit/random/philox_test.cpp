// Philox uniforms and normals: pure functions with the documented counter layout, the
// batched paths equal to the scalar ones bit for bit, and the right distributions.
#include "engine/random/philox.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstdint>
#include <set>
#include <vector>

namespace tamnhin::random {
namespace {

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}
double u01(std::uint64_t x) {
  return (static_cast<double>(x >> 11) + 0.5) * 0x1p-53;
}

// sup |F_n - Phi| of a sample against the standard normal.
double ks_statistic(std::vector<double> s) {
  std::sort(s.begin(), s.end());
  const boost::math::normal_distribution<double> phi;
  const double m = static_cast<double>(s.size());
  double d = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const double f = boost::math::cdf(phi, s[i]);
    d = std::max({d, f - double(i) / m, double(i + 1) / m - f});
  }
  return d;
}

TEST(Philox, MatchesRandom123KnownAnswerForZeroKeyAndCounter) {
  // Random123 tests/kat_vectors: philox4x32 10, ctr = 0, key = 0 ->
  // 6627e8d5 e169c58d bc57ac4c 9b00dbd8. Draw 0 takes words 0-1, draw 1 words 2-3.
  EXPECT_EQ(bits(uniform(0, 0, 0)), bits(u01(0xe169c58d'6627e8d5ULL)));
  EXPECT_EQ(bits(uniform(0, 1, 0)), bits(u01(0x9b00dbd8'bc57ac4cULL)));
}

TEST(Philox, UniformIsAPureFunction) {
  const std::uint64_t key = site_key(2024, "param/okun");
  for (std::uint64_t d : {0ULL, 1ULL, 77ULL, (1ULL << 40) + 3}) {
    EXPECT_EQ(bits(uniform(key, d, 2030)), bits(uniform(key, d, 2030)));
  }
}

TEST(Philox, SiteKeyIsStableAndDependsOnSeedAndName) {
  // Pinned (computed independently from the recipe in philox.cpp): changing it would silently
  // change every result of every model.
  EXPECT_EQ(site_key(0, ""), site_key(0, ""));
  EXPECT_EQ(site_key(2024, "param/okun"), 0xe1408de1c15e0372ULL);
  EXPECT_EQ(site_key(1, "eq/growth_shock/0"), 0xbe679a7b71b351d2ULL);
  EXPECT_NE(site_key(2024, "param/okun"), site_key(2025, "param/okun"));
  EXPECT_NE(site_key(2024, "param/okun"), site_key(2024, "param/okup"));
  EXPECT_NE(site_key(0, "a"), site_key(1, "a"));
  EXPECT_NE(site_key(0, "ab"), site_key(0, "ba"));
}

TEST(Philox, DifferentSitesYearsAndDrawsGiveDifferentValues) {
  const std::uint64_t k1 = site_key(7, "shock/macro/growth_z");
  const std::uint64_t k2 = site_key(7, "shock/macro/price_z");
  std::set<std::uint64_t> seen;
  for (std::uint64_t key : {k1, k2})
    for (std::uint32_t year : {2024u, 2025u, 2045u})
      for (std::uint64_t d = 0; d < 64; ++d) seen.insert(bits(uniform(key, d, year)));
  EXPECT_EQ(seen.size(), 2u * 3u * 64u);
}

TEST(Philox, BatchedUniformsEqualPerDrawUniforms) {
  const std::uint64_t key = site_key(11, "param/x");
  std::vector<double> out;
  for (std::uint64_t draw0 :
       {0ULL, 1ULL, 2ULL, 3ULL, 1001ULL, (1ULL << 33) - 1, (1ULL << 62) + 5}) {
    for (std::size_t n : {0u, 1u, 2u, 3u, 4u, 7u, 64u, 255u, 256u, 1001u}) {
      out.assign(n + 1, -1.0);
      uniforms(key, 2031, draw0, n, out.data());
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_EQ(bits(out[i]), bits(uniform(key, draw0 + i, 2031)))
            << "draw0 " << draw0 << " n " << n << " i " << i;
      EXPECT_EQ(out[n], -1.0) << "wrote past n";
    }
  }
}

TEST(Philox, BatchedNormalsEqualInverseCdfOfUniforms) {
  const std::uint64_t key = site_key(3, "eq/growth_shock/0");
  for (std::uint64_t draw0 : {0ULL, 5ULL}) {
    for (std::size_t n : {1u, 3u, 256u, 257u, 5000u}) {
      std::vector<double> z(n);
      standard_normals(key, 2040, draw0, n, z.data());
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_EQ(bits(z[i]), bits(inverse_normal_cdf(uniform(key, draw0 + i, 2040))))
            << "draw0 " << draw0 << " i " << i;
    }
  }
}

TEST(Philox, UniformsAreStrictlyInsideTheUnitIntervalWithRightMoments) {
  constexpr std::size_t n = 1'000'000;
  std::vector<double> u(n);
  uniforms(site_key(1, "moments"), 0, 0, n, u.data());
  double sum = 0, sum2 = 0;
  for (double x : u) {
    ASSERT_GT(x, 0.0);
    ASSERT_LT(x, 1.0);
    sum += x;
  }
  const double mean = sum / n;
  for (double x : u) sum2 += (x - mean) * (x - mean);
  const double var = sum2 / (n - 1);
  // Standard errors: sqrt(1/12 / n) for the mean; sqrt((mu4 - sigma^4) / n) for the
  // variance, with mu4 = 1/80 and sigma^4 = 1/144 for U(0,1).
  EXPECT_NEAR(mean, 0.5, 5 * std::sqrt(1.0 / 12 / n));
  EXPECT_NEAR(var, 1.0 / 12, 5 * std::sqrt((1.0 / 80 - 1.0 / 144) / n));
}

TEST(Philox, NormalsHaveRightMomentsAndPassKolmogorovSmirnov) {
  // Kolmogorov-Smirnov at the 1% level. One fixed-seed test fails for 1% of seeds (seed 2
  // of site "normals" is such a seed), so test 20 independent streams of 1e5 and allow
  // what chance allows: P(3 or more of 20 rejections) = 0.001 for a correct generator.
  // The pooled 2e6 must pass too, and carries the moment checks.
  constexpr std::size_t m = 100'000, streams = 20, n = m * streams;
  std::vector<double> z(n);
  int rejections = 0;
  for (std::size_t s = 0; s < streams; ++s) {
    standard_normals(site_key(s, "ks"), 2030, 0, m, z.data() + s * m);
    rejections +=
        ks_statistic({z.begin() + s * m, z.begin() + (s + 1) * m}) > 1.63 / std::sqrt(double(m));
  }
  EXPECT_LE(rejections, 2);
  EXPECT_LT(ks_statistic(z), 1.63 / std::sqrt(double(n)));

  double sum = 0, sum2 = 0;
  for (double x : z) sum += x;
  const double mean = sum / n;
  for (double x : z) sum2 += (x - mean) * (x - mean);
  const double var = sum2 / (n - 1);
  EXPECT_NEAR(mean, 0.0, 5 / std::sqrt(double(n)));
  EXPECT_NEAR(var, 1.0, 5 * std::sqrt(2.0 / n));  // var(s^2) = 2 sigma^4 / n
}

TEST(Philox, InverseNormalCdfMatchesBoostToOneUlpOrSo) {
  const boost::math::normal_distribution<double> phi;
  std::vector<double> grid = {1e-300, 1e-200, 1e-100,   1e-50,     1e-20,     1e-11,
                              1e-10,  1e-5,   0.01,     0.0749,    0.075,     0.07501,
                              0.2,    0.4999, 0.5,      0.5001,    0.8,       0.925,
                              0.9251, 0.99,   1 - 1e-5, 1 - 1e-10, 1 - 1e-15, 1 - 1e-16};
  for (int i = 1; i < 10000; ++i) grid.push_back(i / 10000.0);
  for (double e = -300; e < -1; e += 0.37) {
    grid.push_back(std::pow(10.0, e));
    grid.push_back(1.0 - std::pow(10.0, e));
  }
  for (double u : grid) {
    if (!(u > 0 && u < 1)) continue;
    const double want = boost::math::quantile(phi, u);
    EXPECT_NEAR(inverse_normal_cdf(u), want, 1e-15 * std::fabs(want)) << "u = " << u;
  }
  EXPECT_EQ(inverse_normal_cdf(0.5), 0.0);
  EXPECT_EQ(inverse_normal_cdf(0.0), -INFINITY);
  EXPECT_EQ(inverse_normal_cdf(1.0), INFINITY);
  EXPECT_TRUE(std::isnan(inverse_normal_cdf(NAN)));
}

}  // namespace
}  // namespace tamnhin::random
