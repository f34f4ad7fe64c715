// A program cut down to what some recorded variables need (a compile-time pass over the
// ops), for studies that read only a few columns of the cube: the allocation commands and
// sensitivity studies read their targets and captures, not the whole model.
#pragma once

#include <span>

#include "engine/compile/program.hpp"

namespace tamnhin {

// A copy of `program` without the ops whose results the recorded variables `keep` (indices
// into Program::recorded) do not depend on, in any year, directly or through prev(). The
// kept ops are the same ops in the same order on the same inputs, and random numbers are
// keyed by site, year and draw, not by position in a stream, so every kept variable has
// the same bits as in the whole program. What is dropped is not computed at all: its cube
// columns are left unwritten, its clamps are not counted and a non-finite value in it does
// not stop the run. Slots, rows and tables are kept as they are.
Program prune_to_recorded(const Program& program, std::span<const std::size_t> keep);

}  // namespace tamnhin
