#include "engine/sim/memory_estimate.hpp"

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include "engine/core/diagnostics.hpp"
#include "engine/sim/stream_scenario.hpp"

namespace tamnhin {

namespace {

// "0.47 GiB", "4.97 GiB", "47.7 GiB", "1131 GiB": three significant digits at most, and
// whole GiB from 100 on (never "1.13e+03").
std::string gib(std::uint64_t bytes) {
  const double value = static_cast<double>(bytes) / static_cast<double>(1ull << 30);
  std::ostringstream out;
  if (value >= 100) {
    out << std::fixed << std::setprecision(0) << value;
  } else {
    out.precision(bytes < (1ull << 30) ? 2 : 3);
    out << value;
  }
  out << " GiB";
  return out.str();
}

}  // namespace

MemoryEstimate estimate_study_memory(const std::vector<StudyScenario>& scenarios,
                                     const StudySettings& settings) {
  MemoryEstimate estimate;
  std::uint64_t largest_cube = 0;
  for (const auto& [first, last] : scenario_groups(scenarios, settings)) {
    std::uint64_t cube = 0, params = 0;
    for (std::size_t s = first; s < last; ++s) {
      const Program& p = *scenarios[s].program;
      const std::uint64_t this_cube = static_cast<std::uint64_t>(p.recorded.size()) *
                                      static_cast<std::uint64_t>(p.years) * scenarios[s].draws *
                                      sizeof(double);
      cube += this_cube;
      params += static_cast<std::uint64_t>(p.params.size()) * scenarios[s].draws * sizeof(double);
      if (this_cube >= largest_cube) {
        largest_cube = this_cube;
        estimate.largest_scenario = scenarios[s].name;
      }
    }
    // Over the cube budget, run_study takes the group's scenarios one at a time, each
    // streamed in chunks or in slices of recorded variables that fit the budget.
    const std::uint64_t budget = settings.cube_budget_bytes;
    if (budget != 0 && cube > budget) {
      cube = 0;
      for (std::size_t s = first; s < last; ++s) {
        const Program& p = *scenarios[s].program;
        if (streams(scenarios[s], settings)) {
          cube = std::max<std::uint64_t>(
              cube, streamed_scenario_bytes(p, scenarios[s].draws, settings.threads));
          if (samples_by_chunk(scenarios[s]))  // counted in the streamed bytes instead
            params -=
                static_cast<std::uint64_t>(p.params.size()) * scenarios[s].draws * sizeof(double);
          continue;
        }
        const std::uint64_t per_var =
            static_cast<std::uint64_t>(p.years) * scenarios[s].draws * sizeof(double);
        const std::uint64_t whole = per_var * p.recorded.size();
        const std::uint64_t slice =
            std::max(per_var, per_var == 0 ? 0 : budget / per_var * per_var);
        cube = std::max(cube, std::min(whole, slice));
      }
    }
    if (cube + params > estimate.cube_bytes + estimate.param_bytes) {
      estimate.cube_bytes = cube;
      estimate.param_bytes = params;
    }
  }
  // Summaries copy one column per worker thread; workspaces are small. A 25% margin
  // covers allocator slack and the output text.
  const double total = static_cast<double>(estimate.cube_bytes + estimate.param_bytes) * 1.25;
  estimate.bytes = static_cast<std::uint64_t>(std::ceil(total));
  return estimate;
}

std::optional<std::uint64_t> available_memory_bytes() {
  std::ifstream meminfo("/proc/meminfo");
  std::string key;
  std::uint64_t kib = 0;
  std::string unit;
  while (meminfo >> key >> kib >> unit) {
    if (key == "MemAvailable:") return kib * 1024;
  }
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) {
    return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size);
  }
  return std::nullopt;
}

void check_memory(const MemoryEstimate& estimate, std::uint64_t available,
                  std::size_t draws_of_largest) {
  if (estimate.bytes <= available) return;
  const double ratio = static_cast<double>(available) / static_cast<double>(estimate.bytes);
  const auto fitting_draws =
      static_cast<std::size_t>(std::floor(static_cast<double>(draws_of_largest) * ratio * 0.9));
  throw InputError(Diagnostic{
      {},
      "memory",
      "this run needs about " + gib(estimate.bytes) + " (" + gib(estimate.cube_bytes) +
          " for the draws of the recorded variables, " + gib(estimate.param_bytes) +
          " for sampled parameters" +
          (estimate.held_bytes != 0
               ? ", " + gib(estimate.held_bytes) +
                     " for the reference scenario's draws, held for the paired comparisons"
               : std::string()) +
          "; largest scenario '" + estimate.largest_scenario + "') but only " + gib(available) +
          " is available",
      "use fewer draws (about --draws " + std::to_string(std::max<std::size_t>(fitting_draws, 1)) +
          " would fit), " +
          (estimate.held_bytes != 0
               ? std::string("run the scenarios one at a time (a run of several compares them "
                             "with the reference, whose draws it holds), ")
               : std::string()) +
          "or record fewer variables (only variables with a unit or a target are kept per "
          "draw)"});
}

}  // namespace tamnhin
