#include "tools/tamnhin/session.hpp"

#include <semaphore.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <oneapi/tbb/info.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/compile/compile.hpp"
#include "engine/io/output_files.hpp"
#include "engine/random/designs.hpp"
#include "engine/sim/rank_split.hpp"
#include "engine/sim/ranks.hpp"
#include "engine/sim/study.hpp"

namespace tamnhin::cli {

namespace {
std::vector<std::string> g_command_line;
}  // namespace

void set_command_line(int argc, char** argv) {
  g_command_line.assign(argv, argv + argc);
}
const std::vector<std::string>& command_line() {
  return g_command_line;
}

void add_study_options(CLI::App& command, StudyOptions& o, bool many_files) {
  if (many_files) {
    command.add_option("files", o.files, "Scenario or model files (.toml)")->required();
  } else {
    command.add_option("file", o.files, "A scenario or model file (.toml)")
        ->required()
        ->expected(1);
  }
  command
      .add_option("--draws", o.draws,
                  "Monte Carlo draws per scenario (default: the scenario's, else 10000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  command.add_option("--seed", o.seed, "Run seed (default: the scenario's, else 20451)");
  command.add_option("--threads", o.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  command.add_option("--sampling", o.sampling, "Parameter sampling design")
      ->check(CLI::IsMember(random::sampling_design_names()));
  command.add_option("--out", o.out, "Output directory (default: out)");
  command
      .add_option("--batch", o.batch_size,
                  "Draws per batch; results do not depend on it (default: 256)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65536}));
  command.add_flag("--quiet", o.quiet, "Print nothing but errors");
  command.add_option("--set", o.sets,
                     "NAME=VALUE: a parameter becomes that constant, a lever that constant "
                     "from the first projected year; NAME@YEAR=VALUE sets one keyframe "
                     "(repeatable)");
}

Loaded load_all(const std::vector<std::string>& files, Diagnostics& diagnostics, unsigned threads) {
  // Each file is read and compiled on its own (in parallel: a study of many scenario
  // files spent its first tenth of a second here on one thread), then taken in file
  // order, so names, diagnostics and programs come out as a serial loop gives them.
  struct Read {
    std::optional<Scenario> scenario;
    std::optional<Program> program;
    Diagnostics d;
    bool loaded_cleanly = false;
  };
  std::vector<Read> read(files.size());
  oneapi::tbb::task_arena arena(arena_concurrency(threads));
  arena.execute([&] {
    oneapi::tbb::parallel_for(std::size_t{0}, files.size(), [&](std::size_t i) {
      Read& r = read[i];
      r.scenario = load_scenario(files[i], r.d);
      // Compile even when loading found problems, so that `check` reports the problems of
      // the equations too, all in one go.
      r.loaded_cleanly = r.d.empty();
      if (r.scenario) r.program = compile(r.scenario->model, r.d);
    });
  });
  Loaded loaded;
  std::map<std::string, std::string> names;  // scenario name -> file
  for (std::size_t i = 0; i < files.size(); ++i) {
    Read& r = read[i];
    if (r.scenario && r.program && r.loaded_cleanly && r.d.empty()) {
      auto [it, fresh] = names.emplace(r.scenario->name, files[i]);
      if (!fresh) {
        r.d.add({files[i], 0, 0}, "scenario.name",
                "scenario name '" + r.scenario->name + "' is also the name of " + it->second,
                "give each scenario its own name: rows of the tables are keyed by it");
      } else {
        loaded.programs.push_back(std::make_unique<Program>(std::move(*r.program)));
        loaded.scenarios.push_back(std::move(*r.scenario));
      }
    }
    diagnostics.append(r.d);
  }
  return loaded;
}

void print_diagnostics(const Diagnostics& diagnostics) {
  std::set<std::string> printed;
  for (const auto& d : diagnostics.all()) {
    const std::string text = d.to_string();
    if (printed.insert(text).second) std::cerr << text << '\n';
  }
  std::cerr << printed.size() << (printed.size() == 1 ? " problem" : " problems") << " found\n";
}

Loaded load_or_throw(const std::vector<std::string>& files, unsigned threads) {
  Diagnostics diagnostics;
  Loaded loaded = load_all(files, diagnostics, threads);
  if (!diagnostics.empty()) {
    print_diagnostics(diagnostics);
    throw AlreadyReported{};
  }
  return loaded;
}

std::vector<analysis::Override> parse_sets(const std::vector<std::string>& sets) {
  Diagnostics d;
  std::vector<analysis::Override> out;
  for (const auto& s : sets) {
    if (auto o = analysis::parse_override(s, "--set", d)) out.push_back(*o);
  }
  d.throw_if_any();
  return out;
}

analysis::EvaluationSettings evaluation_settings(const StudyOptions& o) {
  analysis::EvaluationSettings s;
  s.draws = o.draws;
  s.seed = o.seed;
  if (o.sampling) s.design = random::parse_sampling_design(*o.sampling);
  s.threads = o.threads;
  s.batch_size = o.batch_size;
  s.stop = stop_flag();
  return s;
}

io::RunInfo run_info(const StudyOptions& options, const analysis::Evaluator& evaluator,
                     const std::vector<analysis::Override>& sets) {
  io::RunInfo header;
  header.version = TAMNHIN_VERSION;
  header.command_line = command_line();
  header.threads = options.threads == 0
                       ? static_cast<unsigned>(oneapi::tbb::info::default_concurrency())
                       : options.threads;
  header.batch_size = options.batch_size;
  header.processes = static_cast<unsigned>(ranks::count());
  for (const auto& s : sets) header.settings.push_back(analysis::describe({s}));
  std::vector<io::ScenarioRunInfo> scenarios;
  for (std::size_t i = 0; i < evaluator.base_count(); ++i) {
    const Scenario& s = evaluator.base(i);
    io::ScenarioRunInfo si;
    si.name = s.name;
    si.model = s.model.name;
    si.files = s.files;
    si.draws = evaluator.draws(i);
    si.seed = evaluator.seed(i);
    si.sampling = random::to_string(evaluator.design(i));
    si.base_year = s.model.base_year;
    si.end_year = s.model.end_year;
    scenarios.push_back(std::move(si));
  }
  return io::assemble_run_info(std::move(header), std::move(scenarios));
}

// Interrupts. Nothing reaches the output directory before the final atomic write, so an
// interrupted run can simply end: the handler only sets the engine's cooperative stop
// flag and wakes a watcher thread, which ends the process with 130 at once, whatever
// phase the run is in (parsing, sampling a million draws, summarising; the engine checks
// its flag only between batches). The two moments that touch the output directory (the
// probe of prepare_output and the final write) hold g_output_mutex, so the watcher waits
// for them; a signal that arrives during the final write lets the write finish (a few
// milliseconds) and the run then ends normally with complete outputs.
namespace {
std::atomic<bool> g_stop{false};
sem_t g_signalled;
std::mutex g_output_mutex;
bool g_outputs_written = false;  // guarded by g_output_mutex

extern "C" void on_signal(int) {
  g_stop.store(true);
  ::sem_post(&g_signalled);  // async-signal-safe, unlike anything that would print or exit
}
}  // namespace

const std::atomic<bool>* stop_flag() {
  return &g_stop;
}

[[noreturn]] void exit_interrupted() {
  static std::atomic<bool> exiting{false};
  if (!exiting.exchange(true)) {
    static constexpr char kMessage[] = "tamnhin: interrupted; nothing was written\n";
    (void)!::write(STDERR_FILENO, kMessage, sizeof kMessage - 1);
    std::_Exit(130);
  }
  for (;;) ::pause();  // the other thread is exiting
}

void handle_interrupts() {
  ::sem_init(&g_signalled, 0, 0);
  std::thread([] {
    while (::sem_wait(&g_signalled) != 0) {
    }  // EINTR: wait again
    std::lock_guard lock(g_output_mutex);
    if (!g_outputs_written) exit_interrupted();
  }).detach();
  struct sigaction action {};
  action.sa_handler = on_signal;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
}

// Of the ranks of an MPI run (engine/sim/ranks.hpp) only rank 0 touches the output
// directory; what it finds unusable every rank reports, so all end alike.
void prepare_output(const std::string& out) {
  std::lock_guard lock(g_output_mutex);
  on_root_agreed([&] { io::prepare_output_dir(out); });
}

void with_output_lock(const std::function<void()>& work) {
  if (!ranks::root()) return;
  std::lock_guard lock(g_output_mutex);
  if (g_stop.load()) exit_interrupted();
  work();
}

void write_outputs(const std::string& out,
                   const std::vector<std::pair<std::string, std::string>>& files) {
  if (!ranks::root()) return;
  std::lock_guard lock(g_output_mutex);
  if (g_stop.load()) exit_interrupted();  // stopped while summarising: nothing written yet
  io::write_files_atomically(out, files);
  g_outputs_written = true;
}

void report_adjustments(const std::vector<ShareAdjustment>& adjustments, bool quiet) {
  if (quiet) return;
  std::set<std::string> printed;
  for (const auto& a : adjustments) {
    if (!a.message.empty() && printed.insert(a.message).second)
      std::cerr << "tamnhin: " << a.message << '\n';
  }
}

}  // namespace tamnhin::cli
