// Morris elementary effects (Morris 1991; mu* of Campolongo, Cariboni & Saltelli 2007)
// in the unit hypercube of the factors' probabilities.
//
// Grid: p levels (p even) at the stratum centres u_l = (l + 1/2) / p, so unbounded
// marginals stay finite; a step moves a factor by p/2 levels, Delta = 1/2 in probability.
// A trajectory starts at a random grid point from which the step stays on the grid, then
// moves the factors one at a time in a random order, each in its own random direction: k
// factors, k + 1 points, k elementary effects
//   EE_i = (f(x after the step of i) - f(x before)) / Delta * direction_i.
// mu*_i = mean |EE_i| over the r trajectories, sigma_i their standard deviation (n - 1).
// An inert factor has EE = 0 exactly in every trajectory (the points before and after
// differ only in it). Cost: r (k + 1) model runs.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace tamnhin::analysis {

struct MorrisDesign {
  std::size_t trajectories = 0;  // r
  std::size_t dims = 0;          // D coordinates
  std::size_t factors = 0;       // k; factor f moves the coordinates with factor_of[d] == f
  std::size_t levels = 0;        // p
  // points[j]: point j of every trajectory, dimension-major: points[j][d * r + t].
  std::vector<std::vector<double>> points;
  // order[t * k + j]: the factor moved between points j and j + 1 of trajectory t.
  std::vector<std::size_t> order;
  // direction[t * k + f]: +1 or -1, the direction factor f moves in trajectory t.
  std::vector<int> direction;
  double delta = 0.5;
};

// factor_of[d] gives the factor of coordinate d (factors numbered 0..k-1, each used).
// Keyed by `key` (random::site_key(seed, "morris")); a pure function of its arguments.
MorrisDesign morris_design(std::span<const std::size_t> factor_of, std::size_t factors,
                           std::size_t trajectories, std::size_t levels, std::uint64_t key);

struct MorrisIndex {
  double mu = 0, mu_star = 0, sigma = 0;
};

// outputs[j][t]: the model's output at point j of trajectory t.
std::vector<MorrisIndex> morris_indices(const MorrisDesign& design,
                                        const std::vector<std::span<const double>>& outputs);

}  // namespace tamnhin::analysis
