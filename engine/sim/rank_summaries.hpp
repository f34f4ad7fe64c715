// The summaries of a round's parts, shared out between the ranks of a run (ranks.hpp):
// once share_cube has given every rank the whole cube, each rank summarises a contiguous
// block of the report's units (stats::summary_units: the columns, then the targets) that
// are not known already, and the ranks exchange the numbers, so every rank ends with the
// report one process makes.
// Sorting every column for its quantiles is a third of a run (docs/performance.md): done
// on every rank, it made K ranks take K times the CPU of one process (docs/scale.md).
#pragma once

#include <utility>
#include <vector>

#include "engine/core/cube.hpp"
#include "engine/core/recorded.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin {

// Units whose numbers are known without reading the cube (a column that repeats, bit for
// bit, one summarised before: StudySettings::same_columns): copied into the report and
// left out of the work.
struct KnownUnits {
  std::vector<std::pair<std::size_t, stats::Summary>> columns;     // v * years + y
  std::vector<std::pair<std::size_t, stats::TargetOdds>> targets;  // index into `targets`
};

// stats::summarise_scenario, each rank computing its share of the units not `known`.
// Collective: every rank calls it in the same order with the same arguments. With one rank
// and nothing known it is summarise_scenario.
stats::ScenarioReport summarise_across_ranks(stats::ScenarioMeta meta, const Cube& cube,
                                             const std::vector<RecordedVariable>& variables,
                                             const std::vector<TargetSpec>& targets,
                                             const KnownUnits& known = {});

}  // namespace tamnhin
