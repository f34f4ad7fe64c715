// tamnhin: project social-policy indicators with Monte Carlo draws.
// Exit status: 0 success, 2 bad input, 1 internal failure, 130 interrupted.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "engine/core/check.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/random/designs.hpp"
#include "tools/tamnhin/commands.hpp"

int main(int argc, char** argv) {
  using namespace tamnhin;
  CLI::App app{
      "tamnhin (tầm nhìn): scenario projections of social-policy indicators with "
      "uncertainty, year by year to 2030 and 2045."};
  app.set_version_flag("--version", std::string("tamnhin ") + TAMNHIN_VERSION);
  app.require_subcommand(1);

  cli::RunOptions run;
  for (int i = 0; i < argc; ++i) run.command_line.emplace_back(argv[i]);
  CLI::App* run_cmd =
      app.add_subcommand("run",
                         "Simulate scenario files (or bare model files) and write forecast.csv, "
                         "targets.csv, run.json, scorecard.txt/.csv, tables.xlsx and "
                         "report.html");
  run_cmd->add_option("files", run.files, "Scenario or model files (.toml)")->required();
  run_cmd
      ->add_option("--draws", run.draws,
                   "Monte Carlo draws per scenario (default: the "
                   "scenario's, else 10000)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{100'000'000}));
  run_cmd->add_option("--seed", run.seed, "Run seed (default: the scenario's, else 20451)");
  run_cmd->add_option("--threads", run.threads, "Worker threads (default: all cores)")
      ->check(CLI::Range(1u, 1024u));
  run_cmd->add_option("--sampling", run.sampling, "Parameter sampling design")
      ->check(CLI::IsMember(random::sampling_design_names()));
  run_cmd->add_option("--out", run.out, "Output directory (default: out)");
  run_cmd
      ->add_option("--batch", run.batch_size,
                   "Draws per batch; results do not depend on it (default: 256)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{65536}));
  run_cmd->add_flag("--quiet", run.quiet, "Do not print the scorecard or progress");
  run_cmd->add_option("--lang", run.lang, "Language of the scorecard, report and workbook")
      ->check(CLI::IsMember({"en", "vi"}));
  run_cmd
      ->add_option("--years", run.years,
                   "Years of the tables.xlsx columns (default: 2025,2030,2035,2040,2045)")
      ->delimiter(',');
  run_cmd->add_flag("--no-report", run.no_report, "Do not write report.html");
  run_cmd->add_flag("--iamc", run.iamc, "Also write iamc.csv (IAMC format, medians)");

  cli::CheckOptions check;
  CLI::App* check_cmd = app.add_subcommand(
      "check", "Validate files without running them; prints every problem, exits 2 if any");
  check_cmd->add_option("files", check.files, "Scenario or model files (.toml)")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  try {
    if (*run_cmd) return cli::run_command(run);
    if (*check_cmd) return cli::check_command(check);
  } catch (const InputError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const InternalError& e) {
    std::cerr << "tamnhin: internal error (please report): " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tamnhin: internal error (please report): " << e.what() << '\n';
    return 1;
  }
  return 1;
}
