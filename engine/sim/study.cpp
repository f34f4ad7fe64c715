#include "engine/sim/study.hpp"

#include <algorithm>
#include <optional>
#include <unordered_map>

#include <oneapi/tbb/task_arena.h>

#include "engine/core/check.hpp"
#include "engine/sim/rank_split.hpp"
#include "engine/sim/rank_summaries.hpp"
#include "engine/sim/ranks.hpp"
#include "engine/sim/reuse_plan.hpp"
#include "engine/sim/same_simulation.hpp"
#include "engine/sim/shared_parameters.hpp"
#include "engine/sim/stream_scenario.hpp"

namespace tamnhin {

namespace {

// The recorded variables [var_first, var_first + var_count) of one scenario. A scenario is
// one part unless its draws do not fit the cube budget; then each part simulates the whole
// scenario again and records only its variables (the same numbers: every number is a pure
// function of its draw), so quantiles stay exact within bounded memory.
struct Part {
  std::size_t scenario;  // index into the study
  std::size_t var_first;
  std::size_t var_count;
  bool first_of_scenario;
  bool last_of_scenario;
  bool streamed = false;  // simulated once in chunks and summarised as it goes
};

struct Item {
  std::size_t part;  // within the round
  std::size_t draw0;
  std::size_t n;
};

std::size_t cube_bytes(const StudyScenario& sc, std::size_t variables) {
  return variables * static_cast<std::size_t>(sc.program->years) * sc.draws * sizeof(double);
}

}  // namespace

bool streams(const StudyScenario& sc, const StudySettings& settings) {
  return settings.summarise && !settings.on_cube && settings.cube_budget_bytes != 0 &&
         cube_bytes(sc, sc.program->recorded.size()) > settings.cube_budget_bytes;
}

bool samples_by_chunk(const StudyScenario& scenario) {
  return random::design_info(scenario.design).per_draw && scenario.param_columns.empty();
}

std::vector<std::pair<std::size_t, std::size_t>> scenario_groups(
    const std::vector<StudyScenario>& scenarios, const StudySettings& settings) {
  const std::size_t most = std::max<std::size_t>(1, settings.group_size);
  std::vector<std::pair<std::size_t, std::size_t>> groups;
  std::size_t first = 0, bytes = 0;
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    const std::size_t cube = cube_bytes(scenarios[s], scenarios[s].program->recorded.size());
    if (s > first && (s - first == most || bytes + cube > settings.group_bytes)) {
      groups.emplace_back(first, s);
      first = s;
      bytes = 0;
    }
    bytes += cube;
  }
  if (first < scenarios.size()) groups.emplace_back(first, scenarios.size());
  return groups;
}

