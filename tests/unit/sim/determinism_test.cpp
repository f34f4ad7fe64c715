// Results are a pure function of (inputs, seed): the serial driver with any batch size and
// the parallel driver under 1 or 2 threads give the same bits (compared with memcmp) and
// the same clamp counts, for every sampling design; run_study gives identical reports for
// any thread count, group size and batch size; and any batch can be replayed on its own.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "engine/sim/study.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

using random::SamplingDesign;

// Every kind of randomness and every stateful construct, plus bounds that bind often.
const char* const kRich = R"toml(
[model]
name = "rich"
base_year = 2023
end_year = 2035

[params]
okun  = { dist = "normal", mean = 0.30, sd = 0.05 }
elast = { dist = "uniform", min = 0.10, max = 0.30 }
tri   = { dist = "triangular", min = 0, mode = 1, max = 3 }
share = { dist = "beta", alpha = 2, beta = 5 }
scale = { dist = "lognormal", mu = 0, sigma = 0.2 }
fixed = 0.035

[[correlations]]
params = ["okun", "elast"]
matrix = [[1.0, -0.3], [-0.3, 1.0]]

[tables.response]
points = [[0.0, 0.0], [1.0, 0.6], [3.0, 0.9], [10.0, 1.0]]

[shocks.macro]
names  = ["growth_z", "price_z"]
matrix = [[1.0, 0.4], [0.4, 1.0]]

[vars.growth_path]
unit = "1/yr"
lever = true
path = { 2024 = 0.065, 2030 = 0.08, 2035 = 0.06 }

[vars.growth_shock]
base = 0.0
eq = "0.4 * prev(growth_shock) + 0.012 * growth_z + normal(0, 0.003)"

[vars.gdp_growth]
unit = "1/yr"
eq = "growth_path + growth_shock"

[vars.unemployment]
unit = "%"
base = 2.07
eq = "prev(unemployment) - okun * (gdp_growth - 0.065) * 100 + uniform(-0.3, 0.3) * scale"
min = 1.5
max = 2.5
targets = [ { year = 2030, below = 2.0, source = "test" } ]

[vars.coverage]
unit = "1"
eq = "lookup(response, tri + elast * t + triangular(0, 0.5, 2)) * share"

[vars.smoothed_prices]
unit = "1"
base = 1.0
eq = "prev(smoothed_prices, 2) * (1 + fixed + 0.01 * price_z) + smooth(lognormal(0, 0.1), 3) - 1"
targets = [ { year = 2035, above = 1.2, source = "test" } ]
)toml";

constexpr std::size_t kDraws = 1000;  // not a multiple of 7 or 256: partial last batches

TEST(Determinism, DriversBatchSizesAndThreadsGiveIdenticalBits) {
  const Program program = test::compile_text(kRich);
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    const std::string d = to_string(design);
    const PreparedScenario s = prepare_scenario(program, kDraws, 2024, design);
    const ScenarioOutcome reference = simulate_serial(s, 256);
    // The comparison has power only if the clamps bind and the draws differ.
    const std::size_t u = test::var_index(program, "unemployment");
    EXPECT_GT(reference.clamps.low[u], 0u) << d;
    EXPECT_GT(reference.clamps.high[u], 0u) << d;
    const auto g = test::column(program, reference.cube, "gdp_growth", 2030);
    EXPECT_NE(g.front(), g.back()) << d;
    for (std::size_t batch : {1, 7, 256}) {
      test::expect_same_outcome(simulate_serial(s, batch), reference,
                                d + " serial batch " + std::to_string(batch));
    }
    for (int threads : {1, 2}) {
      for (std::size_t batch : {7, 256}) {
        test::expect_same_outcome(
            test::simulate_study(program, kDraws, 2024, design, threads, batch), reference,
            d + " study threads " + std::to_string(threads) + " batch " + std::to_string(batch));
      }
    }
    // A second preparation from the same inputs is the same.
    test::expect_same_outcome(simulate_serial(prepare_scenario(program, kDraws, 2024, design), 256),
                              reference, d + " prepared twice");
  }
}

// Any draw is replayable: one batch simulated alone, with a workspace last used by another
// program, writes exactly the reference run's values for its draws.
TEST(Determinism, OneBatchReplaysAlone) {
  const Program program = test::compile_text(kRich);
  const Program other = test::compile_text(R"toml(
[model]
name = "other"
base_year = 2000
end_year = 2040

[vars.z]
unit = "1"
base = 7.0
eq = "prev(z) + normal(1, 100)"
)toml");
  const PreparedScenario s = prepare_scenario(program, kDraws, 99, SamplingDesign::mc);
  const ScenarioOutcome reference = simulate_serial(s, 256);

  Workspace w;
  {
    const PreparedScenario o = prepare_scenario(other, 64, 1, SamplingDesign::mc);
    Cube scratch(other.recorded.size(), static_cast<std::size_t>(other.years), 64);
    ClampCounts c;
    c.resize(other.vars.size());
    w.prepare(other, 64);
    simulate_batch(o, 0, 64, w, scratch, c);
  }
  const std::size_t draw0 = 503, n = 37;
  Cube cube(program.recorded.size(), static_cast<std::size_t>(program.years), kDraws);
  ClampCounts clamps;
  clamps.resize(program.vars.size());
  w.prepare(program, n);
  simulate_batch(s, draw0, n, w, cube, clamps);
  for (std::size_t v = 0; v < cube.variables; ++v) {
    for (std::size_t y = 0; y < cube.years; ++y) {
      EXPECT_EQ(std::memcmp(cube.column(v, y) + draw0, reference.cube.column(v, y).data() + draw0,
                            n * sizeof(double)),
                0)
          << program.recorded[v].name << " year index " << y;
    }
  }
}

