#include "engine/analysis/sensitivity/discover_study.hpp"

#include "engine/analysis/sensitivity/sensitivity_study.hpp"
#include "engine/core/check.hpp"

namespace tamnhin::analysis {

DiscoverResult run_discover(Evaluator& evaluator, const std::string& variable, int year,
                            const std::vector<Override>& overrides, const PrimOptions& options,
                            const std::string& option_text) {
  TAMNHIN_CHECK_EQ(evaluator.base_count(), std::size_t{1});
  Variant as_written;
  as_written.overrides = overrides;
  const Program& program = evaluator.program(as_written);
  const std::size_t target = find_target(program, variable, year, option_text);
  if (!(options.peel_alpha > 0 && options.peel_alpha < 0.5))
    throw InputError(Diagnostic{
        {"--peel", 0, 0},
        "--peel",
        "the peel fraction must be between 0 and 0.5, got " + std::to_string(options.peel_alpha),
        "0.05 (Friedman & Fisher's usual alpha) or 0.1"});
  DiscoverResult out;
  out.target = variable + "@" + std::to_string(year);
  std::vector<std::size_t> random_params;
  for (std::size_t p = 0; p < program.params.size(); ++p)
    if (program.params[p].marginal.is_random()) {
      random_params.push_back(p);
      out.parameters.push_back(program.params[p].name);
    }
  if (random_params.empty())
    throw InputError(Diagnostic{{evaluator.base(0).file, 0, 0},
                                "params",
                                "the model has no uncertain parameter: there are no conditions "
                                "to discover",
                                "give at least one parameter a distribution (MODEL_FORMAT.md)"});
  Request request;
  request.summaries = false;
  request.target_indicators = true;
  request.only_targets = {target};
  request.parameters = true;
  Variant v = as_written;
  v.name = evaluator.base(0).name;
  const std::vector<VariantResult> results = evaluator.evaluate({v}, request);
  const VariantResult& r = results.at(0);
  std::vector<unsigned char> missed;
  for (auto met : r.target_met[target]) missed.push_back(met ? 0 : 1);
  out.draws = missed.size();
  for (auto m : missed) out.missed += m;
  std::vector<std::span<const double>> inputs;
  for (std::size_t p : random_params) inputs.emplace_back(r.parameters[p].second);
  out.boxes = prim(inputs, missed, options);
  return out;
}

}  // namespace tamnhin::analysis
