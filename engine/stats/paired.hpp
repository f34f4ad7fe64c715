// Paired comparisons of two scenarios under common random numbers: draw i of both shares
// its random numbers, so the per-draw difference removes the noise both have in common
// and its statistics are far tighter than those of two independent runs.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/core/comparator.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats {

struct PairedSummary {
  double mean_diff = 0;
  double p05_diff = 0, p50_diff = 0, p95_diff = 0;  // type 7 quantiles of the difference
  double prob_higher = 0;                           // share of draws with a > b
};

// What paired_summary gives two columns of the same finite bits: every difference is +0.0,
// and so is every statistic (paired.cpp says why).
inline constexpr PairedSummary kSameColumns{0.0, 0.0, 0.0, 0.0, 0.0};

// Statistics of a[i] - b[i]; both columns have the same length (> 0). `scratch` is
// reused between calls.
PairedSummary paired_summary(std::span<const double> a, std::span<const double> b,
                             std::vector<double>& scratch);
// The same, and in `identical` whether a and b hold the same bits in every draw (found in
// the same pass): then every statistic of a is that of b, and need not be computed twice.
// With `a_summary`, when they are not identical, also summarise(a), whose first pass is
// made in the same loop as the differences (a loop that waits on memory): the same
// numbers, one pass over a fewer.
PairedSummary paired_summary(std::span<const double> a, std::span<const double> b,
                             std::vector<double>& scratch, bool& identical,
                             Summary* a_summary = nullptr);

struct PairedTarget {
  double probability = 0;            // of a
  double reference_probability = 0;  // of b
  double difference = 0;             // probability - reference_probability
  // Standard error of the difference from the per-draw differences of the indicators:
  // sd(a_i - b_i) / sqrt(N). Under common random numbers it is much smaller than the
  // unpaired sqrt(p(1-p)/N + q(1-q)/N), and 0 when the two agree on every draw.
  double difference_se = 0;
};

PairedTarget paired_target(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b);

// Mean and its standard error (sample sd / sqrt(N)) of per-draw scores, e.g. the number
// of targets a draw meets; with `reference`, of the per-draw difference.
struct MeanAndError {
  double mean = 0;
  double se = 0;
};
MeanAndError mean_and_error(std::span<const double> values);
MeanAndError paired_mean_and_error(std::span<const double> a, std::span<const double> b);

// The rows of compare.csv and compare_targets.csv (engine/analysis/compare.hpp).
struct VariableComparison {
  std::string scenario, reference, variable, unit;
  int year = 0;
  stats::PairedSummary diff;
};

struct TargetComparison {
  std::string scenario, reference, variable;
  int year = 0;
  Comparator comparator = Comparator::below;
  double threshold = 0;
  stats::PairedTarget odds;
};

struct Comparisons {
  std::vector<VariableComparison> variables;  // scenario order, then model order, year
  std::vector<TargetComparison> targets;      // scenario order, then target order
  bool empty() const { return variables.empty() && targets.empty(); }
};

}  // namespace tamnhin::stats
