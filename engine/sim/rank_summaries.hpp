// The summaries of a round's parts, shared out between the ranks of a run (ranks.hpp):
// once share_cube has given every rank the whole cube, each rank summarises a contiguous
// block of the report's units (stats::summary_units: the columns, then the targets) and
// the ranks exchange the numbers, so every rank ends with the report one process makes.
// Sorting every column for its quantiles is a third of a run (docs/performance.md): done
// on every rank, it made K ranks take K times the CPU of one process (docs/scale.md).
#pragma once

#include <vector>

#include "engine/core/cube.hpp"
#include "engine/core/recorded.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin {

// stats::summarise_scenario, each rank computing its share. Collective: every rank calls
// it in the same order with the same arguments. With one rank it is summarise_scenario.
stats::ScenarioReport summarise_across_ranks(stats::ScenarioMeta meta, const Cube& cube,
                                             const std::vector<RecordedVariable>& variables,
                                             const std::vector<TargetSpec>& targets);

}  // namespace tamnhin
