// Values computed twice in one year's list computed once (a compile-time pass over the ops).
#pragma once

#include <cstddef>

#include "engine/compile/program.hpp"

namespace tamnhin {

// Equations often repeat a sub-expression (budget ^ elasticity in three coverage
// equations): each year's list then computes the same value twice. A pure op whose inputs
// hold the same values as an earlier pure op's of the same code gives the same bits
// (ops.hpp: same kernel, same inputs), so the later one is dropped and its readers read
// the earlier result, which gets a row that no other op writes until its last reader (the
// lowerer reuses temporaries like registers, so the earlier result's own slot may be
// overwritten before the duplicate). A duplicate that writes a variable becomes a copy of
// that row. Each list (base year, later years) is merged on its own; ops with state or
// randomness (smooth, delays, lookups, draws, shock groups) are never merged. Every output
// keeps its bits. Returns the number of ops merged (dropped or made copies).
std::size_t merge_common_subexpressions(Program& program);

}  // namespace tamnhin
