// What a scenario's batches share, prepared once: the kernel plan, the sampled parameter
// columns (every draw's, or a window of draws at a time for a streamed run) and the keys
// of the random sites (simulate.hpp).
#include <utility>

#include "engine/random/philox.hpp"
#include "engine/sim/simulate.hpp"

namespace tamnhin {

namespace {

// Points the unit's parameters at its sampled columns (`stride` values apart) and keeps
// the columns alive with the scenario.
void hold_unit(PreparedScenario& s, const SamplingUnit& unit, UnitValues values,
               std::size_t stride) {
  for (std::size_t j = 0; j < unit.params.size(); ++j)
    s.param_columns[unit.params[j]] = values->data() + j * stride;
  s.param_storage.push_back(std::move(values));
}

}  // namespace

PreparedScenario prepare_scenario(const Program& program, std::size_t draws, std::uint64_t seed,
                                  random::SamplingDesign design, SharedParameters* shared,
                                  bool sample_now) {
  PreparedScenario s;
  s.program = &program;
  s.plan = plan_kernel(program);
  s.draws = draws;
  s.seed = seed;
  s.design = design;
  s.param_columns.assign(program.params.size(), nullptr);
  if (sample_now) {
    for (const SamplingUnit& unit : sampling_units(program, draws, seed, design)) {
      hold_unit(s, unit,
                shared != nullptr ? shared->get(program, unit, draws, seed, design)
                                  : sample_unit(program, unit, draws, seed, design),
                draws);
    }
    s.param_draws = draws;
  }
  for (const auto& site : program.sites) s.site_keys.push_back(random::site_key(seed, site));
  for (const auto& group : program.shock_groups) {
    std::vector<std::uint64_t> keys;
    for (const auto& site : group.sites) keys.push_back(random::site_key(seed, site));
    s.shock_keys.push_back(std::move(keys));
  }
  return s;
}

void sample_window(PreparedScenario& s, std::size_t first, std::size_t count) {
  const Program& program = *s.program;
  s.param_storage.clear();
  s.param_columns.assign(program.params.size(), nullptr);
  for (const SamplingUnit& unit : sampling_units(program, s.draws, s.seed, s.design))
    hold_unit(s, unit, sample_unit_window(program, unit, s.draws, s.seed, s.design, first, count),
              count);
  s.param_first_draw = first;
  s.param_draws = count;
}

}  // namespace tamnhin
