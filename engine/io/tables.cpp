#include "engine/io/tables.hpp"

#include "engine/io/number_format.hpp"

namespace tamnhin::io {

std::string csv_field(const std::string& text) {
  if (text.find_first_of(",\"\r\n") == std::string::npos) return text;
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

std::string render_forecast_csv(std::span<const stats::ScenarioReport> reports) {
  std::string out = "scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95\n";
  for (const auto& report : reports) {
    const std::string scenario = csv_field(report.scenario);
    for (const auto& variable : report.variables) {
      const std::string prefix =
          scenario + ',' + csv_field(variable.name) + ',' + csv_field(variable.unit) + ',';
      for (std::size_t i = 0; i < variable.by_year.size(); ++i) {
        const stats::Summary& s = variable.by_year[i];
        out += prefix;
        out += std::to_string(report.base_year + static_cast<int>(i));
        for (double x : {s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95}) {
          out += ',';
          out += format_number(x);
        }
        out += '\n';
      }
    }
  }
  return out;
}

std::string render_targets_csv(std::span<const stats::ScenarioReport> reports) {
  std::string out =
      "scenario,variable,year,comparator,threshold,probability,probability_se,p50,p05,p95,"
      "first_year_p50,source\n";
  for (const auto& report : reports) {
    for (const auto& target : report.targets) {
      const stats::TargetOdds& odds = target.odds;
      out += csv_field(report.scenario) + ',' + csv_field(target.variable) + ',' +
             std::to_string(target.year) + ',' + std::string(to_string(target.comparator));
      for (double x : {target.threshold, odds.probability, odds.probability_se, odds.p50, odds.p05,
                       odds.p95}) {
        out += ',';
        out += format_number(x);
      }
      out += ',';
      if (odds.first_year_p50) out += std::to_string(*odds.first_year_p50);
      out += ',' + csv_field(target.source) + '\n';
    }
  }
  return out;
}

}  // namespace tamnhin::io
