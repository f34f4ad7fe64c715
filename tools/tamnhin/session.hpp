// What every study command of the CLI shares: the options of `run` (draws, seed, threads,
// sampling, output directory, batch, quiet, --set), loading every file with every problem
// reported at once, interrupts that leave nothing half-written, and the final atomic write.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <CLI/CLI.hpp>

#include "engine/analysis/evaluator.hpp"
#include "engine/compile/program.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/io/run_info.hpp"
#include "engine/scenario/scenario.hpp"

namespace tamnhin::cli {

struct StudyOptions {
  std::vector<std::string> files;
  std::optional<std::size_t> draws;
  std::optional<std::uint64_t> seed;
  std::optional<std::string> sampling;
  unsigned threads = 0;  // 0: all cores
  std::size_t batch_size = 256;
  std::string out = "out";
  bool quiet = false;
  std::vector<std::string> sets;  // --set NAME=VALUE | NAME@YEAR=VALUE
};

// The process's command line, for run.json (set once by main).
void set_command_line(int argc, char** argv);
const std::vector<std::string>& command_line();

// Adds the options every study command takes. With `many_files`, FILE... (run); else one
// FILE (the analysis commands, which vary one scenario).
void add_study_options(CLI::App& command, StudyOptions& options, bool many_files);

struct Loaded {
  std::vector<Scenario> scenarios;
  std::vector<std::unique_ptr<Program>> programs;  // as written, for check and levers
};

// Loads and compiles every file, collecting every problem of every file; the files are
// read on up to `threads` threads (0: all cores), the results taken in file order.
Loaded load_all(const std::vector<std::string>& files, Diagnostics& diagnostics,
                unsigned threads = 0);

// Prints each distinct diagnostic once and the count.
void print_diagnostics(const Diagnostics& diagnostics);

// Bad input whose messages were already printed: exit 2, nothing more to say.
struct AlreadyReported {};

// Loads the files, or prints every problem and throws AlreadyReported.
Loaded load_or_throw(const std::vector<std::string>& files, unsigned threads = 0);

// The --set overrides, parsed (InputError listing every malformed one).
std::vector<analysis::Override> parse_sets(const std::vector<std::string>& sets);

// Evaluation settings from the options.
analysis::EvaluationSettings evaluation_settings(const StudyOptions& options);

// run.json's common part: version, command line, threads, batch, files and their hashes,
// the scenarios' settings as the evaluator resolved them, and the --set overrides.
io::RunInfo run_info(const StudyOptions& options, const analysis::Evaluator& evaluator,
                     const std::vector<analysis::Override>& sets);

// Interrupts (SIGINT, SIGTERM) end the process with 130 and nothing written, whatever
// phase the run is in. main() installs this once, first of all, so that a signal that
// arrives while the command line is parsed or the files are read is handled the same way.
void handle_interrupts();
[[noreturn]] void exit_interrupted();
const std::atomic<bool>* stop_flag();

// Checks the output directory before any work (InputError when unusable).
void prepare_output(const std::string& out);

// Runs `work` while holding the output directory (interrupts wait; an interrupt that came
// before ends the process with 130): for scratch files a renderer writes there.
void with_output_lock(const std::function<void()>& work);

// Writes every file atomically, unless an interrupt came first (then exits 130).
void write_outputs(const std::string& out,
                   const std::vector<std::pair<std::string, std::string>>& files);

// Prints the share-group adjustments that --set caused, once each, to stderr.
void report_adjustments(const std::vector<ShareAdjustment>& adjustments, bool quiet);

}  // namespace tamnhin::cli