namespace {

// Rounds of parts simulated together: a group of whole scenarios when their cubes fit the
// budget together (always, for usual sizes), else one scenario at a time: streamed when only
// its summaries are wanted (stream_scenario.hpp), split by variables when a caller wants the
// per-draw values (on_cube).
std::vector<std::vector<Part>> plan_rounds(const std::vector<StudyScenario>& scenarios,
                                           const StudySettings& settings) {
  std::vector<std::vector<Part>> rounds;
  const std::size_t budget = settings.cube_budget_bytes;
  for (const auto& [first, last] : scenario_groups(scenarios, settings)) {
    std::size_t total = 0;
    for (std::size_t s = first; s < last; ++s)
      total += cube_bytes(scenarios[s], scenarios[s].program->recorded.size());
    if (budget == 0 || total <= budget) {
      std::vector<Part> round;
      for (std::size_t s = first; s < last; ++s)
        round.push_back({s, 0, scenarios[s].program->recorded.size(), true, true});
      rounds.push_back(std::move(round));
      continue;
    }
    for (std::size_t s = first; s < last; ++s) {
      const std::size_t vars = scenarios[s].program->recorded.size();
      if (streams(scenarios[s], settings)) {
        rounds.push_back({{s, 0, vars, true, true, true}});
        continue;
      }
      const std::size_t per_var = std::max<std::size_t>(1, cube_bytes(scenarios[s], 1));
      const std::size_t step = std::max<std::size_t>(1, budget / per_var);
      for (std::size_t v = 0; v < std::max<std::size_t>(vars, 1); v += step) {
        const std::size_t count = std::min(step, vars - std::min(v, vars));
        rounds.push_back({{s, v, count, v == 0, v + step >= vars}});
      }
    }
  }
  return rounds;
}

// Gives `cube` the shape of a part, keeping the allocation of an earlier round: the
// simulation writes every element (each recorded variable, year and draw), so nothing is
// zeroed, and pages already touched are not faulted in again (zeroing and faulting fresh
// cubes was 14% of the default study, all on one thread; docs/performance.md).
void reshape_cube(Cube& cube, std::size_t variables, std::size_t years, std::size_t draws) {
  cube.variables = variables;
  cube.years = years;
  cube.draws = draws;
  cube.first_draw = 0;
  const std::size_t needed = variables * years * draws;
  if (cube.values.size() < needed) cube.values.resize(needed);
}

stats::ScenarioMeta scenario_meta(const StudyScenario& sc) {
  const Program& p = *sc.program;
  return {sc.name, p.model_name, p.region, sc.description, p.base_year};
}

// What a part copies instead of summarising (StudySettings::same_columns and
// summarised_columns), in the part's own indices: the summary of every column that repeats
// an earlier scenario's or that on_cube's owner summarised, and the odds
// of a target whose variable repeats one earlier variable in every year, under the same
// target there. The odds read every year of the variable (the first year it is met), hence
// all of them; the earlier scenario's report is complete: it was summarised before.
KnownUnits copied_units(const std::vector<StudyScenario>& scenarios, const Part& part,
                        const std::vector<SameColumn>& same,
                        const std::vector<SummarisedColumn>& summarised,
                        const std::vector<TargetSpec>& part_targets,
                        const std::vector<ScenarioResult>& results) {
  KnownUnits known;
  const Program& p = *scenarios[part.scenario].program;
  const auto years = static_cast<std::size_t>(p.years);
  const std::size_t first = part.var_first * years;
  for (const SummarisedColumn& s : summarised) {
    TAMNHIN_CHECK(s.column >= first && s.column - first < part.var_count * years);
    known.columns.emplace_back(s.column - first, s.summary);
  }
  if (same.empty()) return known;
  std::vector<const SameColumn*> by_column(part.var_count * years, nullptr);
  for (const SameColumn& s : same) {
    TAMNHIN_CHECK_LT(s.scenario, part.scenario);
    TAMNHIN_CHECK(s.column >= first && s.column - first < by_column.size());
    const auto source_years = static_cast<std::size_t>(scenarios[s.scenario].program->years);
    const stats::ScenarioReport& source = results[s.scenario].report;
    TAMNHIN_CHECK_LT(s.source_column / source_years, source.variables.size());
    known.columns.emplace_back(
        s.column - first,
        source.variables[s.source_column / source_years].by_year[s.source_column % source_years]);
    by_column[s.column - first] = &s;
  }
  for (std::size_t t = 0; t < part_targets.size(); ++t) {
    const TargetSpec& spec = part_targets[t];  // its variable indexes the part
    const SameColumn* head = by_column[spec.variable * years];
    if (head == nullptr) continue;
    const Program& q = *scenarios[head->scenario].program;
    if (q.base_year != p.base_year || q.years != p.years) continue;
    const std::size_t source_var = head->source_column / years;
    bool every_year = true;
    for (std::size_t y = 0; y < years && every_year; ++y) {
      const SameColumn* s = by_column[spec.variable * years + y];
      every_year = s != nullptr && s->scenario == head->scenario &&
                   s->source_column == source_var * years + y;
    }
    if (!every_year) continue;
    for (std::size_t u = 0; u < q.targets.size(); ++u) {
      const TargetSpec& other = q.targets[u];
      if (other.variable == source_var && other.year == spec.year &&
          other.comparator == spec.comparator && other.threshold == spec.threshold) {
        known.targets.emplace_back(t, results[head->scenario].report.targets[u].odds);
        break;
      }
    }
  }
  return known;
}

// Summarises the part's variables and the targets on them into the scenario's report,
// each rank its share (rank_summaries.hpp), copying what repeats an earlier scenario.
void summarise_part(const std::vector<StudyScenario>& scenarios, const Part& part, const Cube& cube,
                    const std::vector<SameColumn>& same,
                    const std::vector<SummarisedColumn>& summarised,
                    std::vector<ScenarioResult>& results) {
  const StudyScenario& sc = scenarios[part.scenario];
  stats::ScenarioReport& report = results[part.scenario].report;
  const Program& p = *sc.program;
  if (part.first_of_scenario && part.last_of_scenario) {
    const KnownUnits known = copied_units(scenarios, part, same, summarised, p.targets, results);
    report = summarise_across_ranks(scenario_meta(sc), cube, p.recorded, p.targets, known);
    report.programme_targets = p.programme_targets;
    return;
  }
  const auto first = static_cast<std::ptrdiff_t>(part.var_first);
  const std::vector<RecordedVariable> vars(
      p.recorded.begin() + first,
      p.recorded.begin() + first + static_cast<std::ptrdiff_t>(part.var_count));
  std::vector<TargetSpec> targets;
  std::vector<std::size_t> target_index;
  for (std::size_t t = 0; t < p.targets.size(); ++t) {
    const std::size_t v = p.targets[t].variable;
    if (v < part.var_first || v >= part.var_first + part.var_count) continue;
    targets.push_back(p.targets[t]);
    targets.back().variable = v - part.var_first;
    target_index.push_back(t);
  }
  const KnownUnits known = copied_units(scenarios, part, same, summarised, targets, results);
  stats::ScenarioReport sub = summarise_across_ranks(scenario_meta(sc), cube, vars, targets, known);
  if (part.first_of_scenario) {
    report = sub;
    report.variables.clear();
    report.targets.clear();
    report.variables.resize(p.recorded.size());
    report.targets.resize(p.targets.size());
    report.programme_targets = p.programme_targets;
  }
  for (std::size_t i = 0; i < sub.variables.size(); ++i)
    report.variables[part.var_first + i] = std::move(sub.variables[i]);
  for (std::size_t j = 0; j < sub.targets.size(); ++j)
    report.targets[target_index[j]] = std::move(sub.targets[j]);
}

// Per-draw parameter values given by the scenario replace the sampled columns.
void override_columns(const StudyScenario& sc, PreparedScenario& prepared) {
  prepared.stream_offset = sc.stream_offset;
  for (const auto& entry : sc.param_columns) {
    // Not a structured binding: clang before 16 cannot capture one in a lambda.
    const std::string& name = entry.first;
    const UnitValues& column = entry.second;
    const auto& params = sc.program->params;
    auto it = std::find_if(params.begin(), params.end(),
                           [&](const CompiledParam& p) { return p.name == name; });
    TAMNHIN_CHECK(it != params.end());
    TAMNHIN_CHECK_EQ(column->size(), sc.draws);
    prepared.param_columns[static_cast<std::size_t>(it - params.begin())] = column->data();
    prepared.param_storage.push_back(column);
  }
}

// Under MPI, gives every rank the draws of the part's columns that are read afterwards:
// every column, or only those on_cube reads when nothing is summarised (cube_reads).
void share_part(const StudySettings& settings, const Part& part, Cube& cube,
                std::span<const std::size_t> bounds) {
  if (ranks::count() == 1 || (!settings.summarise && !settings.on_cube)) return;
  if (settings.summarise || !settings.cube_reads) return share_cube(cube, bounds);
  const std::size_t first = part.var_first * cube.years;
  const std::size_t last = first + cube.variables * cube.years;
  std::vector<std::size_t> wanted;
  for (std::size_t c : settings.cube_reads(part.scenario))
    if (c >= first && c < last) wanted.push_back(c - first);
  std::sort(wanted.begin(), wanted.end());
  wanted.erase(std::unique(wanted.begin(), wanted.end()), wanted.end());
  // Runs of adjacent columns go together: one exchange each.
  for (std::size_t i = 0; i < wanted.size();) {
    std::size_t j = i + 1;
    while (j < wanted.size() && wanted[j] == wanted[j - 1] + 1) ++j;
    share_columns(cube, bounds, wanted[i], j - i);
    i = j;
  }
}

// For each scenario, the first earlier one that simulates the same numbers, else nullopt.
// Scenarios are compared in full only when their digests agree, so a long search of many
// variants costs a hash each.
std::vector<std::optional<std::size_t>> earlier_twins(const std::vector<StudyScenario>& scenarios) {
  std::vector<std::optional<std::size_t>> twin(scenarios.size());
  std::unordered_map<std::uint64_t, std::vector<std::size_t>> originals;
  for (std::size_t s = 0; s < scenarios.size(); ++s) {
    // Per-draw parameter columns (the designs of sensitivity analysis): never a twin.
    if (!scenarios[s].param_columns.empty()) continue;
    std::vector<std::size_t>& same_digest = originals[simulation_digest(scenarios[s])];
    for (const std::size_t t : same_digest) {
      if (simulates_the_same(scenarios[t], scenarios[s])) {
        twin[s] = t;
        break;
      }
    }
    if (!twin[s]) same_digest.push_back(s);
  }
  return twin;
}

// The cube a part reads instead of simulating, when it is a whole scenario that simulates
// what an earlier one did: that scenario's cube in this round, else the one on_cube's owner
// holds (StudySettings::held_cube); null when neither is at hand. Not under MPI when only
// some columns travel between ranks (cube_reads): the earlier scenario's exchanged columns
// need not be those this one reads.
const Cube* reused_cube(const std::vector<StudyScenario>& scenarios, const std::vector<Part>& parts,
                        std::size_t k, const std::vector<Cube>& cubes,
                        const std::optional<std::size_t>& twin, const StudySettings& settings) {
  const Part& part = parts[k];
  if (!twin || !part.first_of_scenario || !part.last_of_scenario || part.streamed) return nullptr;
  if (ranks::count() > 1 && !settings.summarise && settings.cube_reads) return nullptr;
  for (std::size_t j = 0; j < k; ++j) {
    if (parts[j].scenario == *twin && parts[j].first_of_scenario && parts[j].last_of_scenario)
      return &cubes[j];
  }
  if (!settings.held_cube) return nullptr;
  const Cube* held = settings.held_cube(*twin);
  const StudyScenario& sc = scenarios[part.scenario];
  if (held == nullptr || held->variables != sc.program->recorded.size() ||
      held->years != static_cast<std::size_t>(sc.program->years) || held->draws != sc.draws ||
      held->first_draw != 0)
    return nullptr;
  return held;
}

// For a whole scenario that is simulated, the earlier scenario whose cube on_cube's owner
// holds (StudySettings::held_cube) and the plan to take from it what the two share
// (reuse_plan.hpp); nullopt when there is none or nothing to take. Under the same
// conditions as reused_cube.
std::optional<std::size_t> reuse_source(const std::vector<StudyScenario>& scenarios,
                                        const Part& part, const StudySettings& settings,
                                        ReusePlan& plan, const Cube*& held) {
  if (!settings.held_cube || !part.first_of_scenario || !part.last_of_scenario || part.streamed)
    return std::nullopt;
  if (ranks::count() > 1 && !settings.summarise && settings.cube_reads) return std::nullopt;
  const StudyScenario& sc = scenarios[part.scenario];
  for (std::size_t t = part.scenario; t-- > 0;) {
    held = settings.held_cube(t);
    if (held == nullptr) continue;
    if (held->variables != sc.program->recorded.size() ||
        held->years != static_cast<std::size_t>(sc.program->years) || held->draws != sc.draws ||
        held->first_draw != 0)
      return std::nullopt;
    plan = plan_reuse(sc, scenarios[t]);
    if (plan.actions.empty()) return std::nullopt;
    return t;
  }
  return std::nullopt;
}

void run_round(const std::vector<StudyScenario>& scenarios, const std::vector<Part>& parts,
               const StudySettings& settings, const std::vector<std::optional<std::size_t>>& twins,
               SharedParameters& shared, std::vector<Cube>& cubes,
               std::vector<ScenarioResult>& results) {
  const std::size_t count = parts.size();
  if (count == 1 && parts[0].streamed) {
    const StudyScenario& sc = scenarios[parts[0].scenario];
    PreparedScenario prepared =
        prepare_scenario(*sc.program, sc.draws, sc.seed, sc.design, &shared, !samples_by_chunk(sc));
    override_columns(sc, prepared);
    results[parts[0].scenario] = stream_scenario(sc, prepared, settings);
    if (settings.scenarios_done != nullptr)
      settings.scenarios_done->fetch_add(1, std::memory_order_relaxed);
    return;
  }
  std::vector<PreparedScenario> prepared;
  if (cubes.size() < count) cubes.resize(count);
  std::vector<Item> items;
  // With several ranks (ranks.hpp), each simulates a block of every part's batches, then
  // the ranks exchange their draws: from there on every rank holds the whole round.
  std::vector<std::vector<std::size_t>> bounds(count);
  std::vector<std::size_t> mine;
  std::vector<const Cube*> reused(count, nullptr);
  std::vector<ReusePlan> plans(count);
  std::vector<std::optional<std::size_t>> sources(count);
  for (std::size_t k = 0; k < count; ++k) {
    const StudyScenario& sc = scenarios[parts[k].scenario];
    prepared.push_back(prepare_scenario(*sc.program, sc.draws, sc.seed, sc.design, &shared));
    override_columns(sc, prepared.back());
    prepared.back().record_first = parts[k].var_first;
    prepared.back().record_count = parts[k].var_count;
    reused[k] = reused_cube(scenarios, parts, k, cubes, twins[parts[k].scenario], settings);
    if (reused[k] != nullptr) {
      if (settings.draws_done != nullptr)
        settings.draws_done->fetch_add(sc.draws, std::memory_order_relaxed);
      continue;
    }
    const Cube* held = nullptr;
    sources[k] = reuse_source(scenarios, parts[k], settings, plans[k], held);
    if (sources[k]) {
      prepared.back().reuse = &plans[k];
      prepared.back().reuse_source = held;
    }
    reshape_cube(cubes[k], parts[k].var_count, static_cast<std::size_t>(sc.program->years),
                 sc.draws);
    bounds[k] = rank_draw_bounds(sc.draws, settings.batch_size);
    const auto rank = static_cast<std::size_t>(ranks::rank());
    for (std::size_t d = 0; d < sc.draws; d += settings.batch_size) {
      if (d >= bounds[k][rank] && d < bounds[k][rank + 1]) mine.push_back(items.size());
      items.push_back({k, d, std::min(settings.batch_size, sc.draws - d)});
    }
  }
  std::vector<ClampCounts> clamps(items.size());
  run_items_across_ranks(
      mine,
      [&](std::size_t i) {
        const Item& item = items[i];
        const PreparedScenario& p = prepared[item.part];
        thread_local Workspace workspace;
        workspace.prepare(*p.program, settings.batch_size);
        clamps[i].resize(p.program->vars.size());
        try {
          simulate_batch(p, item.draw0, item.n, workspace, cubes[item.part], clamps[i]);
          if (settings.draws_done != nullptr)
            settings.draws_done->fetch_add(item.n, std::memory_order_relaxed);
        } catch (const NonFiniteValue& e) {
          throw_non_finite(*p.program, scenarios[parts[item.part].scenario].name, e);
        }
      },
      settings.stop);
  if (settings.stop != nullptr && settings.stop->load()) throw StudyStopped();
  for (std::size_t k = 0; k < count; ++k)
    if (reused[k] == nullptr) share_part(settings, parts[k], cubes[k], bounds[k]);

  for (std::size_t k = 0; k < count; ++k) {
    const StudyScenario& sc = scenarios[parts[k].scenario];
    ScenarioResult& r = results[parts[k].scenario];
    if (parts[k].first_of_scenario) r.clamps.resize(sc.program->vars.size());
    const Cube& cube = reused[k] != nullptr ? *reused[k] : cubes[k];
    const CubePart part{parts[k].scenario, &prepared[k], parts[k].var_first, &cube};
    if (settings.on_cube) settings.on_cube(part);
    if (settings.summarise) {
      std::vector<SameColumn> same;
      if (settings.same_columns) same = settings.same_columns(part);
      std::vector<SummarisedColumn> summarised;
      if (settings.summarised_columns) summarised = settings.summarised_columns(part);
      summarise_part(scenarios, parts[k], cube, same, summarised, results);
    }
    if (parts[k].last_of_scenario && settings.scenarios_done != nullptr)
      settings.scenarios_done->fetch_add(1, std::memory_order_relaxed);
  }
  // Clamps are counted once per scenario: every part simulates all of it.
  std::vector<ClampCounts> part_clamps(count);
  for (std::size_t k = 0; k < count; ++k) {
    if (parts[k].first_of_scenario)
      part_clamps[k].resize(scenarios[parts[k].scenario].program->vars.size());
  }
  for (std::size_t i : mine) {
    const std::size_t k = items[i].part;
    if (parts[k].first_of_scenario) part_clamps[k].add(clamps[i]);
  }
  for (std::size_t k = 0; k < count; ++k) {
    if (!parts[k].first_of_scenario) continue;
    if (reused[k] != nullptr) {  // every rank reuses the same parts; the twin's come first
      results[parts[k].scenario].clamps = results[*twins[parts[k].scenario]].clamps;
      continue;
    }
    share_clamps(part_clamps[k]);
    ClampCounts& totals = results[parts[k].scenario].clamps;
    totals.add(part_clamps[k]);
    // A variable loaded in every year counted nothing: its counts are its source's.
    for (const std::uint32_t v : plans[k].copied_clamps) {
      totals.low[v] = results[*sources[k]].clamps.low[v];
      totals.high[v] = results[*sources[k]].clamps.high[v];
    }
  }
}

}  // namespace

