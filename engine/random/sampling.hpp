// Parameter sampling designs: one value per (parameter, draw), fixed across the years of
// the draw. `mc` draws independent uniforms from Philox (site "param/<name>"); `lhs`
// stratifies each parameter over the N draws (a random-access permutation keyed by the
// parameter's name, plus a Philox jitter inside the stratum); `sobol` takes Boost.Random's
// Sobol points (dimension = rank of the parameter's name among the random parameters, point i for
// draw i, the origin included so that 2^m draws are exactly stratified) with a random digital shift
// (XOR) per dimension keyed by the parameter's name.
//
// Correlations: with mc and sobol the uniforms are mapped to normal scores, multiplied by
// the correlation factor and mapped back (a Gaussian copula). With lhs, rank correlation is
// induced by Iman-Conover reordering, so each marginal stays exactly stratified.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "engine/random/designs.hpp"
#include "engine/random/marginal.hpp"

namespace tamnhin::random {

struct ParamSpecForSampling {
  std::string name;  // the site name: the sampled values depend on it, not on position
  Marginal marginal;
};

struct CorrelationGroup {
  std::vector<std::size_t> members;  // indices into the parameter list
  std::vector<double> matrix;        // members.size()^2, row-major, validated PSD
};

// Values for all draws, parameter-major: values[p * draws + d] (for a window of draws,
// `draws` of them from draw `first_draw` on).
struct ParamDraws {
  std::size_t params = 0;
  std::size_t draws = 0;
  std::size_t first_draw = 0;
  std::vector<double> values;
  const double* column(std::size_t p) const { return values.data() + p * draws; }
};

// Pure function of its arguments; parallel inside (oneTBB), identical for any thread count.
ParamDraws sample_parameters(std::span<const ParamSpecForSampling> params,
                             std::span<const CorrelationGroup> correlations, SamplingDesign design,
                             std::uint64_t seed, std::size_t draws);

// Draws [first, first + count) of sample_parameters(params, correlations, design, seed,
// draws), the same bits, sampled alone: for a run too long to hold every parameter's column
// at once (engine/sim/stream_scenario.hpp). Only for designs whose values are per draw
// (DesignInfo::per_draw); lhs stratifies over all the draws.
ParamDraws sample_parameter_window(std::span<const ParamSpecForSampling> params,
                                   std::span<const CorrelationGroup> correlations,
                                   SamplingDesign design, std::uint64_t seed, std::size_t draws,
                                   std::size_t first, std::size_t count);

// Random-access permutation of [0, n): element i of the permutation keyed by `key`
// (Kensler's hash-based permutation with cycle walking, as in pbrt-v4's
// PermutationElement). Exposed for tests.
std::uint32_t permutation_element(std::uint32_t i, std::uint32_t n, std::uint64_t key);

}  // namespace tamnhin::random
