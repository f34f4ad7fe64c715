// Year-invariant work moved out of the yearly loop (a compile-time pass over the ops).
#pragma once

#include "engine/compile/program.hpp"

namespace tamnhin {

// An op of the later years whose inputs are all year-invariant (constants, parameters, or
// results of such ops) computes the same lanes every year: sqrt(1 - rho ^ 2), 1 -
// elasticity, -elasticity. Such ops move to the front of the base year's list and write a
// slot of their own that no other op writes, computed once per batch; the later years read
// that slot instead. Same operations on the same inputs in the same kernels: the bits of
// every result are unchanged. Returns the number of ops moved.
std::size_t hoist_year_invariant(Program& program);

}  // namespace tamnhin
