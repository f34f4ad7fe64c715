// run_study's StudySettings::same_columns: a column said to repeat an earlier scenario's has
// that scenario's summary, copied (a false claim shows the copy), and so do the odds of a
// target whose variable repeats in every year; with true claims, found by comparing the
// cubes as the paired comparisons do, the reports are those of a study without the hook,
// bit for bit, whole or split into parts by the cube budget. The same for
// StudySettings::summarised_columns, summaries made by on_cube's owner: copied, and a
// target on such a column takes its quantiles from the copy.
#include <gtest/gtest.h>

#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "engine/sim/study.hpp"
#include "engine/stats/summary.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

// `share` moves y and its target; z, with its own noise, is the same in every scenario of a
// seed (common random numbers), and so is its target's odds.
std::string model(double share) {
  return R"toml(
[model]
name = "same"
base_year = 2023
end_year = 2030

[params]
drift = { dist = "normal", mean = 0.5, sd = 0.2 }

[vars.share]
lever = true
range = [0.0, 1.0]
path = { 2023 = )toml" +
         std::to_string(share) + R"toml( }

[vars.y]
unit = "x"
eq = "10 * share + normal(0, 1)"
targets = [{ year = 2030, above = 3 }]

[vars.z]
unit = "x"
base = 1.0
eq = "prev(z) + drift + normal(0, 2)"
targets = [{ year = 2028, below = 4 }]
)toml";
}

constexpr std::size_t kDraws = 3'001;

bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

void expect_same_summary(const stats::Summary& a, const stats::Summary& b, const std::string& w) {
  for (auto m :
       {&stats::Summary::mean, &stats::Summary::sd, &stats::Summary::p05, &stats::Summary::p25,
        &stats::Summary::p50, &stats::Summary::p75, &stats::Summary::p95}) {
    EXPECT_TRUE(same_bits(a.*m, b.*m)) << w;
  }
}

void expect_same_odds(const stats::TargetOdds& a, const stats::TargetOdds& b,
                      const std::string& w) {
  for (auto m : {&stats::TargetOdds::probability, &stats::TargetOdds::probability_se,
                 &stats::TargetOdds::p05, &stats::TargetOdds::p50, &stats::TargetOdds::p95}) {
    EXPECT_TRUE(same_bits(a.*m, b.*m)) << w;
  }
  EXPECT_EQ(a.first_year_p50, b.first_year_p50) << w;
}

void expect_same_reports(const std::vector<ScenarioResult>& a, const std::vector<ScenarioResult>& b,
                         const std::string& w) {
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t s = 0; s < a.size(); ++s) {
    const auto& ra = a[s].report;
    const auto& rb = b[s].report;
    ASSERT_EQ(ra.variables.size(), rb.variables.size());
    for (std::size_t v = 0; v < ra.variables.size(); ++v) {
      for (std::size_t y = 0; y < ra.variables[v].by_year.size(); ++y) {
        expect_same_summary(ra.variables[v].by_year[y], rb.variables[v].by_year[y],
                            w + ": scenario " + std::to_string(s) + " " + ra.variables[v].name +
                                " year " + std::to_string(y));
      }
    }
    ASSERT_EQ(ra.targets.size(), rb.targets.size());
    for (std::size_t t = 0; t < ra.targets.size(); ++t)
      expect_same_odds(ra.targets[t].odds, rb.targets[t].odds,
                       w + ": scenario " + std::to_string(s) + " target " + std::to_string(t));
  }
}

struct Fixture {
  Program low = test::compile_text(model(0.2));
  Program high = test::compile_text(model(0.35));
  std::vector<StudyScenario> scenarios = {test::study_scenario("low", low, kDraws, 7),
                                          test::study_scenario("high", high, kDraws, 7)};
  std::size_t years = static_cast<std::size_t>(low.years);
  std::size_t one_variable = years * kDraws * sizeof(double);  // a cube budget of one
};

