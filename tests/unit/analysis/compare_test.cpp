// Paired comparisons under common random numbers, against closed forms: two shares s1 <
// s2 of y = k s + N(0,1) > c differ exactly on the draws with z in (c - k s2, c - k s1],
// so the difference of the chances is q = Phi(k s2 - c) - Phi(k s1 - c) and its paired
// standard error sqrt(q (1 - q) / N), far below the unpaired one.
#include <cmath>
#include <cstring>

#include <gtest/gtest.h>
#include <boost/math/distributions/normal.hpp>

#include "engine/analysis/compare.hpp"
#include "engine/analysis/evaluator.hpp"
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
// StudySettings::same_columns through the evaluator: the reports are those of a study that
// summarises every column.
TEST(Compare, ColumnsEqualToTheReferencesHaveTheirSummariesCopied) {
  testing::TempDir dir;
  Diagnostics d;
  auto scenario = load_scenario(dir.write("m.toml", testing::linear_target_model(10, 3)), d);
  ASSERT_TRUE(scenario && d.empty());
  EvaluationSettings settings;
  settings.draws = 2'000;
  settings.seed = 11;
  Variant low{"low", 0, {{"share", std::nullopt, 0.30, {}}}, {}, 0};
  Variant high{"high", 0, {{"share", std::nullopt, 0.35, {}}}, {}, 0};
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
    }
    std::vector<stats::ScenarioReport> out;
    for (auto& r : evaluator.evaluate({low, high}, request)) out.push_back(std::move(r.report));
    return out;
  };
  std::size_t copied = 0;
  const auto with = reports(true, copied);
  const auto without = reports(false, copied);
  // y in the base year is the same in both (the first row of the test above): one column.
  EXPECT_EQ(copied, 1u);
  ASSERT_EQ(with.size(), 2u);
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
