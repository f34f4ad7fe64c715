// The batch kernel is built for x86-64's baseline (SSE2), for AVX2 and for AVX-512, and the
// CPU picks one (engine/sim/simulate.cpp). All must give the same bits, or a result would
// depend on the machine it ran on: this runs every op kind, and a shipped model, through
// every build this CPU can run and compares the cubes byte for byte with the baseline's.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "engine/core/check.hpp"
#include "engine/core/portable_math_lanes.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

// Every op of the kernel: arithmetic, comparisons and logic, min/max/clamp, the portable
// exp/log/pow/logistic, sqrt, the rounding functions, mod, sin/cos, select, triangular and
// uniform draws, lookup, ramp, smooth, delays, shock groups, clamps that bind, and lags.
const char* const kEveryOp = R"toml(
[model]
name = "every op"
base_year = 2023
end_year = 2035

[params]
a = { dist = "normal", mean = 1.0, sd = 0.3 }
b = { dist = "uniform", min = 0.2, max = 2.5 }

[tables.curve]
points = [[0.0, 0.0], [1.0, 0.6], [3.0, 0.9]]

[shocks.macro]
names  = ["demand", "prices"]
matrix = [[1.0, 0.4], [0.4, 1.0]]

[vars.x]
base = 1.5
eq = "prev(x) * (1 + 0.02 * demand) + normal(0, 0.05)"
unit = "index"

[vars.arith]
eq = "(x + a) * b / (1 + abs(a)) - x ^ b + x ^ 2 + sqrt(b) - -a"
unit = "index"

[vars.logic]
eq = "(x < a) + (x <= b) + (x > 1) * 2 + (x >= a) + (x == x) + (a != b) + (x > 1 and a < 1) + (x > 2 or b < 1) + (not a > 1)"
unit = "count"

[vars.functions]
eq = "exp(a / 3) + log(b) + logistic(x - 1) + min(x, a) + max(x, b) + clamp(a, 0.5, 1.5) + floor(x * 3) + ceil(b) + round(a * 2) + mod(x * 7, b) + sin(x) + cos(a)"
unit = "index"

[vars.chosen]
eq = "if(x > a, pow(x, a), log(x + 2)) + triangular(0, 1, 3) + uniform(0, 1) + lognormal(0, 0.1)"
unit = "index"

[vars.stateful]
eq = "lookup(curve, x) + ramp(2025, a, 2030, b) + smooth(x, 3) + delay1(x, 2) + delay3(b, 3) + prices"
unit = "index"

[vars.bounded]
base = 0.3
eq = "prev(bounded) * (1 + 0.2 * demand) + 0.01 * prev(x, 2)"
min = 0.1
max = 0.5
unit = "share"
)toml";

void expect_same_bits(const Program& program, std::size_t draws) {
  const PreparedScenario prepared =
      prepare_scenario(program, draws, 2024, random::SamplingDesign::mc);
  detail::use_kernel_build(detail::KernelBuild::baseline);
  const ScenarioOutcome baseline = simulate_serial(prepared, 64);
  for (const detail::KernelBuild build : detail::kernel_builds()) {
    SCOPED_TRACE("build " + std::to_string(static_cast<int>(build)));
    detail::use_kernel_build(build);
    test::expect_same_outcome(simulate_serial(prepared, 64), baseline);
  }
  detail::use_best_kernel_build();
}

TEST(KernelBuilds, TheCpusBestBuildRunsByDefault) {
  const std::vector<detail::KernelBuild> builds = detail::kernel_builds();
  ASSERT_FALSE(builds.empty());
  EXPECT_EQ(builds.front(), detail::KernelBuild::baseline);
  EXPECT_EQ(builds.size(), 1u + (pmath::has_avx2() ? 1u : 0u) + (pmath::has_avx512() ? 1u : 0u));
  EXPECT_THROW(detail::use_kernel_build(static_cast<detail::KernelBuild>(99)), InternalError);
}

TEST(KernelBuilds, EveryOpGivesTheSameBits) {
  if (!pmath::has_avx2()) GTEST_SKIP() << "this CPU has no AVX2: only the baseline build runs";
  const Program program = test::compile_text(kEveryOp);
  expect_same_bits(program, 1000);
  // The clamps bind in some draws and not in others, so both paths of finish_var run.
  const ScenarioOutcome out =
      simulate_serial(prepare_scenario(program, 1000, 2024, random::SamplingDesign::mc), 64);
  const std::size_t bounded = test::var_index(program, "bounded");
  EXPECT_GT(out.clamps.low[bounded] + out.clamps.high[bounded], 0u);
}

TEST(KernelBuilds, ShippedModelGivesTheSameBits) {
  if (!pmath::has_avx2()) GTEST_SKIP() << "this CPU has no AVX2: only the baseline build runs";
  expect_same_bits(
      test::compile_file(std::string(TAMNHIN_SOURCE_DIR) + "/scenarios/long_an/baseline.toml"),
      500);
}

}  // namespace
}  // namespace tamnhin