void expect_same_summary(const stats::Summary& a, const stats::Summary& b, const std::string& w) {
  const double x[] = {a.mean, a.sd, a.p05, a.p25, a.p50, a.p75, a.p95};
  const double y[] = {b.mean, b.sd, b.p05, b.p25, b.p50, b.p75, b.p95};
  EXPECT_EQ(std::memcmp(x, y, sizeof x), 0) << w;
}

void expect_same_result(const ScenarioResult& a, const ScenarioResult& b, const std::string& w) {
  EXPECT_EQ(a.report.scenario, b.report.scenario) << w;
  EXPECT_EQ(a.report.model, b.report.model) << w;
  EXPECT_EQ(a.report.base_year, b.report.base_year) << w;
  EXPECT_EQ(a.report.end_year, b.report.end_year) << w;
  EXPECT_EQ(a.report.draws, b.report.draws) << w;
  ASSERT_EQ(a.report.variables.size(), b.report.variables.size()) << w;
  for (std::size_t v = 0; v < a.report.variables.size(); ++v) {
    const auto& va = a.report.variables[v];
    const auto& vb = b.report.variables[v];
    EXPECT_EQ(va.name, vb.name) << w;
    EXPECT_EQ(va.unit, vb.unit) << w;
    ASSERT_EQ(va.by_year.size(), vb.by_year.size()) << w;
    for (std::size_t y = 0; y < va.by_year.size(); ++y)
      expect_same_summary(va.by_year[y], vb.by_year[y], w + " " + va.name);
  }
  ASSERT_EQ(a.report.targets.size(), b.report.targets.size()) << w;
  for (std::size_t t = 0; t < a.report.targets.size(); ++t) {
    const auto& ta = a.report.targets[t];
    const auto& tb = b.report.targets[t];
    EXPECT_EQ(ta.variable, tb.variable) << w;
    EXPECT_EQ(ta.year, tb.year) << w;
    const double x[] = {ta.threshold, ta.odds.probability, ta.odds.probability_se,
                        ta.odds.p50,  ta.odds.p05,         ta.odds.p95};
    const double y[] = {tb.threshold, tb.odds.probability, tb.odds.probability_se,
                        tb.odds.p50,  tb.odds.p05,         tb.odds.p95};
    EXPECT_EQ(std::memcmp(x, y, sizeof x), 0) << w << " target " << t;
    EXPECT_EQ(ta.odds.first_year_p50, tb.odds.first_year_p50) << w << " target " << t;
  }
  EXPECT_EQ(a.clamps.low, b.clamps.low) << w;
  EXPECT_EQ(a.clamps.high, b.clamps.high) << w;
}

TEST(Determinism, StudyReportsDoNotDependOnThreadsGroupsOrBatches) {
  const Program rich = test::compile_text(kRich);
  const Program walk = test::compile_text(R"toml(
[model]
name = "walk"
base_year = 2020
end_year = 2030

[vars.x]
unit = "index"
base = 100.0
eq = "prev(x) * exp(normal(0.02, 0.1))"
targets = [ { year = 2030, above = 130.0, source = "test" } ]
)toml");
  const std::vector<StudyScenario> scenarios = {
      test::study_scenario("a", rich, kDraws, 1, SamplingDesign::mc),
      test::study_scenario("b", walk, 333, 2, SamplingDesign::mc),
      test::study_scenario("c", rich, 517, 3, SamplingDesign::lhs),
      test::study_scenario("d", rich, 1024, 4, SamplingDesign::sobol),
      test::study_scenario("e", walk, 1, 5, SamplingDesign::mc),
  };
  StudySettings reference_settings;
  reference_settings.threads = 1;
  reference_settings.group_size = 1;
  reference_settings.batch_size = 256;
  const auto reference = run_study(scenarios, reference_settings);
  ASSERT_EQ(reference.size(), scenarios.size());

  // The reports are those of the serial driver, summarised.
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const StudyScenario& sc = scenarios[i];
    const ScenarioOutcome out =
        simulate_serial(prepare_scenario(*sc.program, sc.draws, sc.seed, sc.design), 64);
    ScenarioResult direct;
    direct.report = stats::summarise_scenario({.scenario = sc.name,
                                               .model = sc.program->model_name,
                                               .region = sc.program->region,
                                               .description = {},
                                               .base_year = sc.program->base_year},
                                              out.cube, sc.program->recorded, sc.program->targets);
    direct.clamps = out.clamps;
    expect_same_result(reference[i], direct, "serial oracle, scenario " + sc.name);
  }

  for (unsigned threads : {1u, 2u}) {
    for (std::size_t group : {1, 4}) {
      for (std::size_t batch : {7, 256}) {
        StudySettings s;
        s.threads = threads;
        s.group_size = group;
        s.batch_size = batch;
        const auto results = run_study(scenarios, s);
        ASSERT_EQ(results.size(), scenarios.size());
        for (std::size_t i = 0; i < results.size(); ++i) {
          expect_same_result(results[i], reference[i],
                             "threads " + std::to_string(threads) + " group " +
                                 std::to_string(group) + " batch " + std::to_string(batch) +
                                 " scenario " + scenarios[i].name);
        }
      }
    }
  }
}

}  // namespace
}  // namespace tamnhin
