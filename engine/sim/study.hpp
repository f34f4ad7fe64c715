// A study: several scenarios simulated and summarised in one run. Work items are
// (scenario, batch) pairs run in parallel in a task arena of the requested size;
// scenarios stream through in small groups so that peak memory is bounded by the group,
// not by the number of scenarios (ARCHITECTURE.md, decision 4).
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
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
};

struct StudySettings {
  std::size_t batch_size = 256;  // lanes per batch; results do not depend on it
  unsigned threads = 0;          // 0: all cores
  std::size_t group_size = 4;    // scenarios in memory at once
  // Per-draw records held at once (bytes; 0: no limit). A group whose cubes exceed it runs
  // one scenario at a time, simulating it once per slice of recorded variables that fits:
  // the results are the same, quantiles stay exact, memory stays bounded.
  std::size_t cube_budget_bytes = std::size_t{1} << 30;
  const std::atomic<bool>* stop = nullptr;  // set asynchronously to stop early
  // Progress, for a display: draws simulated (a scenario split into slices of variables
  // counts its draws once per slice, see study_work) and scenarios finished.
  std::atomic<std::uint64_t>* draws_done = nullptr;
  std::atomic<std::uint64_t>* scenarios_done = nullptr;
};

struct ScenarioResult {
  stats::ScenarioReport report;
  ClampCounts clamps;  // per Program::vars
};

// Thrown when `stop` was set before the study finished.
struct StudyStopped : std::runtime_error {
  StudyStopped() : std::runtime_error("stopped") {}
};

// The draws a study simulates in all (what draws_done reaches), given its settings.
std::uint64_t study_work(const std::vector<StudyScenario>& scenarios,
                         const StudySettings& settings);

// Throws InputError naming scenario, variable, year and draw if an equation yields a
// non-finite value (the lowest failing batch, so the message is reproducible).
std::vector<ScenarioResult> run_study(const std::vector<StudyScenario>& scenarios,
                                      const StudySettings& settings);

}  // namespace tamnhin
