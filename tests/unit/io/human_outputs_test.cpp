// The human outputs: words and numbers by language, the scorecard with labels and units,
// scorecard.csv, the fan chart, report.html, tables.xlsx (bytes; read back by
// tests/report/workbook.py) and iamc.csv.
#include <gtest/gtest.h>

#include <regex>

#include "engine/io/fan_chart.hpp"
#include "engine/io/human_text.hpp"
#include "engine/io/iamc.hpp"
#include "engine/io/number_format.hpp"
#include "engine/io/progress.hpp"
#include "engine/io/report_html.hpp"
#include "engine/io/tables.hpp"
#include "engine/io/workbook.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin::io {
namespace {

stats::Summary flat(double median, double spread) {
  return {median, spread,          median - 2 * spread, median - spread,
          median, median + spread, median + 2 * spread};
}

stats::ScenarioReport scenario(std::string name, double poverty_2030, double chance) {
  stats::ScenarioReport r;
  r.scenario = std::move(name);
  r.model = "long_an";
  r.region = "Long An";
  r.base_year = 2024;
  r.end_year = 2030;
  r.draws = 1000;
  stats::VariableForecast poverty;
  poverty.name = "poverty_rate";
  poverty.unit = "%";
  poverty.labels = {"Poverty rate", "Tỷ lệ hộ nghèo", "Poverty"};
  poverty.history = {{2021, 5.5}, {2022, 5.0}};
  for (int year = 2024; year <= 2030; ++year)
    poverty.by_year.push_back(flat(4.5 + (poverty_2030 - 4.5) * (year - 2024) / 6.0, 0.25));
  stats::VariableForecast workers;
  workers.name = "health_workers";
  workers.unit = "per 10,000 people";
  for (int year = 2024; year <= 2030; ++year) workers.by_year.push_back(flat(123456.789, 1000));
  r.variables = {poverty, workers};
  stats::TargetReport t;
  t.variable = "poverty_rate";
  t.year = 2030;
  t.comparator = Comparator::below;
  t.threshold = 3.5;
  t.source = "Resolution 10";
  t.odds = {chance, 0.01, poverty_2030, poverty_2030 - 0.5, poverty_2030 + 0.5, std::nullopt};
  r.targets = {t};
  return r;
}

std::vector<stats::ScenarioReport> two_scenarios() {
  return {scenario("baseline", 3.75, 0.2523), scenario("health_first", 3.25, 0.8734)};
}

RunInfo run_info() {
  RunInfo info;
  info.version = "0.1.0";
  info.command_line = {"tamnhin", "run", "a.toml"};
  info.seed = 20451;
  info.draws = 1000;
  info.sampling = "mc";
  info.files = {{"scenarios/long_an/model.toml", std::string(64, 'a')}};
  info.scenarios = {{"baseline", "long_an", {}, 1000, 20451, "mc", 2024, 2030, {}},
                    {"health_first", "long_an", {}, 1000, 20451, "mc", 2024, 2030, {}}};
  return info;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

TEST(HumanText, LanguagesAndNumbers) {
  EXPECT_EQ(language_from_string("vi"), Language::vi);
  EXPECT_EQ(language_from_string("en"), Language::en);
  EXPECT_FALSE(language_from_string("fr").has_value());
  EXPECT_EQ(compact(3.14159), "3.14");
  EXPECT_EQ(compact(3.14159, Language::vi), "3,14");
  EXPECT_EQ(compact(123456.789), "123457");
  EXPECT_EQ(compact(2.5e7), "2.5e+07");
  EXPECT_EQ(percent(0.996), ">99%");
  EXPECT_EQ(percent(0.004), "<1%");
  EXPECT_EQ(format_rounded(0.87345, 3), "0.873");
  EXPECT_EQ(format_rounded(0.5, 3), "0.5");
  EXPECT_EQ(format_rounded(-0.0001, 3), "0");
  EXPECT_EQ(format_significant(96.2549, 4), "96.25");
  EXPECT_EQ(format_significant(1234567.0, 4), "1235000");
  EXPECT_EQ(format_significant(0.000123456, 3), "0.000123");
  EXPECT_EQ(words(Language::vi).median, "Trung vị");
}

TEST(Scorecard, ShowsLabelsUnitsAndTheChosenLanguage) {
  const auto reports = two_scenarios();
  const std::string en = render_scorecard(reports);
  EXPECT_NE(en.find("Poverty < 3.5 in 2030"), std::string::npos) << en;
  EXPECT_NE(en.find("3.75          3.25  %"), std::string::npos) << en;  // unit after medians
  const std::string vi = render_scorecard(reports, Language::vi);
  EXPECT_NE(vi.find("khả năng đạt mục tiêu"), std::string::npos) << vi;
  EXPECT_NE(vi.find("< 3,5 năm 2030"), std::string::npos) << vi;
  EXPECT_NE(vi.find("3,75"), std::string::npos) << vi;
}

TEST(Scorecard, CsvHasABomLabelsUnitsAndRoundedNumbers) {
  const std::string csv = render_scorecard_csv(two_scenarios(), Language::vi);
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  EXPECT_EQ(csv.substr(3, csv.find('\n') - 3),
            "model,scenario,variable,label,year,comparator,threshold,unit,probability,median,p05,"
            "p95,source");
  EXPECT_NE(csv.find("long_an,baseline,poverty_rate,Tỷ lệ hộ nghèo,2030,below,3.5,%,0.252,3.75,"
                     "3.25,4.25,Resolution 10\n"),
            std::string::npos)
      << csv;
}

TEST(FanChart, DrawsBandsMediansTargetsBaseAndHistory) {
  const auto reports = two_scenarios();
  FanChart chart;
  chart.title = "Poverty <rate> & \"more\"";
  for (int s = 0; s < 2; ++s)
    chart.series.push_back({reports[s].scenario, s, 2024, &reports[s].variables[0].by_year});
  chart.targets = {{2030, Comparator::below, 3.5}};
  chart.history = reports[0].variables[0].history;
  const std::string svg = render_fan_chart(chart);
  EXPECT_EQ(svg.rfind("<svg class=\"fan\" data-uncertain=\"1\" viewBox=\"0 0 480 270\"", 0), 0u)
      << svg;
  EXPECT_EQ(count(svg, "class=\"band90\""), 2u);
  EXPECT_EQ(count(svg, "class=\"band50\""), 2u);
  EXPECT_EQ(count(svg, "class=\"median\""), 2u);
  EXPECT_EQ(count(svg, "class=\"history\""), 2u);
  EXPECT_EQ(count(svg, "class=\"base\""), 2u);
  EXPECT_EQ(count(svg, "class=\"target\""), 1u);
  EXPECT_NE(svg.find("Poverty &lt;rate&gt; &amp; &quot;more&quot;"), std::string::npos);
  EXPECT_NE(svg.find("stroke=\"#0072B2\""), std::string::npos);
  EXPECT_NE(svg.find(">2021<"), std::string::npos) << "history widens the year axis";
  // Every coordinate is inside the viewBox.
  const std::regex number(R"re((?:cx|cy|x1|x2|y1|y2|x|y)="(-?[0-9.]+)")re");
  for (std::sregex_iterator it(svg.begin(), svg.end(), number), end; it != end; ++it) {
    const double v = std::stod((*it)[1]);
    EXPECT_GE(v, 0) << (*it)[0];
    EXPECT_LE(v, 480) << (*it)[0];
  }
  EXPECT_EQ(render_fan_chart(chart), svg) << "deterministic";
}

TEST(ReportHtml, SelfContainedWithAChartPerIndicatorAndTheScorecard) {
  const auto reports = two_scenarios();
  const RunInfo run = run_info();
  ReportInput input{reports, &run, Language::en, "2026-11-29 10:00 UTC", ""};
  const std::string html = render_report_html(input);
  EXPECT_EQ(html.rfind("<!doctype html>", 0), 0u);
  for (const char* banned : {"http", "<script", "src=", "@import", "url(", "<link"})
    EXPECT_EQ(html.find(banned), std::string::npos) << banned;
  EXPECT_EQ(count(html, "<figure class=\"chart\""), 2u);
  EXPECT_EQ(count(html, "<svg class=\"fan\""), 2u);
  EXPECT_NE(html.find("<figcaption>Poverty rate <span class=\"unit\">(%)</span>"),
            std::string::npos);
  EXPECT_NE(html.find("per 10,000 people"), std::string::npos);
  EXPECT_NE(html.find("class=\"p b1\"><b>25%</b>"), std::string::npos) << "25% is band 1";
  EXPECT_NE(html.find("class=\"p b3\"><b>87%</b>"), std::string::npos);
  EXPECT_NE(html.find(std::string(64, 'a')), std::string::npos) << "file hashes in the footer";
  EXPECT_NE(html.find("20451"), std::string::npos);
  EXPECT_EQ(html.find(" pp<"), std::string::npos) << "no reference, no change";

  input.reference = "baseline";
  input.language = Language::vi;
  const std::string vi = render_report_html(input);
  EXPECT_NE(vi.find("<html lang=\"vi\">"), std::string::npos);
  EXPECT_NE(vi.find("+62 điểm %"), std::string::npos) << "87% - 25% against the reference";
  EXPECT_NE(vi.find("Tỷ lệ hộ nghèo"), std::string::npos);
}

TEST(Workbook, SheetNamesAreValidAndUnique) {
  std::vector<std::string> taken;
  EXPECT_EQ(sheet_name("base/line: [a]?", taken), "base_line_ _a__");
  EXPECT_EQ(sheet_name("kịch bản đầu tư công mở rộng số một", taken),
            "kịch bản đầu tư công mở rộng số");
  EXPECT_EQ(sheet_name("KỊCH BẢN ĐẦU TƯ CÔNG MỞ RỘNG SỐ hai", taken),
            "KỊCH BẢN ĐẦU TƯ CÔNG MỞ RỘNG SỐ")
      << "case folding is ASCII only";
  EXPECT_EQ(sheet_name("Base_line_ _A__", taken), "Base_line_ _A__ (2)");
}

TEST(Workbook, IsAZipAndTheSameBytesForTheSameInputs) {
  const auto reports = two_scenarios();
  const RunInfo run = run_info();
  testing::TempDir dir;
  WorkbookInput input;
  input.reports = reports;
  input.run = &run;
  input.years = {2025, 2030};
  input.reference = "baseline";
  input.created = 1764410400;
  const std::string a = render_workbook(input, dir.path());
  const std::string b = render_workbook(input, dir.path());
  EXPECT_EQ(a.substr(0, 2), "PK");
  EXPECT_GT(a.size(), 4000u);
  EXPECT_EQ(a, b);
  EXPECT_TRUE(std::filesystem::is_empty(dir.path())) << "no scratch file left";
}

TEST(Iamc, WideYearsWithMediansAndTheRegion) {
  auto reports = two_scenarios();
  reports[1].region.clear();
  const std::string csv = render_iamc_csv(reports);
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "model,scenario,region,variable,unit,2024,2025,2026,2027,2028,2029,2030");
  EXPECT_NE(csv.find("long_an,baseline,Long An,poverty_rate,%,4.5,"), std::string::npos);
  EXPECT_NE(csv.find("long_an,health_first,long_an,health_workers,\"per 10,000 people\","
                     "123456.789,"),
            std::string::npos)
      << csv;
}

TEST(Progress, LineShowsCountsTimeAndAnEstimateOnceAnythingIsDone) {
  EXPECT_EQ(progress_line({3, 16, 45000, 160000, 1.25}),
            "3/16 scenarios \u00b7 45,000/160,000 draws \u00b7 1.2 s \u00b7 about 3.2 s left");
  EXPECT_EQ(progress_line({0, 16, 1000, 160000, 1.0}),
            "0/16 scenarios \u00b7 1,000/160,000 draws \u00b7 1.0 s")
      << "no estimate before a twentieth of the work";
  EXPECT_EQ(progress_line({1, 2, 10, 20, 90}),
            "1/2 scenarios \u00b7 10/20 draws \u00b7 1 min 30 s \u00b7 about 1 min 30 s left");
}

}  // namespace
}  // namespace tamnhin::io