// The study with on_cube keeping scenario 0's columns and, for scenario 1, `claims` as
// its same_columns (given the part and scenario 0's cube) and `summaries` as its
// summarised_columns.
std::vector<ScenarioResult> run_with(
    const Fixture& f, std::size_t budget,
    const std::function<std::vector<SameColumn>(const CubePart&, const Cube&)>& claims,
    std::size_t* claimed = nullptr,
    const std::function<std::vector<SummarisedColumn>(const CubePart&)>& summaries = {}) {
  Cube first(f.low.recorded.size(), f.years, kDraws);
  StudySettings settings;
  settings.threads = 2;
  settings.cube_budget_bytes = budget;
  settings.on_cube = [&](const CubePart& part) {
    if (part.scenario != 0) return;
    for (std::size_t v = 0; v < part.cube->variables; ++v) {
      for (std::size_t y = 0; y < f.years; ++y) {
        const auto x = part.cube->column(v, y);
        std::copy(x.begin(), x.end(), first.column(part.var_first + v, y));
      }
    }
  };
  if (claims) {
    settings.same_columns = [&](const CubePart& part) {
      std::vector<SameColumn> out;
      if (part.scenario == 1) out = claims(part, first);
      if (claimed != nullptr) *claimed += out.size();
      return out;
    };
  }
  if (summaries) {
    settings.summarised_columns = [&](const CubePart& part) {
      return part.scenario == 1 ? summaries(part) : std::vector<SummarisedColumn>{};
    };
  }
  return run_study(f.scenarios, settings);
}

// What the paired comparisons give for a part: the summary of every column, made from it.
std::vector<SummarisedColumn> true_summaries(const CubePart& part) {
  std::vector<SummarisedColumn> out;
  std::vector<double> scratch;
  const Cube& cube = *part.cube;
  for (std::size_t v = 0; v < cube.variables; ++v) {
    for (std::size_t y = 0; y < cube.years; ++y)
      out.push_back(
          {(part.var_first + v) * cube.years + y, stats::summarise(cube.column(v, y), scratch)});
  }
  return out;
}

// What the paired comparisons find: the columns of scenario 1 equal, bit for bit, to
// scenario 0's of the same variable and year.
std::vector<SameColumn> equal_columns(const CubePart& part, const Cube& first) {
  std::vector<SameColumn> out;
  const Cube& cube = *part.cube;
  for (std::size_t v = 0; v < cube.variables; ++v) {
    for (std::size_t y = 0; y < cube.years; ++y) {
      const auto a = cube.column(v, y);
      const std::size_t column = (part.var_first + v) * cube.years + y;
      if (std::memcmp(a.data(), first.column(part.var_first + v, y).data(), a.size_bytes()) == 0)
        out.push_back({column, 0, column});
    }
  }
  return out;
}

TEST(SameColumns, TrueClaimsGiveTheReportsOfAStudyWithoutThem) {
  const Fixture f;
  // Whole scenarios, and one recorded variable per part (each part re-simulated).
  for (const std::size_t budget : {std::size_t{0}, f.one_variable}) {
    const std::string w = budget == 0 ? "whole" : "in parts";
    std::size_t claimed = 0;
    const auto without = run_with(f, budget, {});
    const auto with = run_with(f, budget, equal_columns, &claimed);
    // z in every year; y in none (share moves it from the base year on).
    EXPECT_EQ(claimed, f.years) << w;
    expect_same_reports(with, without, w);
  }
}

TEST(SameColumns, ClaimedColumnsAreCopiedNotComputed) {
  const Fixture f;
  const std::size_t y = test::recorded_index(f.low, "y"), z = test::recorded_index(f.low, "z");
  for (const std::size_t budget : {std::size_t{0}, f.one_variable}) {
    const std::string w = budget == 0 ? "whole" : "in parts";
    // A false claim: y of scenario 1 repeats y of scenario 0 in every year (it does not:
    // share differs), and its 2025 column repeats z's 2026 column.
    const auto claims = [&](const CubePart& part, const Cube&) {
      std::vector<SameColumn> out;
      if (part.var_first > y || part.var_first + part.cube->variables <= y) return out;
      for (std::size_t year = 0; year < f.years; ++year)
        out.push_back({y * f.years + year, 0, (year == 2 ? z : y) * f.years + year + (year == 2)});
      return out;
    };
    const auto honest = run_with(f, budget, {});
    const auto copied = run_with(f, budget, claims);
    const auto& source = honest[0].report;
    const auto& got = copied[1].report;
    for (std::size_t year = 0; year < f.years; ++year) {
      const stats::Summary& want =
          year == 2 ? source.variables[z].by_year[3] : source.variables[y].by_year[year];
      expect_same_summary(got.variables[y].by_year[year], want,
                          w + " year " + std::to_string(year));
    }
    EXPECT_NE(got.variables[y].by_year[7].mean, honest[1].report.variables[y].by_year[7].mean);
    // Not every year of y repeats y: its target's odds are computed, as without claims,
    // but for the quantiles in its year (2030), which are those of the copied summary.
    ASSERT_EQ(got.targets.size(), 2u);
    ASSERT_EQ(got.targets[0].variable, "y");
    stats::TargetOdds want = honest[1].report.targets[0].odds;
    const stats::Summary& copy = source.variables[y].by_year[7];
    want.p05 = copy.p05;
    want.p50 = copy.p50;
    want.p95 = copy.p95;
    EXPECT_NE(want.p50, honest[1].report.targets[0].odds.p50) << w;
    expect_same_odds(got.targets[0].odds, want, w);
  }
}

