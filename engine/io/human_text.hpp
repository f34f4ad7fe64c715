// Words and numbers of the human outputs (scorecard, report.html, tables.xlsx) in English
// or Vietnamese. The CSV tables for machines never go through here: their numbers keep
// every digit and a decimal point whatever the language.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/core/comparator.hpp"
#include "engine/core/labels.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin::io {

// "en" | "vi" (the values of --lang).
std::optional<Language> language_from_string(std::string_view s);
std::string_view to_string(Language language);

// The fixed words of the human outputs. One struct per language, so a missing
// translation is a compile error rather than an English word in a Vietnamese report.
struct Words {
  std::string_view chance_met;      // "chance target is met"
  std::string_view median_in_year;  // "median in target year"
  std::string_view scenario, scenarios, model, region, variable, indicator, unit;
  std::string_view target, year, source, condition, probability, median;
  std::string_view interval90, band50, band90, p05, p95;
  std::string_view in_year;  // "in" of "< 3 in 2030"
  std::string_view draws, draws_each, seed, sampling, version, files, created, command;
  std::string_view no_targets;
  std::string_view report_title, scorecard_title, charts_title, provenance_title;
  std::string_view base_value, history;
  std::string_view change_vs_reference, reference;
  std::string_view how_to_read;  // one paragraph for the report's readers
  std::string_view run_sheet, scorecard_sheet, comparison_sheet;
};
const Words& words(Language language);

// A probability for reading: "87%", "<1%", ">99%", "0%", "100%" (rounding 0.996 to 100%
// would claim a certainty the draws do not show).
std::string percent(double p);

// At least three significant digits and no exponent between 0.001 and a million, with the
// language's decimal separator (Vietnamese writes 3,5): for reading, not for reading back.
std::string compact(double x, Language language = Language::en);

const stats::VariableForecast* find_variable(const stats::ScenarioReport& report,
                                             std::string_view name);

// What names a target's row: its own label when it has one, else its variable's; `brief`
// prefers the short form. Falls back to the variable's name.
std::string_view target_label(const stats::ScenarioReport& report, const stats::TargetReport& t,
                              Language language, bool brief);

// " < 3 in 2030" (leading space), the threshold in the language's decimals.
std::string condition_text(const stats::TargetReport& t, Language language);

}  // namespace tamnhin::io
