// columns_known_same (difference_flow.hpp): the columns a scenario's changes cannot reach,
// known before simulating, and plan_reuse (reuse_plan.hpp): the ops a scenario simulated
// after its reference skips, taking those columns from the reference's cube. A claim is a
// promise that the comparison need not read the columns, and that the kernel need not
// compute them, so every claim is checked against simulated cubes, bit for bit: on a small
// model whose answer is known column by column, and on every shipped scenario against the
// first file of its model, as `tamnhin run` pairs them; and a scenario simulated with its
// plan gives the cube and clamp counts of one simulated in full.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/sim/difference_flow.hpp"
#include "engine/sim/reuse_plan.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr std::size_t kDraws = 300;

struct Change {
  std::string late_share = "0.2";  // the lever's path from 2027 on
  std::string drift_sd = "0.2";    // a prior
  std::string cap = "100";         // w's upper bound
  std::string tau = "4";           // a constant: smooth's time (no other constant's value)
};

std::string model(const Change& c) {
  return R"toml(
[model]
name = "flow"
base_year = 2023
end_year = 2032

[params]
drift = { dist = "normal", mean = 0.5, sd = )toml" +
         c.drift_sd + R"toml( }

[vars.share]
lever = true
range = [0.0, 1.0]
path = { 2023 = 0.2, 2026 = 0.2, 2027 = )toml" +
         c.late_share + R"toml( }

[vars.spend]
unit = "x"
base = 20.0
eq = "100 * share + normal(0, 1)"

[vars.echo]
unit = "x"
base = 20.0
eq = "prev(spend, 2)"

[vars.calm]
unit = "x"
eq = "smooth(spend, )toml" +
         c.tau + R"toml()"

[vars.z]
unit = "x"
base = 1.0
eq = "prev(z) + drift + normal(0, 2)"

[vars.w]
unit = "x"
max = )toml" +
         c.cap + R"toml(
eq = "z * 2"

[vars.u]
unit = "x"
max = 1.5
eq = "z + 0"
)toml";
}

// Per recorded column (v * years + y): whether the two cubes hold the same bits there.
std::vector<bool> same_bits(const Program& p, const Cube& a, const Cube& b) {
  std::vector<bool> out;
  for (std::size_t v = 0; v < p.recorded.size(); ++v) {
    for (std::size_t y = 0; y < static_cast<std::size_t>(p.years); ++y) {
      const auto x = a.column(v, y), z = b.column(v, y);
      out.push_back(std::equal(x.begin(), x.end(), z.begin(), [](double s, double t) {
        return std::bit_cast<std::uint64_t>(s) == std::bit_cast<std::uint64_t>(t);
      }));
    }
  }
  return out;
}

// The columns of `name` known the same, as calendar years.
std::vector<int> known_years(const Program& p, const std::vector<bool>& known,
                             const std::string& name) {
  const std::size_t v = test::recorded_index(p, name);
  std::vector<int> years;
  for (int y = 0; y < p.years; ++y)
    if (known[v * static_cast<std::size_t>(p.years) + static_cast<std::size_t>(y)])
      years.push_back(p.base_year + y);
  return years;
}

std::vector<int> years(int from, int to) {
  std::vector<int> out;
  for (int y = from; y <= to; ++y) out.push_back(y);
  return out;
}

// Every claim holds in the simulated cubes; returns the claims.
std::vector<bool> checked_claims(const Program& a, const Program& b, const std::string& what) {
  const std::vector<bool> known =
      columns_known_same(test::study_scenario(a, kDraws, 11), test::study_scenario(b, kDraws, 11));
  if (known.empty()) return known;
  const ScenarioOutcome x = test::simulate(a, kDraws, 11), z = test::simulate(b, kDraws, 11);
  const std::vector<bool> same = same_bits(a, x.cube, z.cube);
  EXPECT_EQ(known.size(), same.size()) << what;
  for (std::size_t c = 0; c < known.size() && c < same.size(); ++c)
    EXPECT_TRUE(!known[c] || same[c]) << what << ": column " << c << " claimed, differs";
  return known;
}

TEST(DifferenceFlow, AChangeReachesWhatIsComputedFromItFromItsYearOn) {
  const Program base = test::compile_text(model({}));
  const Program lever = test::compile_text(model({.late_share = "0.3"}));
  const std::vector<bool> known = checked_claims(lever, base, "lever");
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known_years(lever, known, "spend"), years(2023, 2026));
  EXPECT_EQ(known_years(lever, known, "echo"), years(2023, 2028));  // two years late
  EXPECT_EQ(known_years(lever, known, "calm"), years(2023, 2026));  // and its state after
  EXPECT_EQ(known_years(lever, known, "z"), years(2023, 2032));     // untouched
  EXPECT_EQ(known_years(lever, known, "w"), years(2023, 2032));
}

