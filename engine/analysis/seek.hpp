// `tamnhin seek`: the smallest (direction up) or largest (down) value of one lever at
// which the chance of meeting a target reaches a probability.
//
// Every candidate value is a variant of one scenario under common random numbers, so the
// estimated probability p(x) is a deterministic, monotone-in-practice step function of the
// lever (each draw meets the target from some lever value on). A bracketing search on that
// curve finds where it crosses the wanted probability p*. The Monte Carlo uncertainty of
// the answer comes from inverting the curve at p* -/+ 1.96 se, se = sqrt(p*(1-p*)/N): the
// lever values between which the true crossing lies with about 95% confidence (the
// classical inverse-prediction interval). The three crossings share their evaluations;
// each round evaluates the pending midpoints of all three together, in one parallel run.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"
#include "engine/analysis/lever_axis.hpp"

namespace tamnhin::analysis {

enum class Direction { up, down };

struct SeekRequest {
  LeverAxis lever;       // name and LO:HI
  std::string variable;  // the target's variable
  int year = 0;          // and year
  double probability = 0.8;
  Direction direction = Direction::up;
  // The search stops when the bracket is narrower than this share of HI - LO.
  double relative_tolerance = 1e-4;
};

struct SeekPoint {
  double value = 0;
  double probability = 0;
};

struct SeekResult {
  std::string lever;
  double value = 0;                      // the answer; when unreachable, the best value evaluated
  double value_low = 0, value_high = 0;  // Monte Carlo interval of the answer
  double probability = 0, probability_se = 0;  // at `value`
  bool reachable = false;
  std::size_t evaluations = 0;
  std::string target;            // "variable comparator threshold in year", for messages
  bool monotone = true;          // false when the evaluated curve went the other way somewhere
  std::vector<SeekPoint> trace;  // every evaluated value, in order of evaluation
};

// Throws InputError when the target does not exist (did-you-mean) or the lever's range or
// the probability is invalid.
SeekResult seek(Evaluator& evaluator, const Variant& base, const SeekRequest& request);

}  // namespace tamnhin::analysis
