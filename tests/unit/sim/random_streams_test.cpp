// Named random streams and common random numbers (MODEL_FORMAT.md, "Randomness"): every
// random number is a pure function of (seed, site name, draw, year), so adding an unrelated
// variable, parameter or shock group, or reordering the file, leaves every other value
// bit-identical; two scenarios that differ in a lever see the same noise in every draw;
// and a different seed gives different draws.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

using random::SamplingDesign;

const char* const kHeader = R"toml(
[model]
name = "streams"
base_year = 2023
end_year = 2030
)toml";

const char* const kBody = R"toml(
[params]
okun  = { dist = "normal", mean = 0.30, sd = 0.05 }
elast = { dist = "uniform", min = 0.10, max = 0.30 }

[shocks.macro]
names  = ["growth_z", "price_z"]
matrix = [[1.0, 0.4], [0.4, 1.0]]

[vars.shock]
base = 0.0
eq = "0.4 * prev(shock) + normal(0, 0.012) + 0.01 * growth_z"

[vars.growth]
unit = "1/yr"
eq = "0.065 + shock + elast * uniform(-0.01, 0.01)"

[vars.unemployment]
unit = "%"
base = 2.07
eq = "prev(unemployment) - okun * (growth - 0.065) * 100 + triangular(-0.1, 0, 0.1)"
min = 1.0

[vars.prices]
unit = "1"
base = 1.0
eq = "prev(prices) * (1.03 + 0.01 * price_z) * lognormal(0, 0.01)"
)toml";

const char* const kUnrelatedVar = R"toml(
[vars.aaa_noise]
unit = "1"
base = 0.0
eq = "prev(aaa_noise) + normal(0, 1) + normal(5, 2) * uniform(0, 1)"
min = -1.0
)toml";

const char* const kUnrelatedParam = R"toml(
[params.aaa_param]
dist = "normal"
mean = 1
sd = 1

[vars.aaa_uses_param]
unit = "1"
eq = "aaa_param * normal(0, 1)"
)toml";

const char* const kUnrelatedShocks = R"toml(
[shocks.aaa_group]
names  = ["aaa_z1", "aaa_z2"]
matrix = [[1.0, 0.9], [0.9, 1.0]]

[vars.aaa_uses_shocks]
unit = "1"
eq = "aaa_z1 + aaa_z2"
)toml";

constexpr std::size_t kDraws = 700;

// Every recorded variable of `a` is in `b` with the same bits, and so are the clamp counts
// of every variable of `a`.
void expect_shared_columns_identical(const Program& a, const ScenarioOutcome& oa, const Program& b,
                                     const ScenarioOutcome& ob, const std::string& what) {
  ASSERT_EQ(oa.cube.draws, ob.cube.draws);
  for (const auto& rec : a.recorded) {
    for (int year = a.base_year; year < a.base_year + a.years; ++year) {
      const auto x = test::column(a, oa.cube, rec.name, year);
      const auto y = test::column(b, ob.cube, rec.name, year);
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)), 0)
          << what << ": " << rec.name << " in " << year;
    }
  }
  for (std::size_t v = 0; v < a.vars.size(); ++v) {
    const std::size_t w = test::var_index(b, a.vars[v].name);
    EXPECT_EQ(oa.clamps.low[v], ob.clamps.low[w]) << what << ": " << a.vars[v].name;
    EXPECT_EQ(oa.clamps.high[v], ob.clamps.high[w]) << what << ": " << a.vars[v].name;
  }
}

TEST(RandomStreams, UnrelatedAdditionsLeaveOtherDrawsUnchanged) {
  const Program base = test::compile_text(std::string(kHeader) + kBody);
  const struct {
    const char* what;
    std::string text;
    std::vector<SamplingDesign> designs;
  } cases[] = {
      // Before and after the others in the file; a variable never touches the parameters.
      {"variable first",
       std::string(kHeader) + kUnrelatedVar + kBody,
       {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}},
      {"variable last", std::string(kHeader) + kBody + kUnrelatedVar, {SamplingDesign::mc}},
      // Sobol dimensions follow the parameters' positions, so only mc and lhs promise this.
      {"parameter",
       std::string(kHeader) + kBody + kUnrelatedParam,
       {SamplingDesign::mc, SamplingDesign::lhs}},
      {"shock group", std::string(kHeader) + kUnrelatedShocks + kBody, {SamplingDesign::mc}},
  };
  for (const auto& c : cases) {
    const Program extended = test::compile_text(c.text);
    ASSERT_GT(extended.recorded.size(), base.recorded.size()) << c.what;
    for (SamplingDesign design : c.designs) {
      const std::string what = std::string(c.what) + ", " + to_string(design);
      expect_shared_columns_identical(base, test::simulate(base, kDraws, 42, design), extended,
                                      test::simulate(extended, kDraws, 42, design), what);
    }
  }
}

