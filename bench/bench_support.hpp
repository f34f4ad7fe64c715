// Shared by the micro-benchmarks: the model a scenario benchmark runs, and sizes that the
// CTest smoke shrinks through the environment (TAMNHIN_BENCH_DRAWS).
#pragma once

#include <cstddef>
#include <string>

#include "engine/compile/program.hpp"

namespace tamnhin::bench {

// Draws of the scenario benchmark: TAMNHIN_BENCH_DRAWS, else 100,000.
std::size_t scenario_draws();

// The scenario file the scenario benchmark runs: TAMNHIN_BENCH_SCENARIO, else the Long An
// baseline (scenarios/examples/baseline.toml when Long An is absent).
std::string scenario_file();

// Loaded and compiled once per process; aborts with the diagnostics if that fails.
const Program& scenario_program();

// Variables evaluated per year (one finish_var op each: model variables, shock members and
// smoothing states), the numerator of vyd/s with years and draws.
std::size_t evaluated_variables(const Program& program);

}  // namespace tamnhin::bench
