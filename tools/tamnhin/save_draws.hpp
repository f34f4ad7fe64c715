// `run --save-draws VAR@YEAR[,...]` / `--save-draws params`: draws.csv, the sample behind
// the tables (docs/sensitivity.md). The size is checked before any simulation.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"

namespace tamnhin::cli {

struct SaveDraws {
  bool active = false;
  std::vector<std::string> outputs;  // "VAR@YEAR", as given
  std::vector<analysis::Capture> captures;
};

// Parses the option and refuses an absurd size (over 1 GiB of CSV, or more than half the
// available memory) with a hint. `draws` per scenario; `programs` as they will run.
SaveDraws prepare_save_draws(const std::optional<std::string>& option,
                             const std::vector<const Program*>& programs,
                             const std::vector<std::size_t>& draws);

// Asks the evaluator for the per-draw columns draws.csv needs.
void request_save_draws(const SaveDraws& save, analysis::Request& request);

// draws.csv from the results (in the order of `programs`).
std::string render_save_draws(const SaveDraws& save, const std::vector<const Program*>& programs,
                              const std::vector<std::size_t>& draws,
                              const std::vector<analysis::VariantResult>& results);

}  // namespace tamnhin::cli
