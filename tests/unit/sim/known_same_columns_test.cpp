// columns_known_same (same_simulation.hpp): the columns a scenario's changes cannot reach,
// known before simulating. A claim is a promise that the comparison need not read the
// columns, so every claim is checked against simulated cubes, bit for bit: on a small model
// whose answer is known column by column, and on every shipped scenario against the first
// file of its model, as `tamnhin run` pairs them.
#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/sim/same_simulation.hpp"
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

TEST(KnownSameColumns, AChangeReachesWhatIsComputedFromItFromItsYearOn) {
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

TEST(KnownSameColumns, PriorsBoundsAndConstantsReachTheirVariablesInEveryYear) {
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

TEST(KnownSameColumns, NothingIsClaimedUnlessTheRandomnessAndTheShapeAreShared) {
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
TEST(KnownSameColumns, EveryClaimOnTheShippedScenariosHolds) {
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

}  // namespace
}  // namespace tamnhin
