#include "engine/stats/report.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <array>
#include <span>

#include "engine/core/check.hpp"
#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"

namespace tamnhin::stats {

ScenarioReport summarise_scenario(ScenarioMeta meta, const Cube& cube,
                                  const std::vector<RecordedVariable>& variables,
                                  const std::vector<TargetSpec>& targets) {
  TAMNHIN_CHECK_EQ(cube.variables, variables.size());
  TAMNHIN_CHECK(cube.years > 0);
  const int base_year = meta.base_year;
  ScenarioReport report;
  static_cast<ScenarioMeta&>(report) = std::move(meta);
  report.end_year = base_year + static_cast<int>(cube.years) - 1;
  report.draws = cube.draws;

  // Every slot exists before the parallel loops start; each task fills its own slots and
  // computes each of them serially, so the thread count cannot change a single bit.
  report.variables.resize(variables.size());
  for (std::size_t v = 0; v < variables.size(); ++v) {
    report.variables[v].name = variables[v].name;
    report.variables[v].unit = variables[v].unit;
    report.variables[v].labels = variables[v].labels;
    report.variables[v].history = variables[v].history;
    report.variables[v].by_year.resize(cube.years);
  }
  const std::size_t columns = variables.size() * cube.years;
  // Blocks of four columns: their sums run interleaved (detail_moments.hpp), each column's
  // arithmetic unchanged; quantiles column by column.
  constexpr std::size_t kBlock = 4;
  const std::size_t blocks = (columns + kBlock - 1) / kBlock;
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, blocks),
      [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<double> scratch;  // one per task, reused across columns
        for (std::size_t b = range.begin(); b != range.end(); ++b) {
          const std::size_t first = b * kBlock;
          if (first + kBlock > columns) {
            for (std::size_t c = first; c < columns; ++c) {
              const std::size_t v = c / cube.years, year = c % cube.years;
              report.variables[v].by_year[year] = summarise(cube.column(v, year), scratch);
            }
            continue;
          }
          std::array<std::span<const double>, kBlock> block;
          for (std::size_t j = 0; j < kBlock; ++j)
            block[j] = cube.column((first + j) / cube.years, (first + j) % cube.years);
          const auto m = detail::moments<kBlock>(block);
          for (std::size_t j = 0; j < kBlock; ++j) {
            const auto q =
                detail::type7_quantiles(block[j], detail::kSummaryProbabilities, scratch);
            const std::size_t c = first + j;
            report.variables[c / cube.years].by_year[c % cube.years] =
                Summary{m[j].mean, m[j].sd, q[0], q[1], q[2], q[3], q[4]};
          }
        }
      });

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
  tbb::parallel_for(tbb::blocked_range<std::size_t>(0, targets.size()),
                    [&](const tbb::blocked_range<std::size_t>& range) {
                      std::vector<double> scratch;
                      for (std::size_t t = range.begin(); t != range.end(); ++t) {
                        const TargetSpec& spec = targets[t];
                        const auto year_index = static_cast<std::size_t>(spec.year - base_year);
                        report.targets[t].odds =
                            target_odds(cube, spec.variable, year_index, spec.comparator,
                                        spec.threshold, base_year, scratch);
                      }
                    });
  return report;
}

}  // namespace tamnhin::stats