TEST(DifferenceFlow, PriorsBoundsAndConstantsReachTheirVariablesInEveryYear) {
  const Program base = test::compile_text(model({}));
  const Program prior = test::compile_text(model({.drift_sd = "0.3"}));
  std::vector<bool> known = checked_claims(prior, base, "prior");
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known_years(prior, known, "spend"), years(2023, 2032));
  // z's base year does not read drift; every later year does, and w is computed from z.
  EXPECT_EQ(known_years(prior, known, "z"), years(2023, 2023));
  EXPECT_EQ(known_years(prior, known, "w"), years(2023, 2023));

  const Program capped = test::compile_text(model({.cap = "4"}));
  known = checked_claims(capped, base, "bound");
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known_years(capped, known, "z"), years(2023, 2032));
  EXPECT_TRUE(known_years(capped, known, "w").empty());

  const Program slower = test::compile_text(model({.tau = "5"}));
  known = checked_claims(slower, base, "constant");
  ASSERT_FALSE(known.empty());
  EXPECT_EQ(known_years(slower, known, "calm"), years(2023, 2023));  // smooth starts at x
  EXPECT_EQ(known_years(slower, known, "spend"), years(2023, 2032));
}

TEST(DifferenceFlow, NothingIsClaimedUnlessTheRandomnessAndTheShapeAreShared) {
  const Program base = test::compile_text(model({}));
  const Program lever = test::compile_text(model({.late_share = "0.3"}));
  const StudyScenario a = test::study_scenario(lever, kDraws, 11);
  const auto expect_nothing = [&](StudyScenario b, const std::string& what) {
    EXPECT_TRUE(columns_known_same(a, b).empty()) << what;
  };
  StudyScenario b = test::study_scenario(base, kDraws, 11);
  EXPECT_FALSE(columns_known_same(a, b).empty());
  b.seed = 12;
  expect_nothing(b, "seed");
  b = test::study_scenario(base, kDraws + 1, 11);
  expect_nothing(b, "draws");
  b = test::study_scenario(base, kDraws, 11, random::SamplingDesign::lhs);
  expect_nothing(b, "design");
  b = test::study_scenario(base, kDraws, 11);
  b.stream_offset = 1;
  expect_nothing(b, "stream offset");
  b = test::study_scenario(base, kDraws, 11);
  b.param_columns.emplace_back("drift", std::make_shared<const std::vector<double>>(kDraws, 0.5));
  expect_nothing(b, "per-draw parameters");
  // Another equation: other ops.
  std::string text = model({});
  text.replace(text.find("z * 2"), 5, "z * 3");
  const Program other = test::compile_text(text);
  expect_nothing(test::study_scenario(other, kDraws, 11), "equation");
}

// Every shipped scenario against the first file of its model (by name order: baseline.toml
// where there is one), as `tamnhin run` would pair them, simulated: each claim holds, and
// the analysis claims something wherever a scenario keeps its model's shape.
TEST(DifferenceFlow, EveryClaimOnTheShippedScenariosHolds) {
  const std::filesystem::path root = std::filesystem::path(TAMNHIN_SOURCE_DIR) / "scenarios";
  std::map<std::string, std::vector<std::filesystem::path>> by_model;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory() || !std::filesystem::exists(entry.path() / "baseline.toml")) continue;
    for (const auto& file : std::filesystem::directory_iterator(entry.path()))
      if (file.path().extension() == ".toml" && file.path().filename() != "model.toml")
        by_model[entry.path().filename().string()].push_back(file.path());
  }
  ASSERT_GE(by_model.size(), 2u);
  std::size_t claimed = 0, pairs = 0;
  for (const auto& [model_dir, files] : by_model) {
    const Program reference = test::compile_file((root / model_dir / "baseline.toml").string());
    for (const auto& file : files) {
      if (file.filename() == "baseline.toml") continue;
      const Program scenario = test::compile_file(file.string());
      if (scenario.model_name != reference.model_name) continue;
      const std::vector<bool> known = checked_claims(scenario, reference, file.string());
      claimed += static_cast<std::size_t>(std::count(known.begin(), known.end(), true));
      pairs += known.empty() ? 0 : 1;
    }
  }
  EXPECT_GE(pairs, 10u);
  EXPECT_GT(claimed, 0u);
}

