// `tamnhin run FILE...`: the evaluator over the scenarios as written (with any --set),
// writing forecast.csv, targets.csv and run.json, and, when there are two or more
// scenarios, the paired comparisons against a reference: compare.csv and
// compare_targets.csv.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <iomanip>
#include <iostream>
#include <optional>
#include <sstream>

#include <oneapi/tbb/task_arena.h>
#include <oneapi/tbb/task_group.h>

#include "engine/analysis/compare.hpp"
#include "engine/io/compare_tables.hpp"
#include "engine/io/human_text.hpp"
#include "engine/io/iamc.hpp"
#include "engine/io/progress.hpp"
#include "engine/io/report_html.hpp"
#include "engine/io/run_info.hpp"
#include "engine/io/tables.hpp"
#include "engine/io/workbook.hpp"
#include "engine/sim/difference_flow.hpp"
#include "engine/sim/memory_estimate.hpp"
#include "engine/sim/study.hpp"
#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/save_draws.hpp"
#include "tools/tamnhin/session.hpp"

namespace tamnhin::cli {

namespace {

struct RunOptions {
  StudyOptions study;
  std::optional<std::string> reference;
  std::optional<std::string> save_draws;  // --save-draws
  std::string lang = "en";                // of the scorecard, report.html and tables.xlsx
  std::vector<int> years;                 // columns of tables.xlsx; empty: 2025, 2030, ..., 2045
  bool no_report = false;
  bool iamc = false;
};

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

// The reference scenario's index: --reference NAME, else the first file.
std::size_t reference_index(const Loaded& loaded, const std::optional<std::string>& name) {
  if (!name) return 0;
  std::vector<std::string> names;
  for (std::size_t i = 0; i < loaded.scenarios.size(); ++i) {
    if (loaded.scenarios[i].name == *name) return i;
    names.push_back(loaded.scenarios[i].name);
  }
  const std::string hint = did_you_mean(*name, names);
  throw InputError(
      Diagnostic{{"--reference " + *name, 0, 0},
                 "",
                 "no scenario of this run is named '" + *name + "'",
                 hint.empty() ? "the scenarios are named in their [scenario] name" : hint});
}

int run(const RunOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  prepare_output(options.study.out);  // fail on an unusable directory before any work
  Loaded loaded = load_or_throw(options.study.files, options.study.threads);
  const auto sets = parse_sets(options.study.sets);
  const std::size_t n = loaded.scenarios.size();
  const std::size_t reference = reference_index(loaded, options.reference);

  std::vector<const Scenario*> bases;
  for (const auto& s : loaded.scenarios) bases.push_back(&s);
  analysis::Evaluator evaluator(bases, evaluation_settings(options.study));

  // Variants as written, plus --set; compiled now so that bad settings fail before any
  // simulation.
  std::vector<analysis::Variant> variants(n);
  for (std::size_t i = 0; i < n; ++i) {
    variants[i].name = loaded.scenarios[i].name;
    variants[i].base = i;
    variants[i].overrides = sets;
  }
  evaluator.prepare(variants);
  std::vector<const Program*> programs;
  std::vector<std::string> names, models;
  std::vector<std::size_t> draws;
  for (std::size_t i = 0; i < n; ++i) {
    programs.push_back(&evaluator.program(variants[i]));
    names.push_back(variants[i].name);
    models.push_back(loaded.scenarios[i].model.name);
    draws.push_back(evaluator.draws(i));
  }
  const bool compare = n >= 2;
  analysis::PairedComparer comparer(programs, names,
                                    analysis::pair_with_references(models, reference));
  std::vector<std::size_t> order(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = i;
  if (compare) order = comparer.simulation_order();

  io::RunInfo info = run_info(options.study, evaluator, sets);
  const io::HumanOptions human = human_options(options, info);

  // --save-draws: parsed, its outputs resolved and its size checked before any work.
  const SaveDraws save = prepare_save_draws(options.save_draws, programs, draws);

  std::vector<StudyScenario> study;  // as the evaluator will simulate them
  for (std::size_t i = 0; i < n; ++i) {
    StudyScenario sc;
    sc.name = names[i];
    sc.program = programs[i];
    sc.draws = draws[i];
    sc.seed = evaluator.seed(i);
    sc.design = evaluator.design(i);
    sc.stream_offset = variants[i].stream_offset;
    study.push_back(std::move(sc));
  }
  // The columns that a scenario's changes cannot reach are its reference's, bit for bit:
  // known before simulating, the comparison reads neither (a fifth to a quarter of the
  // Long An scenarios' columns).
  if (compare) {
    const auto reference_of = analysis::pair_with_references(models, reference);
    for (std::size_t i = 0; i < n; ++i)
      if (reference_of[i])
        comparer.set_known_same(i, columns_known_same(study[i], study[*reference_of[i]]));
  }

  // Fail before allocating if the run cannot fit in memory.
  std::uint64_t work = 0;
  {
    StudySettings settings;
    settings.batch_size = options.study.batch_size;
    work = study_work(study, settings);
    if (auto available = available_memory_bytes()) {
      MemoryEstimate estimate = estimate_study_memory(study, settings);
      if (compare) {
        estimate.held_bytes = comparer.held_bytes(draws);
        estimate.bytes += estimate.held_bytes;
      }
      check_memory(estimate, *available, *std::max_element(draws.begin(), draws.end()));
    }
  }

  std::vector<analysis::Variant> ordered;
  for (std::size_t i : order) ordered.push_back(variants[i]);
  analysis::Request request;
  request_save_draws(save, request);
  if (compare) {
    request.on_cube = [&](std::size_t k, const CubePart& part) {
      comparer.observe(order[k], part);
    };
    // A column the comparison found to be the reference's, bit for bit, has its summary:
    // copied, not computed (a third of the columns of scenarios that change a few levers).
    std::vector<std::size_t> position(n);  // in the simulation order, of each file's scenario
    for (std::size_t k = 0; k < n; ++k) position[order[k]] = k;
    // A scenario that simulates what its reference did (a hold-out check: the baseline plus
    // targets) reuses the reference's draws, which the comparer holds anyway.
    request.held_cube = [&comparer, &order](std::size_t k) { return comparer.held_cube(order[k]); };
    request.same_columns = [&comparer, &order, position](std::size_t k, const CubePart& part) {
      std::vector<SameColumn> same = comparer.same_columns(order[k], part);
      for (SameColumn& c : same) c.scenario = position[c.scenario];
      return same;
    };
    // The comparer summarises each column while it is in cache: a reference's as it copies
    // it, a compared scenario's right after its differences
    // (PairedComparer::summarised_columns).
    request.summarised_columns = [&comparer, &order](std::size_t k, const CubePart& part) {
      return comparer.summarised_columns(order[k], part);
    };
  }
  std::vector<analysis::VariantResult> results;
  {
    io::Progress progress(!options.study.quiet, n, work);
    evaluator.set_progress(&progress.draws_done, &progress.scenarios_done);
    try {
      results = evaluator.evaluate(ordered, request);
    } catch (const StudyStopped&) {
      progress.stop();
      exit_interrupted();
    }
    evaluator.set_progress(nullptr, nullptr);
  }
  std::vector<analysis::VariantResult> by_file(n);
  for (std::size_t k = 0; k < n; ++k) by_file[order[k]] = std::move(results[k]);

  std::vector<ShareAdjustment> adjustments;
  std::vector<stats::ScenarioReport> reports;
  for (std::size_t i = 0; i < n; ++i) {
    const Program& program = *programs[i];
    for (std::size_t v = 0; v < program.vars.size(); ++v) {
      const auto low = by_file[i].clamps.low[v], high = by_file[i].clamps.high[v];
      if (low + high > 0) info.scenarios[i].clamps.push_back({program.vars[v].name, low, high});
    }
    for (const auto& a : by_file[i].adjustments) {
      if (a.message.empty()) continue;
      adjustments.push_back(a);
      const std::string text = by_file[i].name + ": " + a.message;
      if (std::find(info.share_adjustments.begin(), info.share_adjustments.end(), text) ==
          info.share_adjustments.end())
        info.share_adjustments.push_back(text);
    }
    reports.push_back(std::move(by_file[i].report));
  }
  report_adjustments(adjustments, options.study.quiet);
  const stats::Comparisons comparisons = compare ? comparer.result() : stats::Comparisons{};
  if (compare) info.reference = names[reference];
  info.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  const std::string reference_name = compare ? names[reference] : std::string();
  io::WorkbookInput workbook;
  workbook.reports = reports;
  workbook.run = &info;
  workbook.language = human.language;
  workbook.years = human.years;
  workbook.reference = reference_name;
  workbook.created = human.created;
  workbook.created_text = human.created_text;
  // The workbook (libxlsxwriter: the costliest file) is rendered by another worker while
  // this thread renders the others; one after the other, the end of a run left a core
  // idle. The files keep their order.
  std::optional<std::string> workbook_bytes;
  std::string scorecard;
  std::vector<std::pair<std::string, std::string>> files;
  oneapi::tbb::task_arena arena(arena_concurrency(options.study.threads));
  arena.execute([&] {
    oneapi::tbb::task_group side;
    side.run([&] {
      // The workbook's scratch file lives in the output directory.
      with_output_lock([&] { workbook_bytes = io::render_workbook(workbook, options.study.out); });
    });
    // scorecard.txt is what stdout shows: the scorecard and the change view.
    scorecard = io::render_scorecard(reports, human.language) +
                (compare ? io::render_change_view(comparisons) : std::string());
    files.emplace_back("forecast.csv", io::render_forecast_csv(reports));
    files.emplace_back("targets.csv", io::render_targets_csv(reports));
    if (compare) {
      files.emplace_back("compare.csv", io::render_compare_csv(comparisons));
      files.emplace_back("compare_targets.csv", io::render_compare_targets_csv(comparisons));
    }
    files.emplace_back("scorecard.txt", scorecard);
    files.emplace_back("scorecard.csv", io::render_scorecard_csv(reports, human.language));
    if (save.active)
      files.emplace_back("draws.csv", render_save_draws(save, programs, draws, by_file));
    files.emplace_back("run.json", io::render_run_json(info));
    std::string report;
    if (!options.no_report) {
      report = io::render_report_html(
          {reports, &info, human.language, human.created_text, reference_name});
    }
    side.wait();
    if (workbook_bytes) files.emplace_back("tables.xlsx", std::move(*workbook_bytes));
    if (!options.no_report) files.emplace_back("report.html", std::move(report));
  });
  if (options.iamc) files.emplace_back("iamc.csv", io::render_iamc_csv(reports));
  write_outputs(options.study.out, files);
  if (!options.study.quiet) {
    std::cout << scorecard;
    std::ostringstream seconds;
    seconds << std::fixed << std::setprecision(2) << info.wall_seconds;
    std::cout << "wrote " << options.study.out << '/';
    for (std::size_t i = 0; i < files.size(); ++i) std::cout << (i ? ", " : "") << files[i].first;
    std::cout << " (" << seconds.str() << " s)\n";
  }
  return 0;
}

}  // namespace

CLI::App* add_run_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<RunOptions>();
  CLI::App* cmd = app.add_subcommand(
      "run",
      "Simulate scenario files (or bare model files) and write forecast.csv, targets.csv, "
      "run.json, scorecard.txt/.csv, tables.xlsx and report.html; with two or more scenarios "
      "also compare.csv and compare_targets.csv");
  add_study_options(*cmd, options->study, true);
  cmd->add_option("--lang", options->lang, "Language of the scorecard, report and workbook")
      ->check(CLI::IsMember({"en", "vi"}));
  cmd->add_option("--years", options->years,
                  "Years of the tables.xlsx columns (default: 2025,2030,2035,2040,2045)")
      ->delimiter(',');
  cmd->add_flag("--no-report", options->no_report, "Do not write report.html");
  cmd->add_flag("--iamc", options->iamc, "Also write iamc.csv (IAMC format, medians)");
  cmd->add_option("--reference", options->reference,
                  "Scenario the others are compared with, by name (default: the first file; "
                  "scenarios of another model are compared with the first of their model)");
  cmd->add_option("--save-draws", options->save_draws,
                  "Also write draws.csv: scenario, draw, every sampled parameter and these "
                  "outputs (VAR@YEAR[,VAR@YEAR...]), or only the parameters ('params')");
  cmd->callback([&action, options] { action = [options] { return run(*options); }; });
  return cmd;
}

}  // namespace tamnhin::cli
