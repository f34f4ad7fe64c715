#include "tools/tamnhin/commands.hpp"

#include <semaphore.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <sstream>
#include <thread>
#include <utility>

#include <oneapi/tbb/info.h>

#include "engine/compile/compile.hpp"
#include "engine/io/human_text.hpp"
#include "engine/io/iamc.hpp"
#include "engine/io/output_files.hpp"
#include "engine/io/progress.hpp"
#include "engine/io/report_html.hpp"
#include "engine/io/run_info.hpp"
#include "engine/io/tables.hpp"
#include "engine/io/workbook.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sim/memory_estimate.hpp"
#include "engine/sim/study.hpp"

namespace tamnhin::cli {

namespace {

struct Loaded {
  std::vector<Scenario> scenarios;
  std::vector<std::unique_ptr<Program>> programs;  // stable addresses for the study
};

// Loads and compiles every file, collecting every problem of every file.
Loaded load_all(const std::vector<std::string>& files, Diagnostics& diagnostics) {
  Loaded loaded;
  std::map<std::string, std::string> names;  // scenario name -> file
  for (const auto& file : files) {
    Diagnostics d;
    auto scenario = load_scenario(file, d);
    if (scenario) {
      // Compile even when loading found problems, so that `check` reports the problems
      // of the equations too, all in one go.
      const bool loaded_cleanly = d.empty();
      auto program = compile(scenario->model, d);
      if (program && loaded_cleanly && d.empty()) {
        auto [it, fresh] = names.emplace(scenario->name, file);
        if (!fresh) {
          d.add({file, 0, 0}, "scenario.name",
                "scenario name '" + scenario->name + "' is also the name of " + it->second,
                "give each scenario its own name: rows of the tables are keyed by it");
        } else {
          loaded.programs.push_back(std::make_unique<Program>(std::move(*program)));
          loaded.scenarios.push_back(std::move(*scenario));
        }
      }
    }
    diagnostics.append(d);
  }
  return loaded;
}

// Scenarios of one model report the model's problems once each, not once per scenario.
void print_diagnostics(const Diagnostics& diagnostics) {
  std::set<std::string> printed;
  for (const auto& d : diagnostics.all()) {
    const std::string text = d.to_string();
    if (printed.insert(text).second) std::cerr << text << '\n';
  }
  std::cerr << printed.size() << (printed.size() == 1 ? " problem" : " problems") << " found\n";
}

// Interrupts (SIGINT, SIGTERM). Nothing reaches the output directory before the final
// atomic write, so an interrupted run can simply end: the handler only sets the engine's
// cooperative stop flag and wakes a watcher thread, which ends the process with 130 at
// once, whatever phase the run is in (parsing, sampling a million draws, summarising; the
// engine checks its flag only between batches). The two moments that touch the output
// directory (the probe of prepare_output_dir and the final write) hold g_output_mutex, so
// the watcher waits for them; a signal that arrives during the final write lets the write
// finish (a few milliseconds) and the run then ends normally with complete outputs.
std::atomic<bool> g_stop{false};
sem_t g_signalled;
std::mutex g_output_mutex;
bool g_outputs_written = false;  // guarded by g_output_mutex

extern "C" void on_signal(int) {
  g_stop.store(true);
  ::sem_post(&g_signalled);  // async-signal-safe, unlike anything that would print or exit
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

// Installs the handlers and the watcher, once per process.
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

// --lang, --years and the date the human outputs show, checked before any work is done.
io::HumanOptions human_options(const RunOptions& options, const io::RunInfo& info) {
  io::HumanOptions human;
  const auto language = io::language_from_string(options.lang);
  if (!language) {
    throw InputError(Diagnostic{
        {}, "--lang", "unknown language '" + options.lang + "'", "use --lang en or --lang vi"});
  }
  human.language = *language;
  if (options.years.empty()) {
    // The default years the run covers; a run that covers none shows its last year.
    human.years.clear();
    for (int year : io::kDefaultTableYears) {
      if (year >= info.first_year && year <= info.last_year) human.years.push_back(year);
    }
    if (human.years.empty()) human.years.push_back(info.last_year);
  } else {
    human.years = options.years;
  }
  for (int year : human.years) {
    if (year < info.first_year || year > info.last_year) {
      throw InputError(
          Diagnostic{{},
                     "--years",
                     std::to_string(year) + " is outside the simulated years " +
                         std::to_string(info.first_year) + ".." + std::to_string(info.last_year),
                     "choose years in that range, e.g. --years " + std::to_string(info.last_year)});
    }
  }
  // SOURCE_DATE_EPOCH (reproducible-builds.org) fixes the date for byte-identical reports.
  human.created = std::time(nullptr);
  if (const char* epoch = std::getenv("SOURCE_DATE_EPOCH"); epoch != nullptr && *epoch) {
    human.created = static_cast<std::time_t>(std::strtoll(epoch, nullptr, 10));
  }
  std::tm utc{};
  ::gmtime_r(&human.created, &utc);
  char text[32];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M UTC", &utc);
  human.created_text = text;
  return human;
}

}  // namespace

int check_command(const CheckOptions& options) {
  Diagnostics diagnostics;
  Loaded loaded = load_all(options.files, diagnostics);
  if (!diagnostics.empty()) {
    print_diagnostics(diagnostics);
    return 2;
  }
  for (const auto& s : loaded.scenarios) {
    std::cout << s.file << ": ok (scenario '" << s.name << "', model '" << s.model.name << "', "
              << s.model.vars.size() << " variables, " << s.model.base_year << ".."
              << s.model.end_year << ")\n";
  }
  return 0;
}

int run_command(const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  handle_interrupts();
  // Fail on an unusable output directory before any work is done.
  {
    std::lock_guard lock(g_output_mutex);
    io::prepare_output_dir(options.out);
  }

  Diagnostics diagnostics;
  Loaded loaded = load_all(options.files, diagnostics);
  if (!diagnostics.empty()) {
    print_diagnostics(diagnostics);
    return 2;
  }

  std::vector<StudyScenario> study;
  io::RunInfo header;
  header.version = TAMNHIN_VERSION;
  header.command_line = options.command_line;
  header.threads = options.threads == 0
                       ? static_cast<unsigned>(oneapi::tbb::info::default_concurrency())
                       : options.threads;
  header.batch_size = options.batch_size;
  std::vector<io::ScenarioRunInfo> scenario_infos;
  for (std::size_t i = 0; i < loaded.scenarios.size(); ++i) {
    const Scenario& s = loaded.scenarios[i];
    StudyScenario sc;
    sc.name = s.name;
    sc.program = loaded.programs[i].get();
    sc.draws = options.draws ? *options.draws : s.draws.value_or(kDefaultDraws);
    sc.seed = options.seed ? *options.seed : s.seed.value_or(kDefaultSeed);
    sc.design = options.sampling ? *random::parse_sampling_design(*options.sampling)
                                 : s.sampling.value_or(random::SamplingDesign::mc);
    sc.description = s.description;
    study.push_back(sc);

    io::ScenarioRunInfo si;
    si.name = s.name;
    si.model = s.model.name;
    si.files = s.files;
    si.draws = sc.draws;
    si.seed = sc.seed;
    si.sampling = to_string(sc.design);
    si.base_year = s.model.base_year;
    si.end_year = s.model.end_year;
    scenario_infos.push_back(si);
  }
  io::RunInfo info = io::assemble_run_info(std::move(header), std::move(scenario_infos));
  const io::HumanOptions human = human_options(options, info);

  StudySettings settings;
  settings.batch_size = options.batch_size;
  settings.threads = options.threads;
  settings.stop = &g_stop;
  // Fail before allocating if the run cannot fit in memory.
  if (auto available = available_memory_bytes()) {
    std::size_t largest_draws = 0;
    for (const auto& sc : study) largest_draws = std::max(largest_draws, sc.draws);
    check_memory(estimate_study_memory(study, settings), *available, largest_draws);
  }
  std::vector<ScenarioResult> results;
  {
    io::Progress progress(!options.quiet, study.size(), study_work(study, settings));
    settings.draws_done = &progress.draws_done;
    settings.scenarios_done = &progress.scenarios_done;
    try {
      results = run_study(study, settings);
    } catch (const StudyStopped&) {
      progress.stop();
      exit_interrupted();
    }
  }

  std::vector<stats::ScenarioReport> reports;
  for (std::size_t i = 0; i < results.size(); ++i) {
    const Program& program = *loaded.programs[i];
    for (std::size_t v = 0; v < program.vars.size(); ++v) {
      const auto low = results[i].clamps.low[v], high = results[i].clamps.high[v];
      if (low + high > 0) info.scenarios[i].clamps.push_back({program.vars[v].name, low, high});
    }
    reports.push_back(std::move(results[i].report));
  }
  info.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string scorecard = io::render_scorecard(reports, human.language);
  std::vector<std::pair<std::string, std::string>> files = {
      {"forecast.csv", io::render_forecast_csv(reports)},
      {"targets.csv", io::render_targets_csv(reports)},
      {"scorecard.txt", scorecard},
      {"scorecard.csv", io::render_scorecard_csv(reports, human.language)},
      {"run.json", io::render_run_json(info)}};
  {
    io::WorkbookInput workbook;
    workbook.reports = reports;
    workbook.run = &info;
    workbook.language = human.language;
    workbook.years = human.years;
    workbook.created = human.created;
    workbook.created_text = human.created_text;
    std::lock_guard lock(g_output_mutex);  // the scratch file lives in the output directory
    if (g_stop.load()) exit_interrupted();
    files.emplace_back("tables.xlsx", io::render_workbook(workbook, options.out));
  }
  if (!options.no_report) {
    files.emplace_back("report.html", io::render_report_html({reports, &info, human.language,
                                                              human.created_text, ""}));
  }
  if (options.iamc) files.emplace_back("iamc.csv", io::render_iamc_csv(reports));
  {
    std::lock_guard lock(g_output_mutex);
    if (g_stop.load()) exit_interrupted();  // stopped while summarising: nothing written yet
    io::write_files_atomically(options.out, files);
    g_outputs_written = true;
  }
  if (!options.quiet) {
    std::cout << scorecard;
    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(2) << info.wall_seconds;
    std::cout << "wrote " << options.out << '/';
    for (std::size_t i = 0; i < files.size(); ++i) std::cout << (i ? ", " : "") << files[i].first;
    std::cout << " (" << seconds.str() << " s)\n";
  }
  return 0;
}

}  // namespace tamnhin::cli