TEST(SummarisedColumns, TrueSummariesGiveTheReportsOfAStudyWithoutThem) {
  const Fixture f;
  for (const std::size_t budget : {std::size_t{0}, f.one_variable}) {
    const std::string w = budget == 0 ? "whole" : "in parts";
    const auto without = run_with(f, budget, {});
    // Alone, and with the columns that repeat scenario 0's claimed too (what the paired
    // comparisons give: both, for different columns; here some columns are in both).
    expect_same_reports(run_with(f, budget, {}, nullptr, true_summaries), without, w);
    expect_same_reports(run_with(f, budget, equal_columns, nullptr, true_summaries), without,
                        w + ", with same_columns");
  }
}

TEST(SummarisedColumns, GivenSummariesAreCopiedAndTheirTargetsQuantilesWithThem) {
  const Fixture f;
  const std::size_t y = test::recorded_index(f.low, "y");
  // A made-up summary for y's 2030 column: the report shows it, and y's target in 2030
  // takes its quantiles from it; its probability and first year are still counted.
  const stats::Summary made_up{100, 1, 101, 102, 103, 104, 105};
  const auto summaries = [&](const CubePart& part) {
    std::vector<SummarisedColumn> out;
    if (part.var_first <= y && y < part.var_first + part.cube->variables)
      out.push_back({y * f.years + 7, made_up});
    return out;
  };
  for (const std::size_t budget : {std::size_t{0}, f.one_variable}) {
    const std::string w = budget == 0 ? "whole" : "in parts";
    const auto honest = run_with(f, budget, {});
    const auto given = run_with(f, budget, {}, nullptr, summaries);
    expect_same_summary(given[1].report.variables[y].by_year[7], made_up, w);
    expect_same_summary(given[1].report.variables[y].by_year[6],
                        honest[1].report.variables[y].by_year[6], w);
    stats::TargetOdds want = honest[1].report.targets[0].odds;
    want.p05 = 101;
    want.p50 = 103;
    want.p95 = 105;
    expect_same_odds(given[1].report.targets[0].odds, want, w);
    expect_same_reports({given[0]}, {honest[0]}, w + ", scenario 0");
  }
}

TEST(SameColumns, ATargetWhoseVariableRepeatsInEveryYearIsCopied) {
  const Fixture f;
  const std::size_t y = test::recorded_index(f.low, "y");
  // Every year of y claimed to repeat scenario 0's y: its target (the same in both) is too.
  const auto claims = [&](const CubePart& part, const Cube&) {
    std::vector<SameColumn> out;
    if (part.var_first > y || part.var_first + part.cube->variables <= y) return out;
    for (std::size_t year = 0; year < f.years; ++year)
      out.push_back({y * f.years + year, 0, y * f.years + year});
    return out;
  };
  for (const std::size_t budget : {std::size_t{0}, f.one_variable}) {
    const std::string w = budget == 0 ? "whole" : "in parts";
    const auto honest = run_with(f, budget, {});
    const auto copied = run_with(f, budget, claims);
    expect_same_odds(copied[1].report.targets[0].odds, honest[0].report.targets[0].odds, w);
    EXPECT_NE(honest[1].report.targets[0].odds.probability,
              honest[0].report.targets[0].odds.probability);
  }
}

}  // namespace
}  // namespace tamnhin