std::uint64_t study_work(const std::vector<StudyScenario>& scenarios,
                         const StudySettings& settings) {
  std::uint64_t draws = 0;
  for (const auto& round : plan_rounds(scenarios, settings)) {
    for (const Part& part : round) draws += scenarios[part.scenario].draws;
  }
  return draws;
}

int arena_concurrency(unsigned threads) {
  return threads == 0 ? oneapi::tbb::task_arena::automatic : static_cast<int>(threads);
}

std::vector<ScenarioResult> run_study(const std::vector<StudyScenario>& scenarios,
                                      const StudySettings& settings) {
  // Copies come from the cubes on_cube's owner compared (not from a streamed scenario, whose
  // means may differ from a whole cube's in the last place).
  TAMNHIN_CHECK(!settings.same_columns || settings.on_cube);
  TAMNHIN_CHECK(!settings.summarised_columns || settings.on_cube);
  TAMNHIN_CHECK(!settings.held_cube || settings.on_cube);
  std::vector<ScenarioResult> results(scenarios.size());
  const std::vector<std::optional<std::size_t>> twins = earlier_twins(scenarios);
  oneapi::tbb::task_arena arena(arena_concurrency(settings.threads));
  arena.execute([&] {
    // Parameter columns are sampled once per study and kept only while a scenario still
    // to come needs them (shared_parameters.hpp).
    std::vector<std::vector<std::string>> unit_keys(scenarios.size());
    for (std::size_t s = 0; s < scenarios.size(); ++s) {
      const StudyScenario& sc = scenarios[s];
      for (auto& unit : sampling_units(*sc.program, sc.draws, sc.seed, sc.design))
        unit_keys[s].push_back(std::move(unit.key));
    }
    SharedParameters own;
    SharedParameters& shared = settings.shared != nullptr ? *settings.shared : own;
    // One per part of a round, reused by the next round (and by the next study when the
    // caller keeps a pool: an evaluator's rounds would otherwise fault in fresh pages).
    std::vector<Cube> own_cubes;
    std::vector<Cube>& cubes = settings.cube_pool != nullptr ? *settings.cube_pool : own_cubes;
    for (const std::vector<Part>& round : plan_rounds(scenarios, settings)) {
      run_round(scenarios, round, settings, twins, shared, cubes, results);
      // Scenarios from the first not yet finished on may still need their columns (a
      // round is whole scenarios, or one part of one scenario).
      const Part& last = round.back();
      const std::size_t unfinished = last.last_of_scenario ? last.scenario + 1 : last.scenario;
      std::vector<std::string> still_needed;
      for (std::size_t s = unfinished; s < scenarios.size(); ++s)
        still_needed.insert(still_needed.end(), unit_keys[s].begin(), unit_keys[s].end());
      std::sort(still_needed.begin(), still_needed.end());
      if (settings.shared == nullptr) shared.forget_unused(still_needed);
    }
  });
  return results;
}

}  // namespace tamnhin
