#include "engine/sim/rank_summaries.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <span>

#include "engine/core/check.hpp"
#include "engine/sim/rank_split.hpp"
#include "engine/sim/ranks.hpp"

namespace tamnhin {

namespace {

// Every unit travels as 7 doubles: a Summary's fields, or a target's odds. Doubles are
// copied bit for bit between the ranks, so the report is the one one process makes.
constexpr std::size_t kWidth = 7;

// A target's first year as a double: a calendar year is exact in a double, and NaN (never
// a year) says there is none.
double year_as_double(const std::optional<int>& year) {
  return year ? static_cast<double>(*year) : std::numeric_limits<double>::quiet_NaN();
}

void pack(const stats::ScenarioReport& report, std::size_t years, std::size_t unit, double* out) {
  const std::size_t columns = report.variables.size() * years;
  if (unit < columns) {
    const stats::Summary& s = report.variables[unit / years].by_year[unit % years];
    const double fields[kWidth] = {s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95};
    std::copy(fields, fields + kWidth, out);
    return;
  }
  const stats::TargetOdds& o = report.targets[unit - columns].odds;
  const double fields[kWidth] = {
      o.probability, o.probability_se, o.p50, o.p05, o.p95, year_as_double(o.first_year_p50), 0};
  std::copy(fields, fields + kWidth, out);
}

void unpack(const double* in, std::size_t years, std::size_t unit, stats::ScenarioReport& report) {
  const std::size_t columns = report.variables.size() * years;
  if (unit < columns) {
    report.variables[unit / years].by_year[unit % years] = {in[0], in[1], in[2], in[3],
                                                            in[4], in[5], in[6]};
    return;
  }
  stats::TargetOdds& o = report.targets[unit - columns].odds;
  o.probability = in[0];
  o.probability_se = in[1];
  o.p50 = in[2];
  o.p05 = in[3];
  o.p95 = in[4];
  o.first_year_p50.reset();
  if (!std::isnan(in[5])) o.first_year_p50 = static_cast<int>(in[5]);
}

}  // namespace

stats::ScenarioReport summarise_across_ranks(stats::ScenarioMeta meta, const Cube& cube,
                                             const std::vector<RecordedVariable>& variables,
                                             const std::vector<TargetSpec>& targets,
                                             const KnownUnits& known) {
  TAMNHIN_CHECK_EQ(cube.variables, variables.size());
  stats::ScenarioReport report =
      stats::report_frame(std::move(meta), cube.years, cube.draws, variables, targets);
  const std::size_t columns = cube.variables * cube.years;
  const std::size_t units = stats::summary_units(report);
  std::vector<bool> given(units, false);
  for (const auto& [column, summary] : known.columns) {
    TAMNHIN_CHECK_LT(column, columns);
    report.variables[column / cube.years].by_year[column % cube.years] = summary;
    given[column] = true;
  }
  for (const auto& [target, odds] : known.targets) {
    TAMNHIN_CHECK_LT(target, targets.size());
    report.targets[target].odds = odds;
    given[columns + target] = true;
  }
  std::vector<std::size_t> todo;
  for (std::size_t u = 0; u < units; ++u)
    if (!given[u]) todo.push_back(u);
  // One process: the very path of a run without MPI, no exchange.
  if (ranks::count() == 1) {
    stats::summarise_units(report, cube, targets, todo, &given);
    return report;
  }
  // Contiguous blocks: the columns of one variable mostly stay on one rank.
  const std::vector<std::size_t> bounds = rank_item_bounds(todo.size());
  const auto me = static_cast<std::size_t>(ranks::rank());
  stats::summarise_units(
      report, cube, targets,
      std::span<const std::size_t>(todo.data() + bounds[me], bounds[me + 1] - bounds[me]), &given);
  std::vector<double> numbers(kWidth * todo.size());
  for (std::size_t i = bounds[me]; i < bounds[me + 1]; ++i)
    pack(report, cube.years, todo[i], numbers.data() + kWidth * i);
  share_items(numbers, kWidth, bounds);
  for (std::size_t i = 0; i < todo.size(); ++i) {
    if (i < bounds[me] || i >= bounds[me + 1])
      unpack(numbers.data() + kWidth * i, cube.years, todo[i], report);
  }
  return report;
}

}  // namespace tamnhin
