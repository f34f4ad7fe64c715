// What two scenarios of one model are known to share before either is simulated: a flow
// analysis of the simulator's year loop (simulate.cpp's BatchRunner) on one flag per
// workspace row, "may differ", instead of on lanes of draws. A row may differ where a
// constant, a prior's sampling unit, a path's value that year, a table, a ramp, a bound, a
// history value or a shock factor differs, and so may every row computed from it, in later
// years through prev() and the state of smooth and delays. What it does not flag holds the
// same bits in both scenarios, in every draw: every number is a pure function of the
// program, the seed and the draw.
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "engine/sim/study.hpp"

namespace tamnhin {

struct DifferenceFlow {
  // Per recorded column of `a` (variable v, year index y at v * years + y): may differ.
  std::vector<char> columns;
  // Per year index, per op of a.ops_for(year): whether what it writes may differ.
  std::vector<std::vector<char>> ops;
};

// The flow of `a` against `b`. Nothing (nullopt) unless the two programs have the same
// shape (ops, slots, variables, sites: a scenario that changes only paths, constants,
// priors, tables, bounds or history of its model's variables) and the scenarios the same
// draws, seed, design and stream offset, without per-draw parameter columns.
std::optional<DifferenceFlow> difference_flow(const StudyScenario& a, const StudyScenario& b);

// Per recorded column of `a`: true where it is known before simulating to hold the same
// bits as `b`'s column of the same variable and year (difference_flow); empty when nothing
// is known. Columns it does not claim may still be the same.
std::vector<bool> columns_known_same(const StudyScenario& a, const StudyScenario& b);

// The workspace rows an op reads and writes in year index `year` (rows of constants,
// parameters and the year counters, which no op writes, left out): for planning which ops
// a scenario must run (reuse_plan.cpp), with the kernel's ring arithmetic.
struct OpRows {
  std::vector<std::uint32_t> reads, writes;
};
OpRows op_rows(const Program& program, const Op& op, int year);

}  // namespace tamnhin
