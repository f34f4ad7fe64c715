#include "engine/stats/report.hpp"

#include <gtest/gtest.h>
#include <oneapi/tbb/task_arena.h>

#include <cmath>
#include <cstring>
#include <numeric>
#include <string>
#include <utility>

namespace tamnhin::stats {
namespace {

Cube pseudo_random_cube(std::size_t variables, std::size_t years, std::size_t draws) {
  Cube cube(variables, years, draws);
  std::uint64_t state = 42;
  for (double& v : cube.values) {
    state = state * 6364136223846793005u + 1442695040888963407u;  // any fixed sequence
    v = static_cast<double>(state >> 11) * 0x1.0p-53 * 10.0;
  }
  return cube;
}

ScenarioReport run_with_threads(int threads, const Cube& cube,
                                const std::vector<RecordedVariable>& variables,
                                const std::vector<TargetSpec>& targets) {
  tbb::task_arena arena(threads);
  return arena.execute([&] {
    return summarise_scenario(
        {.scenario = "base", .model = "m", .region = {}, .description = {}, .base_year = 2024},
        cube, variables, targets);
  });
}

// A recorded variable without history. (A brace list that leaves out `labels` and
// `history` warns under GCC's -Wmissing-field-initializers.)
RecordedVariable recorded(std::string name, std::string unit, Labels labels = {}) {
  return {
      .name = std::move(name), .unit = std::move(unit), .labels = std::move(labels), .history = {}};
}

bool same_bits(double a, double b) {
  return std::memcmp(&a, &b, sizeof a) == 0;
}

TEST(SummariseScenario, IdenticalForOneAndTwoThreads) {
  const Cube cube = pseudo_random_cube(5, 22, 1001);
  std::vector<RecordedVariable> variables;
  for (char v = 0; v < 5; ++v)
    variables.push_back(recorded(std::string{'v', static_cast<char>('0' + v)}, "%"));
  std::vector<TargetSpec> targets;
  for (std::size_t v = 0; v < 5; ++v) {
    targets.push_back({v, 2030 + static_cast<int>(v), Comparator::below, 5.0, "plan", {}});
  }
  const ScenarioReport one = run_with_threads(1, cube, variables, targets);
  const ScenarioReport two = run_with_threads(2, cube, variables, targets);
  ASSERT_EQ(one.variables.size(), two.variables.size());
  for (std::size_t v = 0; v < one.variables.size(); ++v) {
    for (std::size_t y = 0; y < cube.years; ++y) {
      const Summary& a = one.variables[v].by_year[y];
      const Summary& b = two.variables[v].by_year[y];
      for (auto m : {&Summary::mean, &Summary::sd, &Summary::p05, &Summary::p25, &Summary::p50,
                     &Summary::p75, &Summary::p95}) {
        EXPECT_TRUE(same_bits(a.*m, b.*m)) << "variable " << v << " year " << y;
      }
    }
  }
  ASSERT_EQ(one.targets.size(), two.targets.size());
  for (std::size_t t = 0; t < one.targets.size(); ++t) {
    const TargetOdds& a = one.targets[t].odds;
    const TargetOdds& b = two.targets[t].odds;
    EXPECT_TRUE(same_bits(a.probability, b.probability));
    EXPECT_TRUE(same_bits(a.p50, b.p50));
    EXPECT_EQ(a.first_year_p50, b.first_year_p50);
  }
}

TEST(SummariseScenario, FillsNamesYearsAndTargets) {
  const Cube cube = pseudo_random_cube(2, 3, 10);
  const ScenarioReport r =
      summarise_scenario({"high", "long_an", "Long An", "more growth", 2024}, cube,
                         {recorded("gdp", "bn VND", {"GRDP", "", ""}), recorded("poverty", "")},
                         {{1, 2026, Comparator::at_most, 4.5, "Resolution 10", {"", "Nghèo", ""}}});
  EXPECT_EQ(r.scenario, "high");
  EXPECT_EQ(r.model, "long_an");
  EXPECT_EQ(r.region, "Long An");
  EXPECT_EQ(r.description, "more growth");
  EXPECT_EQ(r.variables[0].labels.en, "GRDP");
  EXPECT_EQ(r.targets[0].labels.vi, "Nghèo");
  EXPECT_EQ(r.base_year, 2024);
  EXPECT_EQ(r.end_year, 2026);
  EXPECT_EQ(r.draws, 10u);
  ASSERT_EQ(r.variables.size(), 2u);
  EXPECT_EQ(r.variables[0].unit, "bn VND");
  EXPECT_EQ(r.variables[1].by_year.size(), 3u);
  std::vector<double> scratch;
  const Summary direct = summarise(cube.column(1, 2), scratch);
  EXPECT_EQ(r.variables[1].by_year[2].mean, direct.mean);
  ASSERT_EQ(r.targets.size(), 1u);
  EXPECT_EQ(r.targets[0].variable, "poverty");
  EXPECT_EQ(r.targets[0].source, "Resolution 10");
  const TargetOdds direct_odds = target_odds(cube, 1, 2, Comparator::at_most, 4.5, 2024, scratch);
  EXPECT_EQ(r.targets[0].odds.probability, direct_odds.probability);
}

// What the ranks of a run rely on (engine/sim/rank_summaries.cpp): the units of a report
// filled block by block, in any blocks, are the report summarise_scenario makes, bit for bit.
TEST(SummariseUnits, AnyBlocksGiveTheWholeReport) {
  const Cube cube = pseudo_random_cube(3, 7, 501);
  const std::vector<RecordedVariable> variables = {recorded("a", ""), recorded("b", ""),
                                                   recorded("c", "")};
  // Target 1 is never met (values are in [0, 10)): its first year is empty.
  const std::vector<TargetSpec> targets = {{0, 2026, Comparator::below, 5.0, "", {}},
                                           {2, 2030, Comparator::above, 11.0, "", {}},
                                           {1, 2025, Comparator::at_least, 1.0, "", {}}};
  const ScenarioMeta meta{
      .scenario = "s", .model = "m", .region = {}, .description = {}, .base_year = 2024};
  const ScenarioReport whole = summarise_scenario(meta, cube, variables, targets);
  const std::size_t units = summary_units(whole);
  ASSERT_EQ(units, 3u * 7u + 3u);
  const auto expect_whole = [&](const ScenarioReport& parts, const std::string& how) {
    for (std::size_t v = 0; v < variables.size(); ++v) {
      for (std::size_t y = 0; y < cube.years; ++y) {
        const Summary& a = whole.variables[v].by_year[y];
        const Summary& b = parts.variables[v].by_year[y];
        for (auto m : {&Summary::mean, &Summary::sd, &Summary::p05, &Summary::p25, &Summary::p50,
                       &Summary::p75, &Summary::p95}) {
          EXPECT_TRUE(same_bits(a.*m, b.*m)) << how << ": variable " << v << " year " << y;
        }
      }
    }
    for (std::size_t t = 0; t < targets.size(); ++t) {
      const TargetOdds& a = whole.targets[t].odds;
      const TargetOdds& b = parts.targets[t].odds;
      for (auto m : {&TargetOdds::probability, &TargetOdds::probability_se, &TargetOdds::p05,
                     &TargetOdds::p50, &TargetOdds::p95}) {
        EXPECT_TRUE(same_bits(a.*m, b.*m)) << how << ": target " << t;
      }
      EXPECT_EQ(a.first_year_p50, b.first_year_p50) << how << ": target " << t;
    }
  };
  // Blocks that split the columns, cross from columns to targets, or are empty.
  for (const std::vector<std::size_t>& bounds : std::vector<std::vector<std::size_t>>{
           {0, units}, {0, 12, units}, {0, 8, 16, units}, {0, 0, 20, 22, 22, units}}) {
    ScenarioReport parts = report_frame(meta, cube.years, cube.draws, variables, targets);
    for (std::size_t b = 0; b + 1 < bounds.size(); ++b) {
      std::vector<std::size_t> block(bounds[b + 1] - bounds[b]);
      std::iota(block.begin(), block.end(), bounds[b]);
      summarise_units(parts, cube, targets, block);
    }
    expect_whole(parts, "blocks");
  }
  // Units that are not contiguous (a study leaves out those it copies): the even ones,
  // which leave the odd ones as they were, then the odd ones.
  ScenarioReport parts = report_frame(meta, cube.years, cube.draws, variables, targets);
  std::vector<std::size_t> even, odd;
  for (std::size_t u = 0; u < units; ++u) (u % 2 == 0 ? even : odd).push_back(u);
  summarise_units(parts, cube, targets, even);
  EXPECT_EQ(parts.variables[0].by_year[1].mean, 0.0);  // unit 1: not computed yet
  EXPECT_NE(parts.variables[0].by_year[2].mean, 0.0);
  summarise_units(parts, cube, targets, odd);
  expect_whole(parts, "even, then odd units");
  EXPECT_FALSE(whole.targets[1].odds.first_year_p50.has_value());
  EXPECT_TRUE(whole.targets[0].odds.first_year_p50.has_value());
}

}  // namespace
}  // namespace tamnhin::stats
