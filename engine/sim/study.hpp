// A study: several scenarios simulated and summarised in one run. Work items are
// (scenario, batch) pairs run in parallel in a task arena of the requested size;
// scenarios stream through in small groups so that peak memory is bounded by the group,
// not by the number of scenarios (ARCHITECTURE.md, decision 4).
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "engine/compile/program.hpp"
#include "engine/random/sampling.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin {

struct StudyScenario {
  std::string name;
  const Program* program = nullptr;
  std::size_t draws = 0;
  std::uint64_t seed = 0;
  random::SamplingDesign design = random::SamplingDesign::mc;
  std::string description;  // the scenario's, for the outputs; optional
  // Per-draw values that replace a sampled parameter's column (`draws` values each), by
  // parameter name: the designs of sensitivity analysis set parameters draw by draw.
  std::vector<std::pair<std::string, UnitValues>> param_columns;
  // Added to the draw index of the yearly randomness (equation draws and shocks), so a
  // variant can pair its parameters with another draw's yearly noise. 0: common random
  // numbers with every other scenario of the seed.
  std::uint64_t stream_offset = 0;
};

// One simulated piece of a scenario, shown to StudySettings::on_cube before it is
// summarised: the recorded variables [var_first, var_first + cube.variables) of
// Program::recorded, every year and draw.
struct CubePart {
  std::size_t scenario = 0;  // index into the study
  const PreparedScenario* prepared = nullptr;
  std::size_t var_first = 0;
  const Cube* cube = nullptr;
};

// A column of a part that holds, bit for bit, the draws of a column of a scenario
// summarised earlier in the study. Under common random numbers a variable that a
// scenario's levers do not touch repeats the reference's: a third of the columns of the
// Long An scenarios. Its summary is the earlier column's, copied (the summaries are a
// function of the column's bits alone).
struct SameColumn {
  std::size_t column = 0;         // v * years + y over the part's scenario's Program::recorded
  std::size_t scenario = 0;       // the earlier scenario: an index into the study, below the part's
  std::size_t source_column = 0;  // v * years + y over that scenario's Program::recorded
};

// A column of a part that on_cube's owner summarised already, while it read the column for
// its own work: the paired comparisons summarise a reference's column as they copy it and
// a scenario's right after its differences, with the column still in cache, instead of the
// study reading it from memory again. stats::summarise of the column: the very numbers the
// study would compute.
struct SummarisedColumn {
  std::size_t column = 0;  // v * years + y over the part's scenario's Program::recorded
  stats::Summary summary;
};

