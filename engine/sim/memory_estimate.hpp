// How much memory a study will need, estimated before anything is allocated, so that a
// run that cannot fit fails at once with a message saying what to change (fewer draws,
// fewer recorded variables, fewer scenarios held at once) instead of being killed later.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/sim/study.hpp"

namespace tamnhin {

struct MemoryEstimate {
  std::uint64_t bytes = 0;        // peak, for the largest group of scenarios held at once
  std::uint64_t cube_bytes = 0;   // of which: per-draw records of recorded variables
  std::uint64_t param_bytes = 0;  // of which: sampled parameters
  // Of which: the reference scenario's draws, held by the paired comparisons while the
  // scenarios compared with it run (set by the caller that compares; 0 otherwise).
  std::uint64_t held_bytes = 0;
  std::string largest_scenario;  // the scenario with the largest cube
};

MemoryEstimate estimate_study_memory(const std::vector<StudyScenario>& scenarios,
                                     const StudySettings& settings);

// Memory the system can give us now (MemAvailable from /proc/meminfo, else physical
// memory), or nullopt when it cannot be told.
std::optional<std::uint64_t> available_memory_bytes();

// Throws InputError when `estimate` exceeds `available`, with a message giving both
// figures and what to change.
void check_memory(const MemoryEstimate& estimate, std::uint64_t available,
                  std::size_t draws_of_largest);

}  // namespace tamnhin
