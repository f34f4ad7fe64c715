// The registry of parameter sampling designs: the one place that lists them, with the
// name a file or the command line uses, the site prefix of the design's main random
// stream, and whether the design samples every random parameter jointly. Parsing,
// printing, CLI choices, error hints and the grouping of shared parameter columns all
// read this table, so a new design is one entry here plus its sampler in sampling.cpp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace tamnhin::random {

enum class SamplingDesign { mc, lhs, sobol };

struct DesignInfo {
  SamplingDesign design;
  const char* name;         // as written in scenario files and after --sampling
  const char* site_prefix;  // prefix of the per-parameter key of the main stream
  // True when one draw is a single point across all random parameters (a low-discrepancy
  // sequence): a parameter's column then depends on every other random parameter, so the
  // whole parameter set is sampled as one unit. False when each parameter (or correlation
  // group) is sampled on its own.
  bool joint;
  // True when a draw's values depend only on that draw, not on how many draws the run has
  // (a stream or a sequence read at the draw's index): a window of draws can then be
  // sampled alone (sample_parameter_window). False when a draw's stratum is one of all
  // the run's draws.
  bool per_draw;
  const char* summary;  // one line for help texts and docs
};

// Every design, in the order they are listed to users.
std::span<const DesignInfo> sampling_designs();

const DesignInfo& design_info(SamplingDesign design);

// The design with this exact name, or nullopt.
std::optional<SamplingDesign> parse_sampling_design(std::string_view name);

// The design's name ("mc", "lhs", "sobol").
const char* to_string(SamplingDesign design);

// The names in registry order, e.g. for CLI11's IsMember.
std::vector<std::string> sampling_design_names();

// "mc, lhs, sobol": for hints such as "one of mc, lhs, sobol".
std::string sampling_design_list();

}  // namespace tamnhin::random
