// simulates_the_same (same_simulation.hpp) and the study's reuse of a held cube
// (StudySettings::held_cube): scenarios that differ only in what is read after the
// simulation (targets, labels, descriptions) simulate the same; a change to anything the
// sampler or the kernel reads makes them differ. A study given the earlier scenario's cube
// does not simulate the later one, and its reports and clamp counts are those of a study
// that does, bit for bit.
#include <gtest/gtest.h>

#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "engine/sim/same_simulation.hpp"
#include "engine/sim/study.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

struct Variation {
  std::string share = "0.2";     // the path of a lever
  std::string drift_sd = "0.2";  // a parameter's sd
  std::string floor = "1.5";     // y's lower bound (clamped in some draws)
  std::string target = "3";      // y's target threshold, read only after simulating
  std::string label = "y";       // y's label, likewise
};

std::string model(const Variation& v) {
  return R"toml(
[model]
name = "twins"
base_year = 2023
end_year = 2030

[params]
drift = { dist = "normal", mean = 0.5, sd = )toml" +
         v.drift_sd + R"toml( }

[vars.share]
lever = true
range = [0.0, 1.0]
path = { 2023 = )toml" +
         v.share + R"toml( }

[vars.y]
unit = "x"
label = ")toml" +
         v.label + R"toml("
min = )toml" +
         v.floor +
         R"toml(
eq = "10 * share + normal(0, 1)"
targets = [{ year = 2030, above = )toml" +
         v.target + R"toml( }]

[vars.z]
unit = "x"
base = 1.0
eq = "prev(z) + drift + normal(0, 2)"
)toml";
}

constexpr std::size_t kDraws = 2'001;

TEST(SameSimulation, OnlyWhatIsReadAfterTheSimulationMayDiffer) {
  const Program base = test::compile_text(model({}));
  const Program relabelled = test::compile_text(model({.target = "2.5", .label = "why"}));
  const auto scenario = [](const Program& p) { return test::study_scenario(p, kDraws, 7); };
  EXPECT_TRUE(simulates_the_same(scenario(base), scenario(relabelled)));
  EXPECT_EQ(simulation_digest(scenario(base)), simulation_digest(scenario(relabelled)));

  for (const Variation& v : {Variation{.share = "0.25"}, Variation{.share = "-0.0"},
                             Variation{.drift_sd = "0.3"}, Variation{.floor = "1.25"}}) {
    const Program other = test::compile_text(model(v));
    EXPECT_FALSE(simulates_the_same(scenario(base), scenario(other)))
        << v.share << " " << v.drift_sd << " " << v.floor;
  }
  // +0.0 and -0.0 are different numbers to the kernel (1 / x tells them apart).
  const Program zero = test::compile_text(model({.share = "0.0"}));
  const Program negative_zero = test::compile_text(model({.share = "-0.0"}));
  EXPECT_FALSE(simulates_the_same(scenario(zero), scenario(negative_zero)));

  StudyScenario a = scenario(base), b = scenario(base);
  EXPECT_TRUE(simulates_the_same(a, b));
  b.draws = kDraws + 1;
  EXPECT_FALSE(simulates_the_same(a, b));
  b = scenario(base);
  b.seed = 8;
  EXPECT_FALSE(simulates_the_same(a, b));
  b = scenario(base);
  b.design = random::SamplingDesign::lhs;
  EXPECT_FALSE(simulates_the_same(a, b));
  b = scenario(base);
  b.stream_offset = 1;
  EXPECT_FALSE(simulates_the_same(a, b));
  // Per-draw parameter values replace the sampled ones: never the same, even if equal.
  b = scenario(base);
  b.param_columns.emplace_back("drift", std::make_shared<const std::vector<double>>(kDraws, 0.5));
  EXPECT_FALSE(simulates_the_same(a, b));
  EXPECT_FALSE(simulates_the_same(b, b));
}

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Scenario 0, then 1 (another lever), then 2 (scenario 0 with another target and label),
// with on_cube holding scenario 0's cube as a paired comparison does and noting which cube
// each scenario's part was; with `hold`, the study may ask for the held cube. `group_size`
// 1 puts each scenario in a round of its own, as large cubes are.
struct StudyRun {
  std::vector<ScenarioResult> results;
  std::vector<const Cube*> seen;  // per scenario, its part's cube
  const Cube* held = nullptr;
  std::uint64_t draws_done = 0;
  std::uint64_t work = 0;  // study_work: what draws_done should reach
};

