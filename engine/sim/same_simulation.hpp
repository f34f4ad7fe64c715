// Whether two scenarios of a study simulate the same numbers: a hold-out check is its
// baseline with targets added, and a scenario file may change only labels or targets. Such
// a scenario's cube is, bit for bit, the earlier one's (every number is a pure function of
// the program, the seed and the draw), so a study can reuse it instead of simulating.
#pragma once

#include <cstdint>

#include "engine/sim/study.hpp"

namespace tamnhin {

// True when `a` and `b` simulate the same cube and clamp counts: everything the sampler and
// the kernel read is the same (ops, slots, constants and paths bit for bit, parameters and
// their correlations, tables, ramps, bounds, history, random sites and the recorded
// variables' names and order), and so are draws, seed, design and stream offset; neither
// sets per-draw parameter columns. Targets, programme targets, names, descriptions, units
// and labels may differ: they are read only after the simulation.
bool simulates_the_same(const StudyScenario& a, const StudyScenario& b);

// A digest of what simulates_the_same compares: equal for scenarios that simulate the same,
// so a study compares in full only the scenarios whose digests are equal.
std::uint64_t simulation_digest(const StudyScenario& scenario);

}  // namespace tamnhin
