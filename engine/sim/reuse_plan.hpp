// What a scenario simulated after another one of the same model can take from that one's
// draws instead of computing it. Scenarios of a study mostly move a few levers: under
// common random numbers every variable those levers cannot reach is the other scenario's,
// bit for bit (difference_flow.hpp), and so are the years before a lever moves. A study that
// holds the other scenario's draws (a paired comparison's reference: StudySettings::
// held_cube) loads those variables' values from them, and skips the ops that only fed them.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

#include "engine/sim/study.hpp"

namespace tamnhin {

enum class OpAction : std::uint8_t {
  run,
  skip,    // what it writes is the source's and nothing run afterwards reads it
  load,    // a finish_var whose value is the source's: taken from the source's cube column
  record,  // the same, but nothing run afterwards reads its row: into the cube only
};

struct ReusePlan {
  // Per year index, per op of program.ops_for(year). Empty: nothing to reuse.
  std::vector<std::vector<OpAction>> actions;
  // Variables with bounds loaded in every year: their clamp counts are the source's (the
  // kernel counts nothing for a loaded value).
  std::vector<std::uint32_t> copied_clamps;
};

// The plan for `scenario` given `source`'s whole cube (every recorded variable, year and
// draw). A backward pass over every year's ops, from the flow analysis: an op whose result
// may differ runs; a recorded variable's finish_var whose column is known the same loads
// it (a variable with bounds only when it loads in every year, so that its clamp counts
// can be the source's), into the cube alone when nothing that runs later reads it; any
// other op runs only if an op that runs later reads what it writes before it is written
// again. Empty when difference_flow knows nothing.
ReusePlan plan_reuse(const StudyScenario& scenario, const StudyScenario& source);

}  // namespace tamnhin
