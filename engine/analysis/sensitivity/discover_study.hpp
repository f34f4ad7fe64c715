// `tamnhin discover`: under which conditions a target is missed. The scenario as written
// is simulated once (the evaluator, `draws` draws); PRIM (prim.hpp) then searches the
// uncertain parameters' sampled values for boxes where the draws that miss the target
// concentrate.
#pragma once

#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"
#include "engine/analysis/sensitivity/prim.hpp"

namespace tamnhin::analysis {

struct DiscoverResult {
  std::string target;  // "VAR@YEAR"
  std::size_t draws = 0, missed = 0;
  std::vector<std::string> parameters;  // PRIM's inputs: the uncertain parameters
  std::vector<PrimBox> boxes;           // box 1 first
};

// Throws InputError for an unknown target, a model without uncertain parameters, a peel
// outside (0, 0.5).
DiscoverResult run_discover(Evaluator& evaluator, const std::string& variable, int year,
                            const std::vector<Override>& overrides, const PrimOptions& options,
                            const std::string& option_text);

}  // namespace tamnhin::analysis
