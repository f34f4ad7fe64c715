// `tamnhin sensitivity`: which uncertain assumptions drive an output. A generator of
// variants over the evaluator (ARCHITECTURE.md, "Round 2: the analysis layer"):
//   sobol   N (k + 2) runs (k + 1 with yearly_draws counted) as variants A, B, AB_i of N
//           draws each; AB_yearly_draws is A's parameters with B's yearly randomness
//           (stream offset N), so its total index is the share of variance no parameter
//           explains.
//   morris  r (k + 1) runs as k + 1 variants of r draws: variant j holds point j of every
//           trajectory, and every point of trajectory t uses yearly draw t, so elementary
//           effects carry no yearly noise (inert parameters get mu* = 0 exactly).
// Outputs are recorded variables in a year or, with ":target", the indicator that a
// target on that variable and year holds (its Sobol' indices say what drives the chance
// of meeting it).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"
#include "engine/analysis/sensitivity/sobol_indices.hpp"

namespace tamnhin::analysis {

struct OutputSpec {
  std::string text;  // as given: "grdp_per_capita@2030" or "...@2030:target"
  std::string variable;
  int year = 0;
  bool target = false;
};

// Parses VAR@YEAR or VAR@YEAR:target; throws InputError naming `option`.
OutputSpec parse_output_spec(const std::string& text, const std::string& option);

enum class SensitivityMethod { sobol, morris };

struct SensitivityOptions {
  SensitivityMethod method = SensitivityMethod::sobol;
  std::size_t samples = 0;          // sobol: N (base rows); morris: r (trajectories)
  std::size_t levels = 4;           // morris grid
  std::size_t resamples = 1000;     // bootstrap
  std::vector<Override> overrides;  // --set: applied to every variant
};

struct SensitivityRow {
  std::string output, factor, method;
  std::optional<double> s1, s1_low, s1_high, st, st_low, st_high, mu_star, sigma;
};

struct OutputConvergence {
  std::string output;
  double variance = 0;
  double max_change = 0;
  bool settled = false;
};

struct SensitivityResult {
  std::vector<SensitivityRow> rows;            // per output, factors ranked (ST, or mu*) descending
  std::vector<OutputConvergence> convergence;  // sobol only
  std::size_t factors = 0;
  std::size_t model_runs = 0;  // draws simulated in all
};

// Checks everything a user can get wrong before any simulation (no uncertain parameter,
// too few samples, unknown outputs/targets, years outside the run); throws InputError.
SensitivityResult run_sensitivity(Evaluator& evaluator, const std::vector<OutputSpec>& outputs,
                                  const SensitivityOptions& options);

// Indices of the targets on `variable` in `year` ("VAR@YEAR" in messages); throws
// InputError with the targets the program has when there is none.
std::size_t find_target(const Program& program, const std::string& variable, int year,
                        const std::string& option);

}  // namespace tamnhin::analysis
