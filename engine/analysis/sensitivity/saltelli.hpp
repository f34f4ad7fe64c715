// Saltelli's design for Sobol' indices (Saltelli et al. 2010, "Variance based sensitivity
// analysis of model output", Computer Physics Communications 181): two independent N x D
// matrices A and B of uniforms in (0,1), and for each factor i the matrix AB_i, equal to A
// except in the coordinates of factor i, which come from B. A factor is one coordinate or
// several that move together (a correlated group is one factor: indices for independent
// groups stay well defined). The model runs N (k + 2) times for k factors.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/random/designs.hpp"

namespace tamnhin::analysis {

struct SaltelliDesign {
  std::size_t samples = 0;   // N
  std::size_t dims = 0;      // D
  std::vector<double> a, b;  // dimension-major: a[d * samples + row]
  const double* a_column(std::size_t d) const { return a.data() + d * samples; }
  const double* b_column(std::size_t d) const { return b.data() + d * samples; }
};

// The uniforms of A and B for coordinates named `dims` (the names key the random numbers,
// so reordering them moves nothing). They come from the engine's own samplers: with sobol
// the 2D columns are the dimensions of one Sobol' sequence with a random digital shift;
// with mc, Philox uniforms; with lhs, each column is a Latin hypercube of N strata. A pure
// function of (names, design, seed, samples).
SaltelliDesign saltelli_design(std::span<const std::string> dims, random::SamplingDesign design,
                               std::uint64_t seed, std::size_t samples);

}  // namespace tamnhin::analysis
