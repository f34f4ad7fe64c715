// Paired comparisons under common random numbers, against closed forms: two shares s1 <
// s2 of y = k s + N(0,1) > c differ exactly on the draws with z in (c - k s2, c - k s1],
// so the difference of the chances is q = Phi(k s2 - c) - Phi(k s1 - c) and its paired
// standard error sqrt(q (1 - q) / N), far below the unpaired one.
#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>

#include "engine/analysis/compare.hpp"
#include "engine/analysis/evaluator.hpp"
#include "engine/sim/difference_flow.hpp"
#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/analysis/closed_form_models.hpp"

namespace tamnhin::analysis {
namespace {

double Phi(double x) {
  return boost::math::cdf(boost::math::normal(), x);
}

TEST(Compare, PairedDifferenceOfTwoSharesMatchesTheClosedForm) {
  testing::TempDir dir;
  Diagnostics d;
  auto scenario = load_scenario(dir.write("m.toml", testing::linear_target_model(10, 3)), d);
  ASSERT_TRUE(scenario && d.empty());
  const std::size_t n = 20000;
  EvaluationSettings settings;
  settings.draws = n;
  settings.seed = 11;
  Evaluator evaluator({&*scenario}, settings);
  Variant low{"low", 0, {{"share", std::nullopt, 0.30, {}}}, {}, 0};
  Variant high{"high", 0, {{"share", std::nullopt, 0.35, {}}}, {}, 0};
  PairedComparer comparer({&evaluator.program(low), &evaluator.program(high)}, {"low", "high"},
                          pair_with_references({"m", "m"}, 0));
  Request request;
  request.on_cube = [&](std::size_t i, const CubePart& part) { comparer.observe(i, part); };
  evaluator.evaluate({low, high}, request);
  const Comparisons c = comparer.result();
  ASSERT_EQ(c.targets.size(), 1u);
  const auto& t = c.targets.front();
  EXPECT_EQ(t.scenario, "high");
  EXPECT_EQ(t.reference, "low");
  const double q = Phi(0.5) - Phi(0.0);
  const double se = std::sqrt(q * (1 - q) / static_cast<double>(n));
  EXPECT_NEAR(t.odds.difference, q, 4 * se);
  EXPECT_NEAR(t.odds.difference_se, se, 0.05 * se);
  // Unpaired, the error would be sqrt((p1 (1 - p1) + p2 (1 - p2)) / n), 1.75 times larger.
  const double p1 = Phi(0.0), p2 = Phi(0.5);
  EXPECT_LT(t.odds.difference_se,
            0.6 * std::sqrt((p1 * (1 - p1) + p2 * (1 - p2)) / static_cast<double>(n)));

  // Every recorded variable and year; y differs by exactly 0.5 on every draw after the
  // base year (the same normal on both sides), and not at all in the base year.
  ASSERT_EQ(c.variables.size(), 8u);  // y in 2023..2030
  EXPECT_EQ(c.variables.front().year, 2023);
  EXPECT_EQ(c.variables.front().diff.prob_higher, 0.0);
  for (std::size_t i = 1; i < c.variables.size(); ++i) {
    EXPECT_NEAR(c.variables[i].diff.mean_diff, 0.5, 1e-12);
    EXPECT_NEAR(c.variables[i].diff.p05_diff, 0.5, 1e-12);
    EXPECT_NEAR(c.variables[i].diff.p95_diff, 0.5, 1e-12);
    EXPECT_EQ(c.variables[i].diff.prob_higher, 1.0);
  }
}

// The columns observe() finds equal to the reference's, bit for bit, given to the study as
// StudySettings::same_columns through the evaluator, and the summaries it makes of the
// other compared columns (summarised_columns): the reports are those of a study that
// summarises every column.
// The model of the closed-form test above at 2,000 draws, and its two shares.
struct TwoShares {
  testing::TempDir dir;
  std::optional<Scenario> scenario;
  EvaluationSettings settings;
  Variant low{"low", 0, {{"share", std::nullopt, 0.30, {}}}, {}, 0};
  Variant high{"high", 0, {{"share", std::nullopt, 0.35, {}}}, {}, 0};
  TwoShares() {
    Diagnostics d;
    scenario = load_scenario(dir.write("m.toml", testing::linear_target_model(10, 3)), d);
    EXPECT_TRUE(scenario && d.empty());
    settings.draws = 2'000;
    settings.seed = 11;
  }
};

TEST(Compare, ColumnsEqualToTheReferencesHaveTheirSummariesCopied) {
  TwoShares model;
  ASSERT_TRUE(model.scenario);
  // (Not a structured binding: clang before 16 cannot capture one in a lambda.)
  const auto& scenario = model.scenario;
  const EvaluationSettings& settings = model.settings;
  const Variant &low = model.low, &high = model.high;
  std::size_t summarised = 0;
  const auto reports = [&](bool copy, std::size_t& copied) {
    Evaluator evaluator({&*scenario}, settings);
    PairedComparer comparer({&evaluator.program(low), &evaluator.program(high)}, {"low", "high"},
                            pair_with_references({"m", "m"}, 0));
    Request request;
    request.on_cube = [&](std::size_t i, const CubePart& part) { comparer.observe(i, part); };
    if (copy) {
      request.same_columns = [&](std::size_t i, const CubePart& part) {
        std::vector<SameColumn> same = comparer.same_columns(i, part);
        copied += same.size();
        return same;
      };
      request.summarised_columns = [&](std::size_t i, const CubePart& part) {
        std::vector<SummarisedColumn> given = comparer.summarised_columns(i, part);
        summarised += given.size();
        return given;
      };
    }
    std::vector<stats::ScenarioReport> out;
    for (auto& r : evaluator.evaluate({low, high}, request)) out.push_back(std::move(r.report));
    return out;
  };
  std::size_t copied = 0;
  const auto with = reports(true, copied);
  const auto without = reports(false, copied);
  // y in the base year is the same in both (the first row of the test above): one column;
  // the comparer summarised every column of the reference (as it copied them) and every
  // other column of the compared scenario.
  EXPECT_EQ(copied, 1u);
  ASSERT_EQ(with.size(), 2u);
  const std::size_t columns = with[1].variables.size() * with[1].variables[0].by_year.size();
  EXPECT_EQ(summarised, 2 * columns - 1);
  for (std::size_t s = 0; s < 2; ++s) {
    ASSERT_EQ(with[s].variables.size(), without[s].variables.size());
    for (std::size_t v = 0; v < with[s].variables.size(); ++v) {
      for (std::size_t y = 0; y < with[s].variables[v].by_year.size(); ++y) {
        const stats::Summary& a = with[s].variables[v].by_year[y];
        const stats::Summary& b = without[s].variables[v].by_year[y];
        EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "scenario " << s << " year " << y;
      }
    }
  }
  EXPECT_EQ(with[1].variables[0].by_year[0].mean, with[0].variables[0].by_year[0].mean);
  for (std::size_t s = 0; s < 2; ++s) {
    ASSERT_EQ(with[s].targets.size(), without[s].targets.size());
    for (std::size_t t = 0; t < with[s].targets.size(); ++t) {
      const stats::TargetOdds& a = with[s].targets[t].odds;
      const stats::TargetOdds& b = without[s].targets[t].odds;
      for (auto m : {&stats::TargetOdds::probability, &stats::TargetOdds::probability_se,
                     &stats::TargetOdds::p05, &stats::TargetOdds::p50, &stats::TargetOdds::p95})
        EXPECT_EQ(std::memcmp(&(a.*m), &(b.*m), sizeof(double)), 0) << "scenario " << s;
      EXPECT_EQ(a.first_year_p50, b.first_year_p50);
    }
  }
}

// Columns known before simulating to be the reference's (set_known_same, from
// columns_known_same) are not read: the comparison takes them as the same. With the true
// claims every row is what the comparison finds by reading; a false claim shows, which is
// how this test knows the columns were not read.
TEST(Compare, ColumnsKnownToBeTheReferencesAreNotRead) {
  TwoShares model;
  ASSERT_TRUE(model.scenario);
  const Variant &low = model.low, &high = model.high;
  Evaluator evaluator({&*model.scenario}, model.settings);
  const auto study = [&](const Variant& v) {
    StudyScenario s;
    s.program = &evaluator.program(v);
    s.draws = evaluator.draws(v.base);
    s.seed = evaluator.seed(v.base);
    s.design = evaluator.design(v.base);
    return s;
  };
  const std::vector<bool> known = columns_known_same(study(high), study(low));
  // y in the base year only (the first row of the first test above).
  ASSERT_EQ(known.size(), 8u);
  EXPECT_EQ(std::count(known.begin(), known.end(), true), 1);
  EXPECT_TRUE(known[0]);
  const auto compare = [&](std::vector<bool> claims, std::size_t& same) {
    PairedComparer comparer({&evaluator.program(low), &evaluator.program(high)}, {"low", "high"},
                            pair_with_references({"m", "m"}, 0));
    comparer.set_known_same(1, std::move(claims));
    Request request;
    request.on_cube = [&](std::size_t i, const CubePart& part) {
      comparer.observe(i, part);
      if (i == 1) same = comparer.same_columns(i, part).size();
    };
    evaluator.evaluate({low, high}, request);
    return comparer.result();
  };
  std::size_t same_read = 0, same_known = 0, same_false = 0;
  const Comparisons read = compare({}, same_read);
  const Comparisons claimed = compare(known, same_known);
  EXPECT_EQ(same_read, 1u);
  EXPECT_EQ(same_known, 1u);
  ASSERT_EQ(read.variables.size(), claimed.variables.size());
  for (std::size_t i = 0; i < read.variables.size(); ++i) {
    const stats::PairedSummary &a = read.variables[i].diff, &b = claimed.variables[i].diff;
    EXPECT_EQ(std::memcmp(&a, &b, sizeof a), 0) << "row " << i;
  }
  const Comparisons falsely = compare(std::vector<bool>(8, true), same_false);
  EXPECT_EQ(same_false, 8u);
  for (const auto& row : falsely.variables) EXPECT_EQ(row.diff.mean_diff, 0.0) << row.year;
}

// A scenario that simulates what its reference did (a hold-out check: the model plus a
// target) is not simulated: it reuses the reference's draws, here those of the same round
// (small cubes; large ones go one per round and reuse the comparer's, Request::held_cube).
// Every report and comparison is the same, bit for bit, as when it is simulated, and its
// rows against the reference are all zero, found without reading the draws.
TEST(Compare, AScenarioThatSimulatesWhatItsReferenceDidReusesTheHeldDraws) {
  testing::TempDir dir;
  Diagnostics d;
  dir.write("m.toml", testing::linear_target_model(10, 3));
  auto base = load_scenario(dir.write("base.toml", R"toml([scenario]
name = "base"
model = "m.toml"
)toml"),
                            d);
  auto holdout = load_scenario(dir.write("holdout.toml", R"toml([scenario]
name = "holdout"
extends = "base.toml"
[vars.y]
targets = [{ year = 2024, below = 0.5 }]
)toml"),
                               d);
  ASSERT_TRUE(base && holdout && d.empty()) << testing::messages(d);
  EvaluationSettings settings;
  settings.draws = 2'000;
  settings.seed = 11;
  const Variant reference{"reference", 0, {}, {}, 0};
  const Variant high{"high", 0, {{"share", std::nullopt, 0.35, {}}}, {}, 0};
  const Variant twin{"twin", 1, {}, {}, 0};
  Evaluator evaluator({&*base, &*holdout}, settings);
  PairedComparer comparer(
      {&evaluator.program(reference), &evaluator.program(high), &evaluator.program(twin)},
      {"reference", "high", "twin"}, pair_with_references({"m", "m", "m"}, 0));
  Request request;
  const Cube* reference_cube = nullptr;
  bool reused = false;
  request.on_cube = [&](std::size_t i, const CubePart& part) {
    if (i == 0) reference_cube = part.cube;
    if (i == 2) reused = part.cube == reference_cube || part.cube == comparer.held_cube(0);
    comparer.observe(i, part);
  };
  request.same_columns = [&](std::size_t i, const CubePart& part) {
    return comparer.same_columns(i, part);
  };
  request.held_cube = [&](std::size_t i) { return comparer.held_cube(i); };
  const std::vector<VariantResult> results = evaluator.evaluate({reference, high, twin}, request);
  EXPECT_TRUE(reused);
  // The oracle: each scenario simulated in a study of its own.
  for (std::size_t s = 0; s < 3; ++s) {
    Evaluator alone({&*base, &*holdout}, settings);
    const auto& a = results[s].report;
    const std::vector<VariantResult> own =
        alone.evaluate({std::vector<Variant>{reference, high, twin}[s]}, {});
    const auto& b = own[0].report;
    ASSERT_EQ(a.variables.size(), b.variables.size());
    for (std::size_t v = 0; v < a.variables.size(); ++v) {
      for (std::size_t y = 0; y < a.variables[v].by_year.size(); ++y) {
        EXPECT_EQ(std::memcmp(&a.variables[v].by_year[y], &b.variables[v].by_year[y],
                              sizeof(stats::Summary)),
                  0);
      }
    }
    ASSERT_EQ(a.targets.size(), b.targets.size());
    for (std::size_t t = 0; t < a.targets.size(); ++t)
      EXPECT_EQ(a.targets[t].odds.probability, b.targets[t].odds.probability);
  }
  // Its own target (in 2024), on the reference's draws.
  ASSERT_FALSE(results[2].report.targets.empty());
  EXPECT_EQ(results[2].report.targets.back().year, 2024);
  std::size_t twin_rows = 0;
  for (const auto& row : comparer.result().variables) {
    if (row.scenario != "twin") continue;
    ++twin_rows;
    const stats::PairedSummary zero{0.0, 0.0, 0.0, 0.0, 0.0};
    EXPECT_EQ(std::memcmp(&row.diff, &zero, sizeof zero), 0) << row.year;
  }
  EXPECT_EQ(twin_rows, 8u);  // y, 2023..2030
}

// The comparer's held cube (Request::held_cube): offered once every part of the reference
// has been observed, still readable while the last scenario compared with it is summarised
// (after observe() returns), and gone at the next observe().
TEST(Compare, TheHeldCubeLivesUntilTheNextObservation) {
  const auto program = [](double share) {
    testing::TempDir dir;
    Diagnostics d;
    auto scenario = load_scenario(dir.write("m.toml", testing::linear_target_model(10, 3)), d);
    EvaluationSettings settings;
    settings.draws = 500;
    Evaluator evaluator({&*scenario}, settings);
    return Program(evaluator.program({"v", 0, {{"share", std::nullopt, share, {}}}, {}, 0}));
  };
  const Program reference = program(0.3), other = program(0.4), next = program(0.5);
  PairedComparer comparer({&reference, &reference, &other, &next},
                          {"reference", "twin", "other", "next"},
                          pair_with_references({"m", "m", "n", "n"}, 0));
  const auto years = static_cast<std::size_t>(reference.years);
  Cube cube(reference.recorded.size(), years, 500);
  for (std::size_t i = 0; i < cube.values.size(); ++i) cube.values[i] = static_cast<double>(i % 7);
  EXPECT_EQ(comparer.held_cube(0), nullptr);
  comparer.observe(0, {0, nullptr, 0, &cube});
  const Cube* held = comparer.held_cube(0);
  ASSERT_NE(held, nullptr);
  EXPECT_NE(held, &cube);
  EXPECT_EQ(std::memcmp(held->values.data(), cube.values.data(), cube.values.size() * 8), 0);
  // The twin is the reference's last scenario: its part is the held cube itself.
  comparer.observe(1, {1, nullptr, 0, held});
  EXPECT_EQ(comparer.held_cube(0), nullptr);                                   // not offered again
  EXPECT_EQ(held->column(0, years - 1)[499], cube.column(0, years - 1)[499]);  // still there
  EXPECT_EQ(comparer.same_columns(1, {1, nullptr, 0, held}).size(), years * cube.variables);
  comparer.observe(2, {2, nullptr, 0, &cube});  // the next model's reference: 0's goes
  const Comparisons c = comparer.result();
  ASSERT_EQ(c.variables.size(), years * cube.variables);
  for (const auto& row : c.variables) {
    EXPECT_EQ(row.scenario, "twin");
    EXPECT_EQ(std::memcmp(&row.diff, &c.variables[0].diff, sizeof row.diff), 0);
    EXPECT_EQ(row.diff.mean_diff, 0.0);
  }
}

TEST(Compare, EachModelIsComparedWithinItself) {
  // References: the chosen one for its model, the first of each other model.
  const auto r = pair_with_references({"a", "b", "a", "b", "c"}, 2);
  ASSERT_EQ(r.size(), 5u);
  EXPECT_EQ(r[0], std::optional<std::size_t>(2));
  EXPECT_EQ(r[1], std::nullopt);
  EXPECT_EQ(r[2], std::nullopt);
  EXPECT_EQ(r[3], std::optional<std::size_t>(1));
  EXPECT_EQ(r[4], std::nullopt);
}

TEST(Compare, PairedTargetStandardErrorFromCounts) {
  const std::vector<std::uint8_t> a = {1, 1, 0, 0, 1, 0}, b = {1, 0, 0, 1, 1, 0};
  const auto t = stats::paired_target(a, b);
  EXPECT_DOUBLE_EQ(t.probability, 0.5);
  EXPECT_DOUBLE_EQ(t.reference_probability, 0.5);
  EXPECT_DOUBLE_EQ(t.difference, 0.0);
  // d = (0, 1, 0, -1, 0, 0): sample variance 2/5, se sqrt(0.4 / 6).
  EXPECT_DOUBLE_EQ(t.difference_se, std::sqrt(0.4 / 6));
}

}  // namespace
}  // namespace tamnhin::analysis
