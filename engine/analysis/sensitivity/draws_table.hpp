// draws.csv of `run --save-draws`: the sample behind the tables, one row per scenario and
// draw: `scenario,draw`, a column per sampled (uncertain) parameter, one per requested
// output (VAR@YEAR). Scenarios of different models share a column when they share the
// parameter's name; a scenario without it leaves the cell empty.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace tamnhin::analysis {

struct ScenarioDraws {
  std::string scenario;
  std::size_t draws = 0;
  std::vector<std::pair<std::string, std::vector<double>>> parameters;  // sampled ones
  std::vector<std::vector<double>> outputs;  // per requested output, `draws` values
};

// Parses --save-draws: "params", or VAR@YEAR[,VAR@YEAR...] (the parameters are always
// included). Throws InputError for a malformed item.
std::vector<std::string> parse_save_draws(const std::string& text);

// Estimated bytes of draws.csv (about 20 characters per cell).
std::size_t estimate_draws_csv_bytes(std::size_t rows, std::size_t columns);

// Throws InputError with a hint when draws.csv would exceed `limit_bytes` (1 GiB in the
// CLI) or its in-memory columns and text would not fit `available_bytes` (0: unknown).
void check_draws_size(std::size_t rows, std::size_t columns, std::size_t limit_bytes,
                      std::size_t available_bytes);

std::string render_draws_csv(const std::vector<ScenarioDraws>& scenarios,
                             const std::vector<std::string>& outputs);

}  // namespace tamnhin::analysis