StudyRun run(const std::vector<StudyScenario>& scenarios, bool hold, std::size_t group_size,
             std::size_t budget = 0) {
  StudyRun out;
  out.seen.assign(scenarios.size(), nullptr);
  const Program& p = *scenarios[0].program;
  auto held = std::make_unique<Cube>(p.recorded.size(), static_cast<std::size_t>(p.years), kDraws);
  out.held = held.get();
  bool held_whole = false;
  std::atomic<std::uint64_t> draws_done{0};
  StudySettings settings;
  settings.threads = 2;
  settings.batch_size = 64;
  settings.group_size = group_size;
  settings.cube_budget_bytes = budget;
  settings.draws_done = &draws_done;
  settings.on_cube = [&](const CubePart& part) {
    out.seen[part.scenario] = part.cube;
    if (part.scenario != 0) return;
    for (std::size_t v = 0; v < part.cube->variables; ++v) {
      for (std::size_t y = 0; y < part.cube->years; ++y) {
        const auto x = part.cube->column(v, y);
        std::copy(x.begin(), x.end(), held->column(part.var_first + v, y));
      }
    }
    held_whole = part.var_first + part.cube->variables == p.recorded.size();
  };
  if (hold) {
    settings.held_cube = [&](std::size_t s) -> const Cube* {
      return s == 0 && held_whole ? held.get() : nullptr;
    };
  }
  out.results = run_study(scenarios, settings);
  out.draws_done = draws_done.load();
  out.work = study_work(scenarios, settings);
  held.reset();  // out.held is only compared with, never read
  return out;
}

void expect_same_results(const ScenarioResult& a, const ScenarioResult& b, const std::string& w) {
  EXPECT_EQ(a.clamps.low, b.clamps.low) << w;
  EXPECT_EQ(a.clamps.high, b.clamps.high) << w;
  ASSERT_EQ(a.report.variables.size(), b.report.variables.size()) << w;
  for (std::size_t v = 0; v < a.report.variables.size(); ++v) {
    for (std::size_t y = 0; y < a.report.variables[v].by_year.size(); ++y) {
      const stats::Summary& x = a.report.variables[v].by_year[y];
      const stats::Summary& z = b.report.variables[v].by_year[y];
      EXPECT_EQ(std::memcmp(&x, &z, sizeof x), 0) << w << " variable " << v << " year " << y;
    }
  }
  ASSERT_EQ(a.report.targets.size(), b.report.targets.size()) << w;
  for (std::size_t t = 0; t < a.report.targets.size(); ++t) {
    EXPECT_TRUE(
        same_bits(a.report.targets[t].odds.probability, b.report.targets[t].odds.probability))
        << w;
    EXPECT_EQ(a.report.targets[t].odds.first_year_p50, b.report.targets[t].odds.first_year_p50)
        << w;
  }
}

TEST(SameSimulation, AScenarioThatSimulatesWhatAnEarlierOneDidReusesItsCube) {
  const Program base = test::compile_text(model({}));
  const Program lever = test::compile_text(model({.share = "0.3"}));
  const Program targets = test::compile_text(model({.target = "2.5", .label = "why"}));
  const std::vector<StudyScenario> scenarios = {
      test::study_scenario("base", base, kDraws, 7),
      test::study_scenario("lever", lever, kDraws, 7),
      test::study_scenario("targets", targets, kDraws, 7)};
  // The oracle: one scenario per round and nothing held, so every scenario is simulated.
  const StudyRun simulated = run(scenarios, false, 1);
  // y is clamped at its floor in some draws: the copied clamp counts are not all zero.
  ASSERT_GT(simulated.results[2].clamps.low[test::var_index(base, "y")], 0u);
  const auto expect_same_as_simulated = [&](const StudyRun& r, const std::string& w) {
    for (std::size_t s = 0; s < scenarios.size(); ++s)
      expect_same_results(r.results[s], simulated.results[s], w + " " + std::to_string(s));
    EXPECT_EQ(r.draws_done, r.work) << w;  // a progress display still ends at 100%
  };

  // In one round: scenario 2's part is scenario 0's cube; scenario 1 (a lever) has its own.
  const StudyRun together = run(scenarios, false, 4);
  EXPECT_EQ(together.seen[2], together.seen[0]);
  EXPECT_NE(together.seen[1], together.seen[0]);
  expect_same_as_simulated(together, "one round");

  // In rounds of their own: the held cube, when on_cube's owner offers it.
  const StudyRun held = run(scenarios, true, 1);
  EXPECT_EQ(held.seen[2], held.held);
  EXPECT_NE(held.seen[1], held.held);
  expect_same_as_simulated(held, "held");
  EXPECT_NE(simulated.seen[2], simulated.held);

  // Its own target, on the same draws: a lower threshold, met more often.
  EXPECT_GT(held.results[2].report.targets[0].odds.probability,
            held.results[0].report.targets[0].odds.probability);

  // Scenarios split into parts by the cube budget are simulated part by part: a reused cube
  // is only ever a whole scenario's.
  const std::size_t one_variable = static_cast<std::size_t>(base.years) * kDraws * sizeof(double);
  const StudyRun in_parts = run(scenarios, true, 4, one_variable);
  EXPECT_NE(in_parts.seen[2], in_parts.held);
  expect_same_as_simulated(in_parts, "in parts");
}

}  // namespace
}  // namespace tamnhin