TEST(RandomStreams, FileOrderDoesNotMatter) {
  const Program forward = test::compile_text(std::string(kHeader) + kBody);
  // The same definitions, variables and parameters in reverse order.
  const Program reversed = test::compile_text(std::string(kHeader) + R"toml(
[vars.prices]
unit = "1"
base = 1.0
eq = "prev(prices) * (1.03 + 0.01 * price_z) * lognormal(0, 0.01)"

[vars.unemployment]
unit = "%"
base = 2.07
eq = "prev(unemployment) - okun * (growth - 0.065) * 100 + triangular(-0.1, 0, 0.1)"
min = 1.0

[vars.growth]
unit = "1/yr"
eq = "0.065 + shock + elast * uniform(-0.01, 0.01)"

[vars.shock]
base = 0.0
eq = "0.4 * prev(shock) + normal(0, 0.012) + 0.01 * growth_z"

[shocks.macro]
names  = ["growth_z", "price_z"]
matrix = [[1.0, 0.4], [0.4, 1.0]]

[params]
elast = { dist = "uniform", min = 0.10, max = 0.30 }
okun  = { dist = "normal", mean = 0.30, sd = 0.05 }
)toml");
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs}) {
    expect_shared_columns_identical(forward, test::simulate(forward, kDraws, 8, design), reversed,
                                    test::simulate(reversed, kDraws, 8, design),
                                    std::string("reversed, ") + to_string(design));
  }
}

// Draw i does not depend on how many draws are run (mc): a run of 100 draws is the prefix
// of a run of 700.
TEST(RandomStreams, DrawsDoNotDependOnTheirCount) {
  const Program program = test::compile_text(std::string(kHeader) + kBody);
  const ScenarioOutcome small = test::simulate(program, 100, 3);
  const ScenarioOutcome large = test::simulate(program, kDraws, 3);
  for (const auto& rec : program.recorded) {
    for (int year = 2023; year <= 2030; ++year) {
      const auto x = test::column(program, small.cube, rec.name, year);
      const auto y = test::column(program, large.cube, rec.name, year);
      EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)), 0)
          << rec.name << " in " << year;
    }
  }
}

TEST(RandomStreams, ScenariosDifferingInALeverShareTheirNoise) {
  const test::TempDir dir;
  dir.write("model.toml", std::string(kHeader) + kBody + R"toml(
[vars.budget]
unit = "share"
lever = true
path = { 2024 = 0.20, 2030 = 0.25 }

[vars.outcome]
unit = "1"
eq = "2 * budget + normal(0, 1) + okun"
)toml");
  const std::string base_file = dir.write("base.toml", R"toml(
[scenario]
name = "base"
model = "model.toml"
)toml");
  const std::string alt_file = dir.write("alt.toml", R"toml(
[scenario]
name = "alt"
extends = "base.toml"

[vars.budget]
path = { 2024 = 0.20, 2026 = 0.30 }
)toml");
  const Program base = test::compile_file(base_file);
  const Program alt = test::compile_file(alt_file);
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    SCOPED_TRACE(to_string(design));
    const ScenarioOutcome ob = test::simulate(base, kDraws, 2024, design);
    const ScenarioOutcome oa = test::simulate(alt, kDraws, 2024, design);
    // Nothing but budget and outcome depends on the lever: bit-identical.
    for (const char* name : {"growth", "unemployment", "prices"}) {
      for (int year = 2023; year <= 2030; ++year) {
        const auto x = test::column(base, ob.cube, name, year);
        const auto y = test::column(alt, oa.cube, name, year);
        EXPECT_EQ(std::memcmp(x.data(), y.data(), x.size() * sizeof(double)), 0)
            << name << " in " << year;
      }
    }
    // The outcome differs by the policy alone: 2 * (change in budget) in every draw.
    int years_that_differ = 0;
    for (int year = 2023; year <= 2030; ++year) {
      const auto bb = test::column(base, ob.cube, "budget", year);
      const auto ba = test::column(alt, oa.cube, "budget", year);
      const auto xb = test::column(base, ob.cube, "outcome", year);
      const auto xa = test::column(alt, oa.cube, "outcome", year);
      years_that_differ += ba[0] != bb[0];
      for (std::size_t d = 0; d < kDraws; ++d)
        ASSERT_NEAR(xa[d] - xb[d], 2 * (ba[d] - bb[d]), 1e-12) << year << " draw " << d;
    }
    EXPECT_EQ(years_that_differ, 6);  // 2025..2030; the paths agree up to 2024
  }
}

TEST(RandomStreams, ChangingTheSeedChangesTheDraws) {
  const Program program = test::compile_text(std::string(kHeader) + kBody);
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    const ScenarioOutcome a = test::simulate(program, kDraws, 1, design);
    const ScenarioOutcome b = test::simulate(program, kDraws, 2, design);
    for (const char* name : {"growth", "unemployment", "prices"}) {
      for (int year = 2024; year <= 2030; ++year) {
        const auto x = test::column(program, a.cube, name, year);
        const auto y = test::column(program, b.cube, name, year);
        std::size_t same = 0;
        for (std::size_t d = 0; d < kDraws; ++d) same += x[d] == y[d];
        // Only a clamp (unemployment at its floor) can make two draws agree.
        if (std::string(name) != "unemployment") {
          EXPECT_EQ(same, 0u) << name << " " << year;
        }
        EXPECT_LT(same, kDraws / 2) << name << " " << year;
        // Independent streams: correlation 0 with se 1/sqrt(N); growth is dominated by
        // the yearly noise, which has no reason to correlate across seeds.
        if (std::string(name) == "growth") {
          EXPECT_NEAR(test::correlation(x, y), 0.0, 4 / std::sqrt(double(kDraws)))
              << to_string(design) << " " << year;
        }
      }
    }
  }
}

}  // namespace
}  // namespace tamnhin
