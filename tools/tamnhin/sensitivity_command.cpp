// `tamnhin sensitivity FILE --output VAR@YEAR [...]`: Sobol' indices (or Morris elementary
// effects) of every uncertain parameter and of the yearly draws, written to
// sensitivity.csv with run.json, and printed ranked (docs/sensitivity.md).
#include <chrono>
#include <iostream>

#include "engine/analysis/sensitivity/sensitivity_study.hpp"
#include "engine/analysis/sensitivity/tables.hpp"
#include "engine/io/run_info.hpp"
#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/session.hpp"

namespace tamnhin::cli {

namespace {

struct SensitivityOptions {
  StudyOptions study;
  std::vector<std::string> outputs;
  std::string method = "sobol";
  std::optional<std::size_t> samples;
  std::size_t levels = 4;
  std::size_t resamples = 1000;
};

int sensitivity(const SensitivityOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  prepare_output(options.study.out);
  // Options first: a malformed --output fails before the files are read.
  std::vector<analysis::OutputSpec> outputs;
  for (const auto& o : options.outputs)
    outputs.push_back(analysis::parse_output_spec(o, "--output"));
  Loaded loaded = load_or_throw(options.study.files, options.study.threads);
  analysis::SensitivityOptions so;
  so.method = options.method == "morris" ? analysis::SensitivityMethod::morris
                                         : analysis::SensitivityMethod::sobol;
  // --samples, else --draws, else the documented defaults.
  so.samples = options.samples.value_or(
      options.study.draws.value_or(so.method == analysis::SensitivityMethod::sobol ? 1024 : 50));
  so.levels = options.levels;
  so.resamples = options.resamples;
  so.overrides = parse_sets(options.study.sets);

  analysis::EvaluationSettings settings = evaluation_settings(options.study);
  settings.draws = so.samples;
  // The Saltelli matrices default to Sobol' points (quasi-Monte Carlo: the indices settle
  // with fewer runs); --sampling mc or lhs chooses another design.
  if (!options.study.sampling) settings.design = random::SamplingDesign::sobol;
  analysis::Evaluator evaluator({&loaded.scenarios.at(0)}, settings);
  analysis::SensitivityResult result;
  try {
    result = analysis::run_sensitivity(evaluator, outputs, so);
  } catch (const StudyStopped&) {
    exit_interrupted();
  }
  io::RunInfo info = run_info(options.study, evaluator, so.overrides);
  info.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_outputs(options.study.out, {{"sensitivity.csv", analysis::render_sensitivity_csv(result)},
                                    {"run.json", io::render_run_json(info)}});
  if (!options.study.quiet) {
    std::cout << analysis::render_sensitivity_table(result);
    std::cout << "wrote " << options.study.out << "/sensitivity.csv, run.json\n";
  }
  return 0;
}

}  // namespace

CLI::App* add_sensitivity_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<SensitivityOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sensitivity",
      "Which uncertain assumptions drive an output: Sobol' indices (or Morris screening) of "
      "every uncertain parameter and of the yearly draws; writes sensitivity.csv and run.json");
  add_study_options(*cmd, options->study, false);
  cmd->add_option("--output", options->outputs,
                  "VAR@YEAR, or VAR@YEAR:target for the indicator that the target on VAR in "
                  "YEAR is met; repeat for several")
      ->required();
  cmd->add_option("--method", options->method, "sobol (default) or morris")
      ->check(CLI::IsMember({"sobol", "morris"}));
  cmd->add_option("--samples", options->samples,
                  "sobol: base samples N (N (k+2) runs; default 1024); morris: trajectories r "
                  "(r (k+1) runs; default 50)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{10'000'000}));
  cmd->add_option("--levels", options->levels, "morris: grid levels (even; default 4)")
      ->check(
          CLI::Range(std::size_t{2}, std::size_t{100}) &
          CLI::Validator(
              [](std::string& s) { return std::stoul(s) % 2 == 0 ? "" : "must be even"; }, "EVEN"));
  cmd->add_option("--resamples", options->resamples, "sobol: bootstrap resamples (default 1000)")
      ->check(CLI::Range(std::size_t{100}, std::size_t{100000}));
  cmd->callback([&action, options] { action = [options] { return sensitivity(*options); }; });
  return cmd;
}

}  // namespace tamnhin::cli
