#include "tools/tamnhin/save_draws.hpp"

#include <algorithm>

#include "engine/analysis/sensitivity/draws_table.hpp"
#include "engine/sim/memory_estimate.hpp"

namespace tamnhin::cli {

SaveDraws prepare_save_draws(const std::optional<std::string>& option,
                             const std::vector<const Program*>& programs,
                             const std::vector<std::size_t>& draws) {
  SaveDraws save;
  if (!option) return save;
  save.active = true;
  save.outputs = analysis::parse_save_draws(*option);
  for (const auto& o : save.outputs) {
    const auto at = o.find('@');
    save.captures.push_back({o.substr(0, at), std::stoi(o.substr(at + 1))});
  }
  // Every output must exist in every scenario, in a simulated year.
  for (const Program* p : programs)
    for (const auto& c : save.captures) {
      const SourceLocation where{"--save-draws " + c.variable + "@" + std::to_string(c.year), 0, 0};
      analysis::recorded_index(*p, c.variable, where, c.variable);
      if (c.year < p->base_year || c.year >= p->base_year + p->years)
        throw InputError(Diagnostic{
            where, c.variable,
            "year " + std::to_string(c.year) + " is outside the simulated years " +
                std::to_string(p->base_year) + ".." + std::to_string(p->base_year + p->years - 1),
            "choose a year of the run"});
    }
  std::size_t rows = 0, params = 0;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < programs.size(); ++i) {
    rows += draws[i];
    for (const auto& p : programs[i]->params)
      if (p.marginal.is_random() && std::find(names.begin(), names.end(), p.name) == names.end())
        names.push_back(p.name);
  }
  params = names.size();
  const auto available = available_memory_bytes();
  analysis::check_draws_size(rows, params + save.outputs.size(), std::size_t{1} << 30,
                             available ? static_cast<std::size_t>(*available) : 0);
  return save;
}

void request_save_draws(const SaveDraws& save, analysis::Request& request) {
  if (!save.active) return;
  request.parameters = true;
  request.captures = save.captures;
}

std::string render_save_draws(const SaveDraws& save, const std::vector<const Program*>& programs,
                              const std::vector<std::size_t>& draws,
                              const std::vector<analysis::VariantResult>& results) {
  std::vector<analysis::ScenarioDraws> scenarios;
  for (std::size_t i = 0; i < results.size(); ++i) {
    analysis::ScenarioDraws s;
    s.scenario = results[i].name;
    for (std::size_t j = 0; j < results[i].parameters.size(); ++j) {
      if (!programs[i]->params[j].marginal.is_random()) continue;
      s.parameters.push_back(results[i].parameters[j]);
    }
    s.outputs = results[i].captured;
    s.draws = draws[i];
    scenarios.push_back(std::move(s));
  }
  return analysis::render_draws_csv(scenarios, save.outputs);
}

}  // namespace tamnhin::cli