// `scenario` simulated with its plan against `source`'s cube, as a study does
// (run_round): the kernel loads and skips, the study copies the source's clamp counts of
// the variables loaded in every year.
ScenarioOutcome simulate_reusing(const Program& scenario, const Program& source,
                                 const ScenarioOutcome& source_outcome, ReusePlan& plan) {
  plan = plan_reuse(test::study_scenario(scenario, kDraws, 11),
                    test::study_scenario(source, kDraws, 11));
  PreparedScenario prepared = prepare_scenario(scenario, kDraws, 11, random::SamplingDesign::mc);
  if (!plan.actions.empty()) {
    prepared.reuse = &plan;
    prepared.reuse_source = &source_outcome.cube;
  }
  ScenarioOutcome out = simulate_serial(prepared, 64);
  for (const std::uint32_t v : plan.copied_clamps) {
    out.clamps.low[v] = source_outcome.clamps.low[v];
    out.clamps.high[v] = source_outcome.clamps.high[v];
  }
  return out;
}

std::size_t count(const ReusePlan& plan, OpAction action) {
  std::size_t n = 0;
  for (const auto& year : plan.actions)
    n += static_cast<std::size_t>(std::count(year.begin(), year.end(), action));
  return n;
}

void expect_same_cube_and_clamps(const Program& p, const ScenarioOutcome& a,
                                 const ScenarioOutcome& b, const std::string& what) {
  const std::vector<bool> same = same_bits(p, a.cube, b.cube);
  EXPECT_EQ(std::count(same.begin(), same.end(), false), 0) << what;
  EXPECT_EQ(a.clamps.low, b.clamps.low) << what;
  EXPECT_EQ(a.clamps.high, b.clamps.high) << what;
}

// The model with `change` simulated with its plan against the model as it is.
struct AgainstBase {
  Program base, changed;
  ScenarioOutcome source;
  ReusePlan plan;  // (before reused, which fills it)
  ScenarioOutcome reused;
  explicit AgainstBase(const Change& change)
      : base(test::compile_text(model({}))),
        changed(test::compile_text(model(change))),
        source(test::simulate(base, kDraws, 11)),
        reused(simulate_reusing(changed, base, source, plan)) {}
};

TEST(ReusePlan, AScenarioLoadsWhatItSharesWithItsSourceAndComputesTheRest) {
  const AgainstBase run(Change{.late_share = "0.3"});
  const Program& lever = run.changed;
  const ReusePlan& plan = run.plan;
  ASSERT_FALSE(plan.actions.empty());
  expect_same_cube_and_clamps(lever, run.reused, test::simulate(lever, kDraws, 11), "lever");
  // z, w and u in every year (w and u have bounds: their counts are copied; u's are not
  // zero), spend and calm up to 2026, echo up to 2028.
  const auto years = static_cast<std::size_t>(lever.years);
  EXPECT_EQ(count(plan, OpAction::load) + count(plan, OpAction::record), 3 * years + 4 + 4 + 6);
  EXPECT_GT(count(plan, OpAction::record), 0u);  // (echo's, w's and u's: nothing reads them)
  EXPECT_GT(count(plan, OpAction::skip), 0u);
  const auto var = [&](const char* name) {
    return static_cast<std::uint32_t>(test::var_index(lever, name));
  };
  EXPECT_EQ(plan.copied_clamps, (std::vector<std::uint32_t>{var("w"), var("u")}));
  ASSERT_GT(run.source.clamps.high[test::var_index(run.base, "u")], 0u);
}

TEST(ReusePlan, ABoundThatChangesKeepsItsVariableComputedInEveryYear) {
  const AgainstBase run(Change{.cap = "4"});
  ASSERT_FALSE(run.plan.actions.empty());
  const Program& capped = run.changed;
  EXPECT_GT(run.reused.clamps.high[test::var_index(capped, "w")], 0u);  // counted by the kernel
  expect_same_cube_and_clamps(capped, run.reused, test::simulate(capped, kDraws, 11), "bound");
}

TEST(ReusePlan, EveryShippedScenarioSimulatedWithItsPlanIsSimulatedInFull) {
  const std::filesystem::path root = std::filesystem::path(TAMNHIN_SOURCE_DIR) / "scenarios";
  std::size_t planned = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root)) {
    if (!entry.is_directory() || !std::filesystem::exists(entry.path() / "baseline.toml")) continue;
    const Program reference = test::compile_file((entry.path() / "baseline.toml").string());
    const ScenarioOutcome source = test::simulate(reference, kDraws, 11);
    for (const auto& file : std::filesystem::directory_iterator(entry.path())) {
      const std::string name = file.path().filename().string();
      if (file.path().extension() != ".toml" || name == "model.toml" || name == "baseline.toml")
        continue;
      const Program scenario = test::compile_file(file.path().string());
      if (scenario.model_name != reference.model_name) continue;
      ReusePlan plan;
      const ScenarioOutcome reused = simulate_reusing(scenario, reference, source, plan);
      planned += plan.actions.empty() ? 0 : 1;
      expect_same_cube_and_clamps(scenario, reused, test::simulate(scenario, kDraws, 11),
                                  file.path().string());
    }
  }
  EXPECT_GE(planned, 10u);
}

}  // namespace
}  // namespace tamnhin
