#include <gtest/gtest.h>

#include <sstream>
#include <vector>

#include "engine/io/tables.hpp"
#include "engine/io/text_width.hpp"

namespace tamnhin::io {
namespace {

stats::ScenarioReport report(std::string scenario, std::string model,
                             std::vector<std::pair<std::string, double>> targets) {
  stats::ScenarioReport r;
  r.scenario = std::move(scenario);
  r.model = std::move(model);
  r.draws = 2000;
  for (auto& [variable, probability] : targets) {
    stats::TargetReport t;
    t.variable = variable;
    t.year = 2030;
    t.comparator = Comparator::at_least;
    t.threshold = 95;
    t.odds.probability = probability;
    t.odds.p50 = 96.25;
    r.targets.push_back(t);
  }
  return r;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST(TextWidth, CountsCodePointsAndIgnoresCombiningMarks) {
  EXPECT_EQ(detail::display_width("abc"), 3u);
  EXPECT_EQ(detail::display_width("Tỷ lệ hộ nghèo"), 14u);                // precomposed
  EXPECT_EQ(detail::display_width("Ty\xcc\x89 le\xcc\xa3\xcc\x82"), 5u);  // decomposed
  EXPECT_EQ(detail::pad_left("hộ", 4), "  hộ");
  EXPECT_EQ(detail::pad_right("nghèo", 7), "nghèo  ");
  EXPECT_EQ(detail::truncate_to_width("Tỷ lệ hộ nghèo", 6), "Tỷ lệ\u2026");
  EXPECT_EQ(detail::truncate_to_width("short", 6), "short");
}

TEST(Scorecard, SmallCaseGolden) {
  const std::vector<stats::ScenarioReport> reports = {
      report("baseline", "Long An", {{"literacy", 0.8725}, {"clean_water", 0.996}}),
      report("đầu tư cao", "Long An", {{"literacy", 0.004}, {"clean_water", 1.0}})};
  EXPECT_EQ(render_scorecard(reports),
            "Long An \u2014 2 scenarios, 2000 draws each\n"
            "\n"
            "  chance target is met         baseline  đầu tư cao\n"
            "  literacy >= 95 in 2030            87%         <1%\n"
            "  clean_water >= 95 in 2030        >99%        100%\n"
            "\n"
            "  median in target year        baseline  đầu tư cao\n"
            "  literacy >= 95 in 2030           96.2        96.2\n"
            "  clean_water >= 95 in 2030        96.2        96.2\n");
}

TEST(Scorecard, GroupsByModelInFirstSeenOrder) {
  const std::vector<stats::ScenarioReport> reports = {report("a", "Bac Giang", {{"x", 0.5}}),
                                                      report("b", "Long An", {}),
                                                      report("c", "Bac Giang", {{"x", 0.25}})};
  const std::string card = render_scorecard(reports);
  const auto bac_giang = card.find("Bac Giang \u2014 2 scenarios");
  const auto long_an = card.find("Long An \u2014 1 scenario,");
  ASSERT_NE(bac_giang, std::string::npos) << card;
  ASSERT_NE(long_an, std::string::npos) << card;
  EXPECT_LT(bac_giang, long_an);
  EXPECT_NE(card.find("(no targets)"), std::string::npos);
}

TEST(Scorecard, EightScenariosAndThirtyTargetsFitThePage) {
  std::vector<std::pair<std::string, double>> targets;
  for (int i = 0; i < 30; ++i) {
    targets.push_back(
        {"tỷ_lệ_lao_động_qua_đào_tạo_có_bằng_cấp_chứng_chỉ_" + std::to_string(i), i / 30.0});
  }
  std::vector<stats::ScenarioReport> reports;
  for (int s = 0; s < 8; ++s) {
    reports.push_back(
        report("kịch bản đầu tư công mở rộng số " + std::to_string(s), "Bắc Giang", targets));
  }
  const std::string card = render_scorecard(reports);
  const auto lines = lines_of(card);
  EXPECT_GT(lines.size(), 60u);
  for (const auto& line : lines) EXPECT_LE(detail::display_width(line), 120u) << line;
  EXPECT_NE(card.find("A kịch bản đầu tư công mở rộng số 0"), std::string::npos) << card;
  EXPECT_NE(card.find("H kịch bản đầu tư công mở rộng số 7"), std::string::npos) << card;
}

}  // namespace
}  // namespace tamnhin::io
