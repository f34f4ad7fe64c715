// Everything the outputs need about one simulated scenario, already summarised; the raw
// cube can be dropped once this exists (ARCHITECTURE.md, decision 4).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/core/comparator.hpp"
#include "engine/core/cube.hpp"
#include "engine/core/labels.hpp"
#include "engine/core/programme_target.hpp"
#include "engine/core/recorded.hpp"
#include "engine/stats/summary.hpp"
#include "engine/stats/target_odds.hpp"

namespace tamnhin::stats {

struct VariableForecast {
  std::string name;
  std::string unit;
  std::vector<Summary> by_year;  // base_year .. end_year
  Labels labels;
  std::map<int, double> history;  // observed values by year, from the model
};

struct TargetReport {
  std::string variable;
  int year = 0;
  Comparator comparator = Comparator::below;
  double threshold = 0;
  std::string source;
  TargetOdds odds;
  Labels labels;
};

// What names and places a scenario, carried unchanged from the study to every output: a
// new descriptive column is a field here, not a new parameter of summarise_scenario, the
// study and each renderer.
struct ScenarioMeta {
  std::string scenario;
  std::string model;        // the model's name
  std::string region;       // the model's region ("Long An"); may be empty
  std::string description;  // the scenario's; may be empty
  int base_year = 0;
};

struct ScenarioReport : ScenarioMeta {
  int end_year = 0;
  std::size_t draws = 0;
  std::vector<VariableForecast> variables;
  std::vector<TargetReport> targets;
  std::vector<ProgrammeTarget> programme_targets;  // the model's targets it does not project
};

// The report with every variable and target named and sized, its summaries and odds
// still to be filled in (summarise_scenario, or a streamed run's own reducers).
ScenarioReport report_frame(ScenarioMeta meta, std::size_t years, std::size_t draws,
                            const std::vector<RecordedVariable>& variables,
                            const std::vector<TargetSpec>& targets);

// Summarises every (recorded variable, year) column and every target. Parallel over
// columns (oneTBB); each column's numbers are computed in draw order, so the report is
// identical for any thread count.
ScenarioReport summarise_scenario(ScenarioMeta meta, const Cube& cube,
                                  const std::vector<RecordedVariable>& variables,
                                  const std::vector<TargetSpec>& targets);

// A report's numbers as units of work that can be shared out (between the ranks of a run,
// rank_split.hpp): unit v * years + y is the Summary of variable v in year y, and unit
// columns + t the odds of target t. summarise_scenario computes every unit.
std::size_t summary_units(const ScenarioReport& report);

// Fills the `units` (ascending) of `report`, a report_frame of `cube`'s variables and of
// `targets`, and leaves the others as they are. Each unit is computed alone, the same way
// whichever units are computed with it, so the numbers do not depend on how they are split
// (between ranks) or on which are left out (known already: sim/rank_summaries.hpp).
// A target takes its year's quantiles from its column's Summary when that is among the
// units or marked in `in_report` (by column: a summary the caller put in the report, the
// same numbers); else it finds them itself.
void summarise_units(ScenarioReport& report, const Cube& cube,
                     const std::vector<TargetSpec>& targets, std::span<const std::size_t> units,
                     const std::vector<bool>* in_report = nullptr);

}  // namespace tamnhin::stats
