// The output tables of MODEL_FORMAT.md, rendered to text. Rows are ordered by scenario
// (the order given), variable (model order) and year, so two runs diff cleanly. Fields
// that may contain commas or quotes (sources, names) are quoted as RFC 4180 says.
#pragma once

#include <span>
#include <string>

#include "engine/core/labels.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin::io {

// scenario,variable,unit,year,mean,sd,p05,p25,p50,p75,p95
std::string render_forecast_csv(std::span<const stats::ScenarioReport> reports);

// scenario,variable,year,comparator,threshold,probability,probability_se,p50,p05,p95,
// first_year_p50,source
std::string render_targets_csv(std::span<const stats::ScenarioReport> reports);

// Groups reports by model, in first-seen order: the scorecard and the report show one
// block per model.
std::vector<std::vector<const stats::ScenarioReport*>> group_by_model(
    std::span<const stats::ScenarioReport> reports);

// A short human-readable scorecard: for each model, one row per target and one column
// per scenario with the probability of meeting it, then the medians.
// Labels and fixed words in `language`; the medians carry their unit.
std::string render_scorecard(std::span<const stats::ScenarioReport> reports,
                             Language language = Language::en);

// scorecard.csv, for people (a BOM for Excel, labels, rounded numbers):
// model,scenario,variable,label,year,comparator,threshold,unit,probability,median,p05,p95,
// source
std::string render_scorecard_csv(std::span<const stats::ScenarioReport> reports,
                                 Language language = Language::en);

// One CSV field, quoted when needed.
std::string csv_field(const std::string& text);

}  // namespace tamnhin::io
