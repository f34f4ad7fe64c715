// PRIM, the Patient Rule Induction Method (Friedman & Fisher 1999, "Bump hunting in
// high-dimensional data"), as used for scenario discovery (Bryant & Lempert 2010): find
// boxes (a lower and upper limit per input) in which the cases of interest (here, draws
// where a target is missed) are concentrated.
//
// Peeling: from the whole sample, repeatedly remove the slice of alpha (peel_alpha) of the
// box's points at the low or high end of one input, choosing the slice whose removal
// leaves the highest density (share of cases of interest in the box), until the box would
// hold fewer than mass_min of the points. Every step is a box of the trajectory, from
// high coverage/low density to low coverage/high density.
// Chosen box (the stated rule): the trajectory's box with the largest coverage x density
// (ties: the larger box), the balance of the two at the knee of the trajectory.
// Pasting: the chosen box is then widened, one side of one input at a time, by the
// paste_alpha slice of adjacent points that adds the most cases of interest, while that
// raises coverage without lowering density.
// Covering: the points of a box are removed and the search repeats on the rest, up to
// max_boxes; a further box is kept only if its density is at least twice the share of
// cases of interest among the points not yet covered, and at least their share in the
// whole sample.
//
// coverage = cases of interest in the box / all cases of interest; density = cases of
// interest in the box / points in the box; mass = points in the box / all points (for
// box b > 1, "in the box" counts the points not in an earlier box).
#pragma once

#include <cstddef>
#include <limits>
#include <span>
#include <vector>

namespace tamnhin::analysis {

struct PrimOptions {
  double peel_alpha = 0.05;
  double paste_alpha = 0.05;
  double mass_min = 0.05;
  std::size_t max_boxes = 3;
};

struct PrimStats {
  double coverage = 0, density = 0, mass = 0;
};

struct PrimStep {
  bool paste = false;  // a pasting step (else the start or a peel)
  PrimStats stats;
  std::size_t restricted = 0;  // inputs with a limit inside the sample's range
  bool chosen = false;         // the box chosen from the peeling trajectory
};

struct PrimBox {
  // Per input: the box keeps points with lower[i] <= x_i <= upper[i]. An unrestricted
  // input has -inf / +inf on that side.
  std::vector<double> lower, upper;
  std::vector<double> sample_min, sample_max;  // per input, over the whole sample
  PrimStats stats;
  std::vector<PrimStep> trajectory;
  bool restricts(std::size_t input) const {
    return lower[input] > -std::numeric_limits<double>::infinity() ||
           upper[input] < std::numeric_limits<double>::infinity();
  }
};

// inputs[i]: the values of input i for every point; interesting[j]: point j is a case of
// interest. Deterministic (ties broken by input order, lower side first).
std::vector<PrimBox> prim(const std::vector<std::span<const double>>& inputs,
                          std::span<const unsigned char> interesting, const PrimOptions& options);

}  // namespace tamnhin::analysis
