// `tamnhin sweep`: lever values on a grid (every combination of the `--vary` axes) or a
// Latin hypercube (`--design lhs --points K`), each point a variant of one scenario under
// common random numbers, all simulated in one parallel run; per point and target the
// chance of meeting it and the indicator's quantiles.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"
#include "engine/analysis/lever_axis.hpp"

namespace tamnhin::analysis {

enum class SweepDesign { grid, lhs };

// Most points a sweep runs; more is refused with the count and a hint.
inline constexpr double kMaxSweepPoints = 10000;

// The design's points: one value per axis each. Grid: every combination, the first axis
// varying slowest. LHS: `points` points, each axis cut into `points` equal strata with one
// point in each, strata paired across axes by permutations keyed by (seed, axis name).
// Throws InputError for an empty or too large design.
std::vector<std::vector<double>> sweep_points(const std::vector<LeverAxis>& axes,
                                              SweepDesign design, std::size_t points,
                                              std::uint64_t seed);

struct SweepRow {
  std::size_t point = 0;  // 1-based
  std::vector<double> values;
  std::string variable;
  int year = 0;
  Comparator comparator = Comparator::below;
  double threshold = 0;
  double probability = 0, probability_se = 0, p05 = 0, p50 = 0, p95 = 0;
};

struct SweepResult {
  std::vector<std::string> names;  // the axes
  std::vector<SweepRow> rows;      // point order, then target order
  std::vector<ShareAdjustment> adjustments;
};

// Evaluates every point as a variant of `base` (its overrides first, then the point's).
SweepResult run_sweep(Evaluator& evaluator, const Variant& base, const std::vector<LeverAxis>& axes,
                      const std::vector<std::vector<double>>& points);

}  // namespace tamnhin::analysis
