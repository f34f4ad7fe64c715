// A window of draws sampled alone (what a streamed run's chunks do) holds the same bits as
// those draws of the whole run's sampling, for every marginal, a correlation group and both
// per-draw designs; windows start and end anywhere, inside or across the sampler's
// parallel chunks. Latin hypercubes, whose strata span the whole run, are refused.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <string>

#include "engine/core/check.hpp"
#include "engine/random/sampling.hpp"
#include "tests/unit/random/sampling_test_util.hpp"

namespace tamnhin::random {
namespace {

using testing::param;
using testing::unit_uniform;

std::vector<ParamSpecForSampling> every_marginal() {
  return {param("growth", DistKind::normal, 6.5, 1.0),
          param("cost", DistKind::lognormal, 0.1, 0.2),
          unit_uniform("closure"),
          param("share", DistKind::triangular, 0.0, 0.2, 1.0),
          param("elast", DistKind::beta, 2.5, 4.0, 0.1, 0.9),
          param("floor", DistKind::normal, 0.3, 0.1, 0.25, 0.6),  // truncated
          param("deflator", DistKind::constant, 0.035)};
}

TEST(SamplingWindow, HoldsTheSameBitsAsTheWholeRunsDraws) {
  const std::vector<ParamSpecForSampling> ps = every_marginal();
  // "growth", "closure" and "elast" correlated (a Gaussian copula mixes a draw's values).
  const std::vector<CorrelationGroup> corr = {
      {{0, 2, 4}, {1, 0.5, -0.3, 0.5, 1, 0.2, -0.3, 0.2, 1}}};
  const std::size_t draws = 5000;  // three of the sampler's parallel chunks (2048 draws)
  for (const SamplingDesign design : {SamplingDesign::mc, SamplingDesign::sobol}) {
    const ParamDraws whole = sample_parameters(ps, corr, design, 42, draws);
    // Empty, at the start (the Sobol origin), inside one chunk, across chunk edges, odd
    // starts and lengths, the last draws, and all of them.
    const std::pair<std::size_t, std::size_t> windows[] = {
        {0, 0},    {0, 1},      {0, 1024}, {1, 3},       {1024, 1024}, {2000, 100},
        {2047, 2}, {777, 3333}, {4999, 1}, {3072, 1928}, {0, draws}};
    for (const auto& [first, count] : windows) {
      SCOPED_TRACE(std::string(to_string(design)) + " draws [" + std::to_string(first) + ", " +
                   std::to_string(first + count) + ")");
      const ParamDraws w = sample_parameter_window(ps, corr, design, 42, draws, first, count);
      ASSERT_EQ(w.params, ps.size());
      ASSERT_EQ(w.draws, count);
      ASSERT_EQ(w.first_draw, first);
      ASSERT_EQ(w.values.size(), ps.size() * count);
      for (std::size_t p = 0; p < ps.size(); ++p)
        for (std::size_t i = 0; i < count; ++i)
          ASSERT_EQ(std::bit_cast<std::uint64_t>(w.column(p)[i]),
                    std::bit_cast<std::uint64_t>(whole.column(p)[first + i]))
              << ps[p].name << " draw " << first + i;
    }
  }
}

TEST(SamplingWindow, RefusesLatinHypercubesAndWindowsOutsideTheRun) {
  const std::vector<ParamSpecForSampling> ps = {unit_uniform("a")};
  EXPECT_THROW(sample_parameter_window(ps, {}, SamplingDesign::lhs, 1, 100, 0, 10), InternalError);
  EXPECT_THROW(sample_parameter_window(ps, {}, SamplingDesign::mc, 1, 100, 95, 10), InternalError);
  EXPECT_THROW(sample_parameter_window(ps, {}, SamplingDesign::mc, 1, 100, 101, 0), InternalError);
  EXPECT_NO_THROW(sample_parameter_window(ps, {}, SamplingDesign::mc, 1, 100, 100, 0));
}

}  // namespace
}  // namespace tamnhin::random
