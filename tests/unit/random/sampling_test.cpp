// Sampling designs without correlations: each design follows its documented recipe, LHS
// and Sobol are stratified, results are pure functions of (inputs, seed) whatever the
// thread count, and values are keyed by parameter name.
#include "engine/random/sampling.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <bit>
#include <boost/random/sobol.hpp>
#include <cstring>
#include <set>

#include "tests/unit/random/sampling_test_util.hpp"

namespace tamnhin::random {
namespace {

using testing::column;
using testing::param;
using testing::unit_uniform;

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

TEST(Sampling, PermutationElementIsAPermutationThatDependsOnTheKey) {
  for (std::uint32_t n : {1u, 2u, 3u, 7u, 1000u, 1024u, 1025u}) {
    for (std::uint64_t key : {0ULL, 0x123456789abcdef0ULL}) {
      std::set<std::uint32_t> seen;
      for (std::uint32_t i = 0; i < n; ++i) seen.insert(permutation_element(i, n, key));
      EXPECT_EQ(seen.size(), n);
      EXPECT_LT(*seen.rbegin(), n);
    }
  }
  int same = 0;
  for (std::uint32_t i = 0; i < 1000; ++i)
    same += permutation_element(i, 1000, 1) == permutation_element(i, 1000, 2);
  EXPECT_LT(same, 20);  // about 1 expected for unrelated permutations
}

TEST(Sampling, McIsTheQuantileOfTheNamedPhiloxStream) {
  const std::vector<ParamSpecForSampling> ps = {param("okun", DistKind::normal, 0.3, 0.05),
                                                param("deflator", DistKind::constant, 0.035),
                                                param("train_elast", DistKind::uniform, 0.1, 0.3)};
  const std::size_t n = 5000;  // several parallel chunks
  const ParamDraws r = sample_parameters(ps, {}, SamplingDesign::mc, 42, n);
  ASSERT_EQ(r.params, 3u);
  ASSERT_EQ(r.draws, n);
  ASSERT_EQ(r.values.size(), 3 * n);
  for (std::size_t p : {0u, 2u}) {
    const std::uint64_t key = site_key(42, "param/" + ps[p].name);
    for (std::size_t d = 0; d < n; ++d)
      ASSERT_EQ(bits(r.column(p)[d]), bits(quantile(ps[p].marginal, uniform(key, d, 0))))
          << ps[p].name << " draw " << d;
  }
  for (std::size_t d = 0; d < n; ++d) ASSERT_EQ(r.column(1)[d], 0.035);
}

TEST(Sampling, SobolIsTheShiftedBoostSequenceStartingAtTheOrigin) {
  // The constant in the middle takes no dimension: a and c are dimensions 0 and 1.
  const std::vector<ParamSpecForSampling> ps = {
      unit_uniform("a"), param("k", DistKind::constant, 2.0), unit_uniform("c")};
  const std::size_t n = 5000;
  const ParamDraws r = sample_parameters(ps, {}, SamplingDesign::sobol, 9, n);
  boost::random::sobol engine(2);  // one sequential engine: the chunked result must match
  const std::uint64_t shift[] = {site_key(9, "sobol/a"), site_key(9, "sobol/c")};
  for (std::size_t d = 0; d < n; ++d) {
    for (std::size_t j = 0; j < 2; ++j) {
      // Draw 0 is the origin (Boost's engine starts after it), shifted like every point.
      const std::uint64_t x = (d == 0 ? 0 : engine()) ^ shift[j];
      const double u =
          std::min((static_cast<double>(x >> 11) + 0.5) * 0x1p-53, 0x1.fffffffffffffp-1);
      ASSERT_EQ(bits(r.column(j == 0 ? 0 : 2)[d]), bits(u)) << "draw " << d << " dim " << j;
    }
    ASSERT_EQ(r.column(1)[d], 2.0);
  }
}

TEST(Sampling, LhsIsExactlyStratified) {
  const std::vector<ParamSpecForSampling> ps = {unit_uniform("a"), unit_uniform("b"),
                                                unit_uniform("c")};
  for (std::size_t n : {1u, 2u, 1000u, 4099u}) {
    const ParamDraws r = sample_parameters(ps, {}, SamplingDesign::lhs, 5, n);
    for (std::size_t p = 0; p < ps.size(); ++p) {
      const std::vector<double> u = column(r, p);
      EXPECT_TRUE(testing::exactly_stratified(u)) << "n " << n << " p " << p;
      EXPECT_LE(testing::sorted_deviation_in_strata(u), 0.5) << "n " << n;
      // Only the jitter inside strata varies: sd of the mean = sqrt(1/12) / n^1.5.
      const double nd = static_cast<double>(n);
      EXPECT_NEAR(testing::mean_of(u), 0.5, 5 * std::sqrt(1.0 / 12) / (nd * std::sqrt(nd)));
    }
    // Different names give different permutations: the columns are not in lockstep.
    if (n == 1000) {
      EXPECT_LT(std::fabs(testing::spearman(column(r, 0), column(r, 1))), 0.1);
    }
  }
}

TEST(Sampling, SobolIsStratifiedUpToItsDiscrepancy) {
  // With the origin kept, the first 2^m points are a (0, m, s)-net: exactly one point in
  // each cell of width 1/2^m, so sorted values lie within 0.5/N of the stratum centres. At
  // N = 1000 the prefix is not a net; the bound is the prefix's discrepancy (2.91/N was
  // the worst over 3000 random shifts without the origin; 3/N leaves room).
  const std::vector<ParamSpecForSampling> ps = {unit_uniform("a"), unit_uniform("b"),
                                                unit_uniform("c")};
  for (std::uint64_t seed : {1ULL, 2ULL, 3ULL}) {
    const ParamDraws r1024 = sample_parameters(ps, {}, SamplingDesign::sobol, seed, 1024);
    const ParamDraws r1000 = sample_parameters(ps, {}, SamplingDesign::sobol, seed, 1000);
    for (std::size_t p = 0; p < ps.size(); ++p) {
      EXPECT_TRUE(testing::exactly_stratified(column(r1024, p)));
      EXPECT_LE(testing::sorted_deviation_in_strata(column(r1024, p)), 0.5 + 1e-9);
      EXPECT_NEAR(testing::mean_of(column(r1024, p)), 0.5, 1.0 / 1024);
      EXPECT_LE(testing::sorted_deviation_in_strata(column(r1000, p)), 3.0);
      EXPECT_NEAR(testing::mean_of(column(r1000, p)), 0.5, 2.0 / 1000);
    }
  }
}

TEST(Sampling, ConstantsAreTheirValueAndZeroDrawsIsEmpty) {
  const std::vector<ParamSpecForSampling> ps = {param("k", DistKind::constant, -1.25)};
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    const ParamDraws r = sample_parameters(ps, {}, design, 1, 3000);
    for (double x : r.values) ASSERT_EQ(x, -1.25);
    const ParamDraws e = sample_parameters(ps, {}, design, 1, 0);
    EXPECT_EQ(e.params, 1u);
    EXPECT_EQ(e.draws, 0u);
    EXPECT_TRUE(e.values.empty());
  }
}

TEST(Sampling, IdenticalBytesForOneAndTwoThreads) {
  const std::vector<ParamSpecForSampling> ps = {
      param("okun", DistKind::normal, 0.3, 0.05), param("train", DistKind::uniform, 0.1, 0.3),
      param("k", DistKind::constant, 1.0), param("beta", DistKind::beta, 2, 3, 0, 1),
      param("tri", DistKind::triangular, 0, 1, 3)};
  const std::vector<CorrelationGroup> corr = {
      {{0, 1, 4}, {1, -0.3, 0.2, -0.3, 1, 0.4, 0.2, 0.4, 1}}};
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    ParamDraws one, two, again;
    {
      tbb::global_control c(tbb::global_control::max_allowed_parallelism, 1);
      one = sample_parameters(ps, corr, design, 2024, 10007);
    }
    {
      tbb::global_control c(tbb::global_control::max_allowed_parallelism, 2);
      two = sample_parameters(ps, corr, design, 2024, 10007);
      again = sample_parameters(ps, corr, design, 2024, 10007);
    }
    ASSERT_EQ(one.values.size(), two.values.size());
    EXPECT_EQ(std::memcmp(one.values.data(), two.values.data(), one.values.size() * sizeof(double)),
              0)
        << "design " << int(design);
    EXPECT_EQ(
        std::memcmp(two.values.data(), again.values.data(), two.values.size() * sizeof(double)), 0);
  }
}

