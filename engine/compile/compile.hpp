// Model -> Program: resolves names, checks arity and lags, orders variables by their
// same-year dependencies (Boost.Graph; a cycle is reported by naming its members), lowers
// each equation to ops with constant folding, and lays out the slots.
#pragma once

#include <optional>

#include "engine/compile/builtins.hpp"
#include "engine/compile/program.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"

namespace tamnhin {

// Passes over the lowered ops that change the work but never a bit of the outputs. All are
// on for a real run; tests turn one off to compare the programs' outputs.
struct CompileOptions {
  // What equations compute alike is computed once a year: pure ops
  // (engine/compile/common_subexpressions.hpp) and the states of smooth() (lower.cpp).
  bool merge_common_subexpressions = true;
};

// Every problem found goes to `diagnostics`; returns nullopt if there was any. The model
// must have passed validate_model for the program to be run: problems validate_model
// reports (a correlation matrix that is not PSD, a bad distribution) are not reported
// again here, so that `check` lists each problem once.
std::optional<Program> compile(const Model& model, Diagnostics& diagnostics,
                               const CompileOptions& options = {});

}  // namespace tamnhin
