// Sobol' indices against closed forms. Tolerances are tied to the sample: an estimate must
// lie within 4 bootstrap standard errors (the 95% interval's half-width / 1.96) of the
// true value, plus 1e-3 for the bootstrap's own noise; with 2^13 rows these are a few
// hundredths at most.
#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <cmath>

#include "engine/random/philox.hpp"
#include "tests/unit/sensitivity/test_functions.hpp"

namespace tamnhin::analysis {
namespace {

using testing::evaluate;
using testing::Indices;
using testing::names;

SobolOptions options(std::uint64_t key = 11) {
  SobolOptions o;
  o.resamples = 500;
  o.bootstrap_key = key;
  return o;
}

void expect_indices(const SobolResult& r, const Indices& truth, const char* what) {
  ASSERT_EQ(r.factors.size(), truth.s1.size());
  for (std::size_t i = 0; i < truth.s1.size(); ++i) {
    const SobolIndex& f = r.factors[i];
    const double se1 = (f.s1_high - f.s1_low) / (2 * 1.96);
    const double set = (f.st_high - f.st_low) / (2 * 1.96);
    EXPECT_NEAR(f.s1, truth.s1[i], 4 * se1 + 1e-3) << what << " S1 of x" << i + 1;
    EXPECT_NEAR(f.st, truth.st[i], 4 * set + 1e-3) << what << " ST of x" << i + 1;
    EXPECT_LE(f.s1_low, f.s1_high);
    EXPECT_LE(f.st_low, f.st_high);
  }
}

TEST(SobolIndices, IshigamiMatchesClosedForm) {
  for (auto design : {random::SamplingDesign::mc, random::SamplingDesign::sobol}) {
    const SaltelliDesign d = saltelli_design(names(3), design, 42, 8192);
    const auto y = evaluate(d, testing::ishigami);
    const SobolResult r = sobol_indices(y.view(), options());
    expect_indices(r, testing::ishigami_indices(), random::to_string(design));
    EXPECT_TRUE(r.settled) << r.max_change;
  }
}

TEST(SobolIndices, GFunctionMatchesClosedForm) {
  for (auto design :
       {random::SamplingDesign::mc, random::SamplingDesign::lhs, random::SamplingDesign::sobol}) {
    const SaltelliDesign d = saltelli_design(names(6), design, 7, 8192);
    const auto y = evaluate(d, testing::g_function);
    expect_indices(sobol_indices(y.view(), options()), testing::g_indices(),
                   random::to_string(design));
  }
}

TEST(SobolIndices, LinearModelWithIndependentNormals) {
  // y = sum c_i x_i, x_i ~ N(mu_i, sd_i): S1_i = ST_i = c_i^2 sd_i^2 / sum_j c_j^2 sd_j^2.
  const std::vector<double> c{1, -2, 0.5, 0}, mu{3, 1, -1, 5}, sd{1, 0.5, 2, 1};
  const auto f = [&](const std::vector<double>& u) {
    double y = 0;
    for (std::size_t i = 0; i < c.size(); ++i)
      y += c[i] * (mu[i] + sd[i] * random::inverse_normal_cdf(u[i]));
    return y;
  };
  double total = 0;
  for (std::size_t i = 0; i < c.size(); ++i) total += c[i] * c[i] * sd[i] * sd[i];
  Indices truth;
  for (std::size_t i = 0; i < c.size(); ++i) {
    truth.s1.push_back(c[i] * c[i] * sd[i] * sd[i] / total);
    truth.st.push_back(truth.s1.back());
  }
  const SaltelliDesign d = saltelli_design(names(4), random::SamplingDesign::mc, 3, 8192);
  const auto y = evaluate(d, f);
  const SobolResult r = sobol_indices(y.view(), options());
  expect_indices(r, truth, "linear");
  // The inert input: f(A) and f(AB_4) are equal bits, so ST is exactly 0.
  EXPECT_EQ(r.factors[3].st, 0.0);
  EXPECT_EQ(r.factors[3].st_high, 0.0);
}

TEST(SobolIndices, IntervalNarrowsLikeOneOverRootN) {
  // Quadrupling N halves the interval (ratio 2 up to the bootstrap's noise).
  const auto width = [](std::size_t n) {
    const SaltelliDesign d = saltelli_design(names(3), random::SamplingDesign::mc, 5, n);
    const auto y = evaluate(d, testing::ishigami);
    const SobolResult r = sobol_indices(y.view(), options());
    return r.factors[0].st_high - r.factors[0].st_low;
  };
  const double ratio = width(1024) / width(4096);
  EXPECT_GT(ratio, 1.6);
  EXPECT_LT(ratio, 2.5);
}

TEST(SobolIndices, ConvergenceCheckReportsUnsettledIndices) {
  const SaltelliDesign d = saltelli_design(names(3), random::SamplingDesign::mc, 9, 64);
  const auto y = evaluate(d, testing::ishigami);
  const SobolResult r = sobol_indices(y.view(), options());
  double max_change = 0;
  for (const auto& f : r.factors)
    max_change = std::max({max_change, std::abs(f.s1 - f.s1_half), std::abs(f.st - f.st_half)});
  EXPECT_EQ(r.max_change, max_change);
  EXPECT_EQ(r.settled, max_change <= 0.05);
  EXPECT_FALSE(r.settled);  // 64 rows cannot pin Ishigami's indices to 0.05
}

TEST(SobolIndices, ConstantOutputHasNoIndices) {
  const SaltelliDesign d = saltelli_design(names(2), random::SamplingDesign::mc, 9, 64);
  const auto y = evaluate(d, [](const std::vector<double>&) { return 4.0; });
  const SobolResult r = sobol_indices(y.view(), options());
  EXPECT_EQ(r.variance, 0.0);
  EXPECT_TRUE(std::isnan(r.factors[0].s1));
  EXPECT_FALSE(r.settled);
}

TEST(SobolIndices, DeterministicForAnyThreadCount) {
  const SaltelliDesign d = saltelli_design(names(6), random::SamplingDesign::sobol, 1, 1024);
  const auto y = evaluate(d, testing::g_function);
  SobolResult one, many;
  {
    tbb::global_control limit(tbb::global_control::max_allowed_parallelism, 1);
    one = sobol_indices(y.view(), options());
  }
  many = sobol_indices(y.view(), options());
  for (std::size_t i = 0; i < one.factors.size(); ++i) {
    EXPECT_EQ(one.factors[i].s1_low, many.factors[i].s1_low);
    EXPECT_EQ(one.factors[i].st_high, many.factors[i].st_high);
  }
  const SaltelliDesign again = saltelli_design(names(6), random::SamplingDesign::sobol, 1, 1024);
  EXPECT_EQ(again.a, d.a);
  EXPECT_EQ(again.b, d.b);
  // A different bootstrap key gives different (but equally valid) intervals.
  EXPECT_NE(sobol_indices(y.view(), options(12)).factors[0].s1_low, one.factors[0].s1_low);
}

}  // namespace
}  // namespace tamnhin::analysis
