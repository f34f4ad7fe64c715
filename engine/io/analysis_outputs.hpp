// The outputs of the allocation commands: sweep.csv, seek.json, optimize.json and
// optimize.csv, and the readable summaries they print.
#pragma once

#include <string>

#include "engine/analysis/optimize.hpp"
#include "engine/analysis/seek.hpp"
#include "engine/analysis/sweep.hpp"

namespace tamnhin::io {

// point,<one column per varied name>,variable,year,comparator,threshold,probability,
// probability_se,p05,p50,p95
std::string render_sweep_csv(const analysis::SweepResult& sweep);
// Per point, the lever values and the chance of each target (the targets whose chance
// varies most across points first, at most `max_targets`), rows capped at `max_rows`.
std::string render_sweep_summary(const analysis::SweepResult& sweep, std::size_t max_rows = 40,
                                 std::size_t max_targets = 5);

// lever, value, value_low, value_high, probability, probability_se, reachable,
// evaluations, and what was asked (target, wanted probability, direction, range) and the
// evaluated curve.
std::string render_seek_json(const analysis::SeekResult& seek,
                             const analysis::SeekRequest& request);
std::string render_seek_summary(const analysis::SeekResult& seek,
                                const analysis::SeekRequest& request, std::size_t draws);

// levers {name: value}, objective, objective_se, baseline_objective, gain, gain_se,
// evaluations, reevaluated_objective, and the rest of OptimizeResult.
std::string render_optimize_json(const analysis::OptimizeResult& result,
                                 const analysis::OptimizeRequest& request);
// evaluation,phase,<levers>,feasible,objective,objective_se,worst_scenario
std::string render_optimize_csv(const analysis::OptimizeResult& result);
std::string render_optimize_summary(const analysis::OptimizeResult& result,
                                    const analysis::OptimizeRequest& request);

}  // namespace tamnhin::io
