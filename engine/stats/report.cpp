#include "engine/stats/report.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <array>
#include <numeric>
#include <span>

#include "engine/core/check.hpp"

namespace tamnhin::stats {

ScenarioReport report_frame(ScenarioMeta meta, std::size_t years, std::size_t draws,
                            const std::vector<RecordedVariable>& variables,
                            const std::vector<TargetSpec>& targets) {
  TAMNHIN_CHECK(years > 0);
  const int base_year = meta.base_year;
  ScenarioReport report;
  static_cast<ScenarioMeta&>(report) = std::move(meta);
  report.end_year = base_year + static_cast<int>(years) - 1;
  report.draws = draws;
  report.variables.resize(variables.size());
  for (std::size_t v = 0; v < variables.size(); ++v) {
    report.variables[v].name = variables[v].name;
    report.variables[v].unit = variables[v].unit;
    report.variables[v].labels = variables[v].labels;
    report.variables[v].history = variables[v].history;
    report.variables[v].by_year.resize(years);
  }
  report.targets.resize(targets.size());
  for (std::size_t t = 0; t < targets.size(); ++t) {
    const TargetSpec& spec = targets[t];
    TAMNHIN_CHECK_LT(spec.variable, variables.size());
    TAMNHIN_CHECK_LE(base_year, spec.year);
    TAMNHIN_CHECK_LE(spec.year, report.end_year);
    TargetReport& out = report.targets[t];
    out.variable = variables[spec.variable].name;
    out.year = spec.year;
    out.comparator = spec.comparator;
    out.threshold = spec.threshold;
    out.source = spec.source;
    out.labels = spec.labels;
  }
  return report;
}

std::size_t summary_units(const ScenarioReport& report) {
  const std::size_t years = static_cast<std::size_t>(report.end_year - report.base_year) + 1;
  return report.variables.size() * years + report.targets.size();
}

void summarise_units(ScenarioReport& report, const Cube& cube,
                     const std::vector<TargetSpec>& targets, std::span<const std::size_t> units,
                     const std::vector<bool>* in_report) {
  TAMNHIN_CHECK_EQ(cube.variables, report.variables.size());
  TAMNHIN_CHECK_EQ(targets.size(), report.targets.size());
  TAMNHIN_CHECK(std::is_sorted(units.begin(), units.end()));
  TAMNHIN_CHECK(units.empty() || units.back() < summary_units(report));
  const int base_year = report.base_year;
  // Every slot exists before the parallel loops start; each task fills its own slots and
  // computes each of them serially, so the thread count cannot change a single bit.
  const std::size_t columns = cube.variables * cube.years;
  const auto split = static_cast<std::size_t>(
      std::lower_bound(units.begin(), units.end(), columns) - units.begin());
  if (split > 0) {
    tbb::parallel_for(tbb::blocked_range<std::size_t>(0, split),
                      [&](const tbb::blocked_range<std::size_t>& range) {
                        std::vector<double> scratch;  // one per task, reused across columns
                        for (std::size_t i = range.begin(); i != range.end(); ++i) {
                          const std::size_t c = units[i];
                          const std::size_t v = c / cube.years, year = c % cube.years;
                          report.variables[v].by_year[year] =
                              summarise(cube.column(v, year), scratch);
                        }
                      });
  }
  if (split < units.size()) {
    tbb::parallel_for(
        tbb::blocked_range<std::size_t>(split, units.size()),
        [&](const tbb::blocked_range<std::size_t>& range) {
          std::vector<double> scratch;
          std::vector<std::uint64_t> first_reached;
          for (std::size_t i = range.begin(); i != range.end(); ++i) {
            const std::size_t t = units[i] - columns;
            const TargetSpec& spec = targets[t];
            const auto year_index = static_cast<std::size_t>(spec.year - base_year);
            const std::size_t column = spec.variable * cube.years + year_index;
            // The target year's quantiles are its column's summary's, when
            // that was made above or given (not when another rank made it).
            const bool summarised =
                (in_report != nullptr && column < in_report->size() && (*in_report)[column]) ||
                std::binary_search(units.begin(), units.begin() + split, column);
            if (!summarised) {
              report.targets[t].odds = target_odds(cube, spec.variable, year_index, spec.comparator,
                                                   spec.threshold, base_year, scratch);
              continue;
            }
            const Summary& in_year = report.variables[spec.variable].by_year[year_index];
            first_reached.assign(cube.years, 0);
            const std::size_t hits =
                count_target(cube, spec.variable, year_index, spec.comparator, spec.threshold,
                             scratch, first_reached, first_year_enough(cube.draws));
            report.targets[t].odds = odds_from_counts(hits, cube.draws, first_reached, in_year.p05,
                                                      in_year.p50, in_year.p95, base_year);
          }
        });
  }
}

ScenarioReport summarise_scenario(ScenarioMeta meta, const Cube& cube,
                                  const std::vector<RecordedVariable>& variables,
                                  const std::vector<TargetSpec>& targets) {
  TAMNHIN_CHECK_EQ(cube.variables, variables.size());
  ScenarioReport report = report_frame(std::move(meta), cube.years, cube.draws, variables, targets);
  std::vector<std::size_t> units(summary_units(report));
  std::iota(units.begin(), units.end(), std::size_t{0});
  summarise_units(report, cube, targets, units);
  return report;
}

}  // namespace tamnhin::stats