TEST(Sampling, AddingAParameterLeavesOthersUnchanged) {
  // Named streams (common random numbers): mc and lhs values depend on the name, not on
  // the position or on the other parameters. (Sobol dimensions are positions by design.)
  const std::vector<ParamSpecForSampling> before = {param("okun", DistKind::normal, 0.3, 0.05),
                                                    unit_uniform("train")};
  const std::vector<ParamSpecForSampling> after = {
      unit_uniform("new_one"), param("okun", DistKind::normal, 0.3, 0.05),
      param("k", DistKind::constant, 3.0), unit_uniform("train")};
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs}) {
    const ParamDraws a = sample_parameters(before, {}, design, 77, 3000);
    const ParamDraws b = sample_parameters(after, {}, design, 77, 3000);
    EXPECT_EQ(column(a, 0), column(b, 1)) << "design " << int(design);
    EXPECT_EQ(column(a, 1), column(b, 3)) << "design " << int(design);
    EXPECT_NE(column(b, 0), column(b, 3));  // same marginal, different name
  }
  // Constants take no Sobol dimension, so inserting one moves nothing.
  const std::vector<ParamSpecForSampling> with_const = {param("k", DistKind::constant, 3.0),
                                                        before[0], before[1]};
  const ParamDraws s1 = sample_parameters(before, {}, SamplingDesign::sobol, 77, 3000);
  const ParamDraws s2 = sample_parameters(with_const, {}, SamplingDesign::sobol, 77, 3000);
  EXPECT_EQ(column(s1, 0), column(s2, 1));
  EXPECT_EQ(column(s1, 1), column(s2, 2));
}

TEST(Sampling, SeedChangesEveryDesign) {
  const std::vector<ParamSpecForSampling> ps = {unit_uniform("a")};
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol})
    EXPECT_NE(sample_parameters(ps, {}, design, 1, 100).values,
              sample_parameters(ps, {}, design, 2, 100).values);
}

}  // namespace
}  // namespace tamnhin::random
