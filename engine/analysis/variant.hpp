// A variant of a scenario: the scenario as written plus a list of overrides (levers and
// parameters set to constants) and, for the designs of sensitivity analysis, per-draw
// parameter values. A variant is data, never a copied model file; its random numbers are
// those of its base scenario (common random numbers), so differences between variants
// are policy, not noise (ARCHITECTURE.md, "Round 2: the analysis layer").
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/levers.hpp"
#include "engine/scenario/scenario.hpp"

namespace tamnhin::analysis {

// `NAME=VALUE` or `NAME@YEAR=VALUE`: a parameter becomes the constant VALUE; a lever
// becomes VALUE from the first projected year, or at the keyframe YEAR.
struct Override {
  std::string name;
  std::optional<int> year;
  double value = 0;
  SourceLocation where;  // the option that gave it, for messages
};

// Parses the text of a `--set` (or a `--vary` value) into an override. `option` names
// the option in messages ("--set"). Values are plain numbers: "16%", "0,16" or "high" are
// errors with a hint.
std::optional<Override> parse_override(std::string_view text, const std::string& option,
                                       Diagnostics& diagnostics);

// Parses a plain number as a user writes it on the command line (no %, no words, no
// thousands separators); nullopt and a diagnostic otherwise.
std::optional<double> parse_plain_number(std::string_view text, const SourceLocation& where,
                                         const std::string& subject, Diagnostics& diagnostics);

using Column = std::shared_ptr<const std::vector<double>>;

struct Variant {
  std::string name;      // its row label in the outputs
  std::size_t base = 0;  // index of the base scenario in the evaluator
  std::vector<Override> overrides;
  // Per-draw values replacing sampled parameters' columns (`draws` values each).
  std::vector<std::pair<std::string, Column>> param_columns;
  // Added to the draw index of the yearly randomness; 0 keeps common random numbers.
  std::uint64_t stream_offset = 0;
};

// The base scenario's model with a variant's overrides applied and validated again, and
// what setting shares did to the other members of their groups.
struct AppliedVariant {
  Model model;
  std::vector<ShareAdjustment> adjustments;
};

// Parameters named by overrides become constants; levers are set through
// apply_lever_settings (ranges checked, share groups kept at their totals). An unknown
// name gets a did-you-mean over the model's levers and parameters.
std::optional<AppliedVariant> apply_overrides(const Model& base,
                                              const std::vector<Override>& overrides,
                                              Diagnostics& diagnostics);

// A stable text of the overrides (for caching compiled programs and for run.json).
std::string describe(const std::vector<Override>& overrides);

}  // namespace tamnhin::analysis
