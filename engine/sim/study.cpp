#include "engine/sim/study.hpp"

#include <algorithm>

#include <oneapi/tbb/task_arena.h>

#include "engine/sim/parallel_items.hpp"
#include "engine/sim/shared_parameters.hpp"

namespace tamnhin {

namespace {

struct Item {
  std::size_t scenario;  // within the group
  std::size_t draw0;
  std::size_t n;
};

// Gives `cube` the shape of a scenario, keeping the allocation of an earlier group: the
// simulation writes every element (each recorded variable, year and draw), so nothing is
// zeroed, and pages already touched are not faulted in again (zeroing and faulting fresh
// cubes was 14% of the default study, all on one thread; docs/performance.md).
void reshape_cube(Cube& cube, std::size_t variables, std::size_t years, std::size_t draws) {
  cube.variables = variables;
  cube.years = years;
  cube.draws = draws;
  const std::size_t needed = variables * years * draws;
  if (cube.values.size() < needed) cube.values.resize(needed);
}

void run_group(const std::vector<StudyScenario>& scenarios, std::size_t first, std::size_t last,
               const StudySettings& settings, SharedParameters& shared, std::vector<Cube>& cubes,
               std::vector<ScenarioResult>& results) {
  const std::size_t count = last - first;
  std::vector<PreparedScenario> prepared;
  std::vector<ScenarioOutcome> outcomes(count);
  if (cubes.size() < count) cubes.resize(count);
  std::vector<Item> items;
  for (std::size_t s = 0; s < count; ++s) {
    const StudyScenario& sc = scenarios[first + s];
    prepared.push_back(prepare_scenario(*sc.program, sc.draws, sc.seed, sc.design, &shared));
    reshape_cube(cubes[s], sc.program->recorded.size(), static_cast<std::size_t>(sc.program->years),
                 sc.draws);
    outcomes[s].clamps.resize(sc.program->vars.size());
    for (std::size_t d = 0; d < sc.draws; d += settings.batch_size) {
      items.push_back({s, d, std::min(settings.batch_size, sc.draws - d)});
    }
  }
  std::vector<ClampCounts> clamps(items.size());
  for_each_item_in_order_of_failure(
      items.size(),
      [&](std::size_t i) {
        const Item& item = items[i];
        const PreparedScenario& p = prepared[item.scenario];
        thread_local Workspace workspace;
        workspace.prepare(*p.program, settings.batch_size);
        clamps[i].resize(p.program->vars.size());
        try {
          simulate_batch(p, item.draw0, item.n, workspace, cubes[item.scenario], clamps[i]);
        } catch (const NonFiniteValue& e) {
          throw_non_finite(*p.program, scenarios[first + item.scenario].name, e);
        }
      },
      settings.stop);
  if (settings.stop != nullptr && settings.stop->load()) throw StudyStopped();
  for (std::size_t i = 0; i < items.size(); ++i) outcomes[items[i].scenario].clamps.add(clamps[i]);

  for (std::size_t s = 0; s < count; ++s) {
    const StudyScenario& sc = scenarios[first + s];
    ScenarioResult& r = results[first + s];
    r.report =
        stats::summarise_scenario(sc.name, sc.program->model_name, sc.program->base_year,
                                  cubes[s], sc.program->recorded, sc.program->targets);
    r.clamps = std::move(outcomes[s].clamps);
  }
}

}  // namespace

std::vector<ScenarioResult> run_study(const std::vector<StudyScenario>& scenarios,
                                      const StudySettings& settings) {
  std::vector<ScenarioResult> results(scenarios.size());
  const int threads = settings.threads == 0 ? oneapi::tbb::task_arena::automatic
                                            : static_cast<int>(settings.threads);
  oneapi::tbb::task_arena arena(threads);
  arena.execute([&] {
    const std::size_t group = std::max<std::size_t>(1, settings.group_size);
    // Parameter columns are sampled once per study and kept only while a scenario still
    // to come needs them (shared_parameters.hpp).
    std::vector<std::vector<std::string>> unit_keys(scenarios.size());
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const StudyScenario& sc = scenarios[s];
      for (auto& unit : sampling_units(*sc.program, sc.draws, sc.seed, sc.design))
        unit_keys[s].push_back(std::move(unit.key));
    }
    SharedParameters shared;
    std::vector<Cube> cubes;  // one per scenario of a group, reused by the next group
    for (std::size_t first = 0; first < scenarios.size(); first += group) {
      const std::size_t last = std::min(scenarios.size(), first + group);
      run_group(scenarios, first, last, settings, shared, cubes, results);
      std::vector<std::string> still_needed;
      for (std::size_t s = last; s < scenarios.size(); ++s)
        still_needed.insert(still_needed.end(), unit_keys[s].begin(), unit_keys[s].end());
      std::sort(still_needed.begin(), still_needed.end());
      shared.forget_unused(still_needed);
    }
  });
  return results;
}

}  // namespace tamnhin
