// The values a study gives a lever or parameter: `--vary NAME=LO:HI:STEP` (a grid axis;
// STEP may be left out for a Latin-hypercube design) and `--range LO:HI` (seek). Parsing
// and checking against the model: the name must be a lever or an uncertain/constant
// parameter, and a lever's values must lie inside its declared range.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"

namespace tamnhin::analysis {

struct LeverAxis {
  std::string name;
  double lo = 0, hi = 0;
  std::optional<double> step;
  SourceLocation where;  // the option, for messages
};

// "NAME=LO:HI:STEP" (or "NAME=LO:HI" when `step_required` is false).
std::optional<LeverAxis> parse_vary(std::string_view text, bool step_required,
                                    Diagnostics& diagnostics);

// "LO:HI" for the lever `name` (seek's --range).
std::optional<LeverAxis> parse_range(const std::string& name, std::string_view text,
                                     const std::string& option, Diagnostics& diagnostics);

// Checks the axis against the model: a lever (inside its range) or a parameter; did-you-
// mean otherwise.
void check_axis(const Model& model, const LeverAxis& axis, Diagnostics& diagnostics);

// How many grid values the axis has (as a double: a tiny step must not overflow).
double axis_count(const LeverAxis& axis);

// The grid values of an axis (check axis_count first): lo, lo + step, ... up to hi (hi included
// when the steps reach it within rounding).
std::vector<double> axis_values(const LeverAxis& axis);

}  // namespace tamnhin::analysis
