// Parameter draws shared between the scenarios of a study. Scenarios of one model mostly
// differ in paths and budget shares, not in their priors, so they would sample the same
// parameter columns again and again (Boost.Math quantiles in long double were 60% of the
// default study's time; docs/performance.md). A column is a pure function of what it is
// sampled from, so a study computes each distinct one once.
//
// What a column depends on (random/sampling.hpp): with mc and lhs, an uncorrelated
// parameter depends only on (design, seed, draws, its name, its marginal), and the random
// members of a correlation group only on the group (their names, marginals, matrix); so
// each of those is a unit of its own. With sobol every random parameter is a dimension of
// one joint point, so the whole parameter set is one unit. Equal units give equal bits.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "engine/compile/program.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin {

// One independently sampled piece of a program's parameters.
struct SamplingUnit {
  std::string key;                  // equal keys, equal values (every input, as bytes)
  std::vector<std::size_t> params;  // indices into Program::params
  std::vector<double> matrix;       // params.size()^2 when a correlation group, else empty
  std::vector<random::CorrelationGroup> correlations;  // for sobol's single unit
};

std::vector<SamplingUnit> sampling_units(const Program& program, std::size_t draws,
                                         std::uint64_t seed, random::SamplingDesign design);

// Sampled values of one unit: unit.params.size() columns of `draws` values.
using UnitValues = std::shared_ptr<const std::vector<double>>;

UnitValues sample_unit(const Program& program, const SamplingUnit& unit, std::size_t draws,
                       std::uint64_t seed, random::SamplingDesign design);

// The same for the `count` draws from `first` on only (columns of `count` values), for
// designs whose values are per draw (random::DesignInfo::per_draw): those draws' bits.
UnitValues sample_unit_window(const Program& program, const SamplingUnit& unit, std::size_t draws,
                              std::uint64_t seed, random::SamplingDesign design, std::size_t first,
                              std::size_t count);

// The columns of a study's units, each computed once. Keys that no later scenario needs
// are dropped with forget_unused, so memory follows the scenarios in flight.
class SharedParameters {
 public:
  UnitValues get(const Program& program, const SamplingUnit& unit, std::size_t draws,
                 std::uint64_t seed, random::SamplingDesign design);
  // Keeps only the entries whose keys are in `still_needed` (sorted).
  void forget_unused(const std::vector<std::string>& still_needed);
  std::size_t size() const { return entries_.size(); }

 private:
  std::map<std::string, UnitValues> entries_;
};

}  // namespace tamnhin
