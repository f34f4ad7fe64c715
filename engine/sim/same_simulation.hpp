// Whether two scenarios of a study simulate the same numbers: a hold-out check is its
// baseline with targets added, and a scenario file may change only labels or targets. Such
// a scenario's cube is, bit for bit, the earlier one's (every number is a pure function of
// the program, the seed and the draw), so a study can reuse it instead of simulating.
#pragma once

#include <cstdint>
#include <vector>

#include "engine/sim/study.hpp"

namespace tamnhin {

// True when `a` and `b` simulate the same cube and clamp counts: everything the sampler and
// the kernel read is the same (ops, slots, constants and paths bit for bit, parameters and
// their correlations, tables, ramps, bounds, history, random sites and the recorded
// variables' names and order), and so are draws, seed, design and stream offset; neither
// sets per-draw parameter columns. Targets, programme targets, names, descriptions, units
// and labels may differ: they are read only after the simulation.
bool simulates_the_same(const StudyScenario& a, const StudyScenario& b);

// Per recorded column of `a` (variable v, year index y at v * years + y): true where it is
// known before simulating that the column holds the same bits as `b`'s of the same variable
// and year. The two programs must have the same shape (ops, slots, variables, sites: a
// scenario that changes paths, constants, priors, tables, bounds or history of its model's
// variables) and the same draws, seed, design and stream offset; otherwise, or with
// per-draw parameter columns, the result is empty (nothing known). A flow analysis of the
// simulator's year loop: a row may differ where a constant, a prior's sampling unit, a
// path's value that year, a table, a ramp, a bound, a history value or a shock factor
// differs, and so may every row computed from it, in later years through prev() and the
// state of smooth and delays. Columns it does not claim may still be the same.
std::vector<bool> columns_known_same(const StudyScenario& a, const StudyScenario& b);

// A digest of what simulates_the_same compares: equal for scenarios that simulate the same,
// so a study compares in full only the scenarios whose digests are equal.
std::uint64_t simulation_digest(const StudyScenario& scenario);

}  // namespace tamnhin
