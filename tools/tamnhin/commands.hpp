// The commands of the tamnhin CLI, each a function of its parsed options. They print
// (stdout for results, stderr for problems) and return the exit status; main() only
// parses options and maps exceptions to exit codes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tamnhin::cli {

// The documented default seed: runs are reproducible without one, never time-based.
inline constexpr std::uint64_t kDefaultSeed = 20451;
inline constexpr std::size_t kDefaultDraws = 10000;

struct RunOptions {
  std::vector<std::string> files;
  std::optional<std::size_t> draws;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> sampling;
  unsigned threads = 0;  // 0: all cores
  std::size_t batch_size = 256;
  std::string out = "out";
  bool quiet = false;
  std::string lang = "en";  // of the scorecard, report.html and tables.xlsx
  std::vector<int> years;   // columns of tables.xlsx; empty: 2025, 2030, ..., 2045
  bool no_report = false;
  bool iamc = false;
  std::vector<std::string> command_line;
};

struct CheckOptions {
  std::vector<std::string> files;
};

int run_command(const RunOptions& options);
int check_command(const CheckOptions& options);

}  // namespace tamnhin::cli
