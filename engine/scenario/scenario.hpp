// A scenario: a model plus what is assumed (MODEL_FORMAT.md, "Scenario file"). Loading
// follows `extends` chains, applies overrides field by field from the root of the chain
// to the file named, and validates the resulting model.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin {

struct Scenario {
  std::string name;
  std::string description;
  std::string file;                // as named by the user
  std::vector<std::string> files;  // every file read for it: the chain, then the model
  std::optional<std::size_t> draws;
  std::optional<std::uint64_t> seed;
  std::optional<random::SamplingDesign> sampling;
  Model model;  // overrides applied, validated
};

// The documented defaults: runs are reproducible without a seed, never time-based.
inline constexpr std::uint64_t kDefaultSeed = 20451;
inline constexpr std::size_t kDefaultDraws = 10000;

// The name a bare model file runs under.
inline constexpr const char* kBareModelScenarioName = "baseline";

// Loads a scenario file, or a bare model file, which runs as its own baseline. Every
// problem found goes to `diagnostics`; returns nullopt when nothing usable could be read.
std::optional<Scenario> load_scenario(const std::string& file, Diagnostics& diagnostics);

}  // namespace tamnhin
