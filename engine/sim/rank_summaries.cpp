#include "engine/sim/rank_summaries.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>

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
                                             const std::vector<TargetSpec>& targets) {
  // One process: the very path of a run without MPI, no exchange.
  if (ranks::count() == 1)
    return stats::summarise_scenario(std::move(meta), cube, variables, targets);
  TAMNHIN_CHECK_EQ(cube.variables, variables.size());
  stats::ScenarioReport report =
      stats::report_frame(std::move(meta), cube.years, cube.draws, variables, targets);
  // Contiguous blocks: the columns of one variable mostly stay on one rank.
  const std::size_t units = stats::summary_units(report);
  const std::vector<std::size_t> bounds = rank_item_bounds(units);
  const auto me = static_cast<std::size_t>(ranks::rank());
  stats::summarise_units(report, cube, targets, bounds[me], bounds[me + 1]);
  std::vector<double> numbers(kWidth * units);
  for (std::size_t u = bounds[me]; u < bounds[me + 1]; ++u)
    pack(report, cube.years, u, numbers.data() + kWidth * u);
  share_items(numbers, kWidth, bounds);
  for (std::size_t u = 0; u < units; ++u) {
    if (u < bounds[me] || u >= bounds[me + 1])
      unpack(numbers.data() + kWidth * u, cube.years, u, report);
  }
  return report;
}

}  // namespace tamnhin