struct StudySettings {
  std::size_t batch_size = 256;  // lanes per batch; results do not depend on it
  unsigned threads = 0;          // 0: all cores
  std::size_t group_size = 4;    // scenarios in memory at once, at most
  // A group takes another scenario only while its cubes stay within this many bytes: small
  // cubes are grouped (more work items for the threads), large ones go one at a time (each
  // has batches enough for every thread; fewer pages to fault in, a quarter of the memory).
  std::size_t group_bytes = std::size_t{64} << 20;
  // Per-draw records held at once (bytes; 0: no limit). A group whose cubes exceed it runs
  // one scenario at a time. A scenario whose own records exceed it is simulated once in
  // chunks and summarised as it goes (stream_scenario.hpp: quantiles and odds exact, means
  // and sds within a few units in the last place); when on_cube wants its per-draw values,
  // it is simulated once per slice of recorded variables that fits instead (exact).
  std::size_t cube_budget_bytes = std::size_t{1} << 30;
  const std::atomic<bool>* stop = nullptr;  // set asynchronously to stop early
  // Progress, for a display: draws simulated (a scenario split into slices of variables
  // counts its draws once per slice, see study_work) and scenarios finished.
  std::atomic<std::uint64_t>* draws_done = nullptr;
  std::atomic<std::uint64_t>* scenarios_done = nullptr;
  // Parameter columns shared with other studies (an evaluator's rounds); when null, the
  // study keeps its own and drops each column once no scenario still to come needs it.
  SharedParameters* shared = nullptr;
  // Called for every simulated part, in scenario order, on the calling thread (reducers
  // that need per-draw values: paired comparisons, captured columns, saved draws).
  std::function<void(const CubePart&)> on_cube;
  // With summarise off, the columns on_cube reads of a scenario, when it reads only some:
  // v * years + y for recorded variable v (Program::recorded) in year index y. Under MPI
  // the ranks then exchange only these columns' draws (one captured output rather than the
  // whole cube), and every other column holds only this rank's draws: on_cube must not
  // read them. Unset: every column.
  std::function<std::vector<std::size_t>(std::size_t scenario)> cube_reads;
  // With summarise: asked for each part right after on_cube, the part's columns known to
  // repeat an earlier scenario's (on_cube's owner found them while reading both: the paired
  // comparisons). Those summaries are copied, not computed; so are the odds of a target
  // whose variable repeats one earlier variable in every year, under the same target there
  // (same year, comparator and threshold, same years simulated). Under MPI every rank must
  // give the same answer. Unset: every column is summarised.
  std::function<std::vector<SameColumn>(const CubePart&)> same_columns;
  // With summarise: asked for each part right after same_columns, the part's columns whose
  // summaries on_cube's owner made (SummarisedColumn): copied, not computed; a target on
  // such a column takes its quantiles from the copy. Under MPI every rank must give the
  // same answer. Unset: none.
  std::function<std::vector<SummarisedColumn>(const CubePart&)> summarised_columns;
  // A scenario that simulates exactly what an earlier one did (same_simulation.hpp: a
  // hold-out check is its baseline plus targets) is not simulated again when that one's cube
  // is at hand: in the same round, or held by on_cube's owner. This gives, with on_cube, the
  // complete cube of an earlier scenario that the owner still holds (every recorded
  // variable, year and draw, on every rank, alive until the scenario asking for it has been
  // summarised), or null. Asked just before the round of such a scenario runs. The reused
  // cube is the scenario's part, and its clamp counts are the earlier scenario's.
  // A whole scenario that is simulated also asks it of the scenarios before it: from a
  // held cube of the same model's shape, the kernel loads the variables and years the two
  // are known to share and skips the ops that only fed them (reuse_plan.hpp).
  std::function<const Cube*(std::size_t scenario)> held_cube;
  // Cubes kept between studies (an evaluator's rounds); null: the study's own.
  std::vector<Cube>* cube_pool = nullptr;
  // Skip the summaries (forecast quantiles, target odds) when only on_cube is wanted.
  bool summarise = true;
};

struct ScenarioResult {
  stats::ScenarioReport report;
  ClampCounts clamps;  // per Program::vars
};

// Thrown when `stop` was set before the study finished.
struct StudyStopped : std::runtime_error {
  StudyStopped() : std::runtime_error("stopped") {}
};

// Whether run_study streams this scenario (see cube_budget_bytes).
bool streams(const StudyScenario& scenario, const StudySettings& settings);

// Whether a streamed scenario's chunks each sample their own draws' parameters instead of
// the whole run's columns being sampled first (a million draws of 64 parameters are
// 512 MB): for designs whose values are per draw, when the scenario gives no per-draw
// columns of its own.
bool samples_by_chunk(const StudyScenario& scenario);

// The groups of scenarios run together, as [first, last) index ranges in study order: at
// most group_size scenarios, and more than one only while their cubes fit group_bytes.
std::vector<std::pair<std::size_t, std::size_t>> scenario_groups(
    const std::vector<StudyScenario>& scenarios, const StudySettings& settings);

// The concurrency of a oneTBB task arena for a --threads value (0: all cores), for every
// place that runs parallel work on the user's threads.
int arena_concurrency(unsigned threads);

// The draws a study simulates in all (what draws_done reaches), given its settings.
std::uint64_t study_work(const std::vector<StudyScenario>& scenarios,
                         const StudySettings& settings);

// Throws InputError naming scenario, variable, year and draw if an equation yields a
// non-finite value (the lowest failing batch, so the message is reproducible).
std::vector<ScenarioResult> run_study(const std::vector<StudyScenario>& scenarios,
                                      const StudySettings& settings);

}  // namespace tamnhin
