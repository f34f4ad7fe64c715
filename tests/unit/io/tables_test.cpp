#include "engine/io/tables.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace tamnhin::io {
namespace {

std::vector<stats::ScenarioReport> tiny_reports() {
  stats::ScenarioReport base;
  base.scenario = "baseline";
  base.model = "long_an";
  base.base_year = 2024;
  base.end_year = 2025;
  base.draws = 4;
  base.variables.push_back({"poverty_rate",
                            "%",
                            {{5, 0.5, 4.2, 4.6, 5, 5.4, 5.8}, {4.5, 0.25, 4.1, 4.3, 4.5, 4.7, 4.9}},
                            {},
                            {}});
  base.variables.push_back({"grdp, real",
                            "",
                            {{100, 0, 100, 100, 100, 100, 100}, {-0.0, 1e-9, 0.1, 2, 3, 4, 1e21}},
                            {},
                            {}});
  stats::TargetOdds met{0.75, 0.21650635094610965, 2.5, 2.1, 2.9, 2025};
  stats::TargetOdds missed{0.25, 0.21650635094610965, 3.5, 3.1, 3.9, std::nullopt};
  base.targets.push_back(
      {"poverty_rate", 2025, Comparator::below, 3, "Resolution 10, \"NQ-10\"", met, {}});
  stats::ScenarioReport high = base;
  high.scenario = "cao, \"high\"";
  high.variables.resize(1);
  high.targets[0].comparator = Comparator::at_least;
  high.targets[0].source = "";
  high.targets[0].odds = missed;
  return {base, high};
}

TEST(CsvField, QuotesOnlyWhenNeeded) {
  EXPECT_EQ(csv_field("plain"), "plain");
  EXPECT_EQ(csv_field(""), "");
  EXPECT_EQ(csv_field("Tỷ lệ hộ nghèo"), "Tỷ lệ hộ nghèo");
  EXPECT_EQ(csv_field("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_field("two\nlines"), "\"two\nlines\"");
  EXPECT_EQ(csv_field("cr\r"), "\"cr\r\"");
}

TEST(ForecastCsv, HeaderLineIsExact) {
  const std::string csv = render_forecast_csv({});
  EXPECT_EQ(csv, "scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95\n");
}

TEST(TargetsCsv, HeaderLineIsExact) {
  const std::string csv = render_targets_csv({});
  EXPECT_EQ(csv,
            "scenario,variable,year,comparator,threshold,probability,probability_se,p50,p05,"
            "p95,first_year_p50,source\n");
}

TEST(ForecastCsv, Golden) {
  const auto reports = tiny_reports();
  EXPECT_EQ(render_forecast_csv(reports),
            "scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95\n"
            "baseline,poverty_rate,%,2024,5,0.5,4.2,4.6,5,5.4,5.8\n"
            "baseline,poverty_rate,%,2025,4.5,0.25,4.1,4.3,4.5,4.7,4.9\n"
            "baseline,\"grdp, real\",,2024,100,0,100,100,100,100,100\n"
            "baseline,\"grdp, real\",,2025,0,1e-09,0.1,2,3,4,1e+21\n"
            "\"cao, \"\"high\"\"\",poverty_rate,%,2024,5,0.5,4.2,4.6,5,5.4,5.8\n"
            "\"cao, \"\"high\"\"\",poverty_rate,%,2025,4.5,0.25,4.1,4.3,4.5,4.7,4.9\n");
}

TEST(TargetsCsv, Golden) {
  const auto reports = tiny_reports();
  EXPECT_EQ(render_targets_csv(reports),
            "scenario,variable,year,comparator,threshold,probability,probability_se,p50,p05,"
            "p95,first_year_p50,source\n"
            "baseline,poverty_rate,2025,below,3,0.75,0.21650635094610965,2.5,2.1,2.9,2025,"
            "\"Resolution 10, \"\"NQ-10\"\"\"\n"
            "\"cao, \"\"high\"\"\",poverty_rate,2025,at_least,3,0.25,0.21650635094610965,3.5,"
            "3.1,3.9,,\n");
}

}  // namespace
}  // namespace tamnhin::io
