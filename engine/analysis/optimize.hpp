// `tamnhin optimize`: choose the values of several levers (each within its declared range,
// optionally summing to a total) that maximise the expected number of targets met, or a
// weighted sum of target probabilities; with several scenarios (--robust), the worst case
// over them.
//
// How: a Latin-hypercube screen of the feasible region (one parallel round), then NLopt's
// COBYLA — a maintained derivative-free optimiser that takes the sum and range
// constraints directly — from the best screened point. Every candidate is a variant under
// common random numbers, so the objective is a deterministic function of the levers and
// candidates are compared without noise between them. The winner is then evaluated again
// with an independent seed (with the baseline), because the best of many noisy estimates
// is biased upwards (the winner's curse); both figures are reported.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"

namespace tamnhin::analysis {

enum class Objective { targets_met, weighted };

struct TargetWeight {
  std::string variable;
  int year = 0;
  double weight = 1;
};

struct OptimizeRequest {
  std::vector<std::string> over;  // levers, each with a range
  std::optional<double> sum;      // the levers' total, when constrained
  SourceLocation sum_where;
  Objective objective = Objective::targets_met;
  std::vector<TargetWeight> weights;  // for Objective::weighted
  std::size_t max_evaluations = 80;   // candidates, screen included
};

struct OptimizeTraceRow {
  std::size_t evaluation = 0;  // 1-based
  std::string phase;           // screen | cobyla | baseline
  std::vector<double> values;  // per lever of `over`
  bool feasible = true;
  double objective = 0, objective_se = 0;
  std::string worst_scenario;  // where the objective is attained (robust)
};

struct OptimizeResult {
  std::vector<std::string> levers;
  std::vector<double> values;  // of the winner
  double objective = 0, objective_se = 0;
  double baseline_objective = 0, baseline_objective_se = 0;
  double gain = 0, gain_se = 0;  // paired, in the winner's worst-case scenario
  std::size_t evaluations = 0;   // candidates evaluated (each over every scenario)
  double reevaluated_objective = 0, reevaluated_objective_se = 0;
  double reevaluated_baseline = 0;
  double reevaluated_gain = 0, reevaluated_gain_se = 0;
  std::uint64_t reevaluation_seed = 0;
  std::string worst_scenario;
  std::vector<OptimizeTraceRow> trace;
};

// `bases`: one variant per scenario to optimise over (the first is the main one; more for
// --robust), each with the --set overrides. `reevaluator` is an evaluator over the same
// scenarios with an independent seed. Throws InputError for levers without a range or not
// levers, an impossible sum, unknown weighted targets, or scenarios without targets.
OptimizeResult optimize(Evaluator& evaluator, Evaluator& reevaluator,
                        const std::vector<Variant>& bases, const OptimizeRequest& request);

// The seed of the independent re-evaluation: a pure function of the run's seed.
std::uint64_t reevaluation_seed(std::uint64_t seed);

}  // namespace tamnhin::analysis
