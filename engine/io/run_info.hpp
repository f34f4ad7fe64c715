// run.json: what was run, with what, and how long it took (Boost.JSON).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tamnhin::io {

struct InputFile {
  std::string path;
  std::string sha256;  // lowercase hex
};

struct ClampCount {
  std::string variable;
  std::uint64_t low = 0;   // (draw, year) values raised to `min`
  std::uint64_t high = 0;  // (draw, year) values lowered to `max`
};

struct ScenarioRunInfo {
  std::string name;
  std::string model;
  std::vector<std::string> files;  // scenario chain and model, as read
  std::size_t draws = 0;
  std::uint64_t seed = 0;
  std::string sampling;
  int base_year = 0;
  int end_year = 0;
  std::vector<ClampCount> clamps;
};

struct RunInfo {
  std::string version;
  std::vector<std::string> command_line;
  // The values every scenario used; null in run.json when scenarios used different ones
  // (each scenario's own values are always in `scenarios`).
  std::optional<std::uint64_t> seed;
  std::optional<std::size_t> draws;
  std::optional<std::string> sampling;  // mc | lhs | sobol
  unsigned threads = 0;                 // per process
  unsigned processes = 1;  // MPI ranks (engine/sim/ranks.hpp); the outputs do not depend on it
  std::size_t batch_size = 0;
  std::vector<InputFile> files;  // every file read, once, in first-read order
  int first_year = 0;            // min base year over scenarios
  int last_year = 0;             // max end year over scenarios
  double wall_seconds = 0;
  std::vector<std::string> settings;           // --set overrides, as NAME[@YEAR]=VALUE
  std::vector<std::string> share_adjustments;  // what --set did to other shares
  std::optional<std::string> reference;        // of the paired comparisons, if any
  std::vector<ScenarioRunInfo> scenarios;
};

// A RunInfo from what every run knows up front: `header` with version, command line,
// threads and batch size set, and the scenarios' own settings. Fills the files list (each
// file once, first-read order, hashed now: what was read, not what is there later), the
// top-level seed/draws/sampling (null when scenarios differ) and the years. Clamp counts
// and the wall time are added after the run.
RunInfo assemble_run_info(RunInfo header, std::vector<ScenarioRunInfo> scenarios);

// Pretty-printed JSON, keys in a fixed order.
std::string render_run_json(const RunInfo& info);

}  // namespace tamnhin::io
