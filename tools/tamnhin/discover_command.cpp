// `tamnhin discover FILE --target VAR@YEAR`: PRIM scenario discovery of the conditions
// (ranges of the uncertain parameters) under which a target is missed; writes
// discover.csv, discover_trajectory.csv and run.json (docs/sensitivity.md).
#include <chrono>
#include <iostream>

#include "engine/analysis/sensitivity/discover_study.hpp"
#include "engine/analysis/sensitivity/sensitivity_study.hpp"
#include "engine/analysis/sensitivity/tables.hpp"
#include "engine/io/run_info.hpp"
#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/session.hpp"

namespace tamnhin::cli {

namespace {

struct DiscoverOptions {
  StudyOptions study;
  std::string target;
  double peel = 0.05;
  double paste = 0.05;
  double mass_min = 0.05;
  std::size_t boxes = 3;
};

int discover(const DiscoverOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  prepare_output(options.study.out);
  const analysis::OutputSpec target = analysis::parse_output_spec(options.target, "--target");
  if (target.target)
    throw InputError(Diagnostic{{"--target " + options.target, 0, 0},
                                options.target,
                                "--target takes VAR@YEAR (the target on VAR in YEAR)",
                                "drop ':target'"});
  Loaded loaded = load_or_throw(options.study.files, options.study.threads);
  const auto sets = parse_sets(options.study.sets);
  analysis::Evaluator evaluator({&loaded.scenarios.at(0)}, evaluation_settings(options.study));
  analysis::PrimOptions prim;
  prim.peel_alpha = options.peel;
  prim.paste_alpha = options.paste;
  prim.mass_min = options.mass_min;
  prim.max_boxes = options.boxes;
  analysis::DiscoverResult result;
  try {
    result = analysis::run_discover(evaluator, target.variable, target.year, sets, prim,
                                    "--target " + options.target);
  } catch (const StudyStopped&) {
    exit_interrupted();
  }
  io::RunInfo info = run_info(options.study, evaluator, sets);
  info.wall_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_outputs(options.study.out,
                {{"discover.csv", analysis::render_discover_csv(result)},
                 {"discover_trajectory.csv", analysis::render_discover_trajectory_csv(result)},
                 {"run.json", io::render_run_json(info)}});
  if (!options.study.quiet) {
    std::cout << analysis::render_discover_table(result);
    std::cout << "wrote " << options.study.out
              << "/discover.csv, discover_trajectory.csv, run.json\n";
  }
  return 0;
}

}  // namespace

CLI::App* add_discover_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<DiscoverOptions>();
  CLI::App* cmd = app.add_subcommand(
      "discover",
      "Under which conditions a target is missed: PRIM boxes over the uncertain parameters; "
      "writes discover.csv, discover_trajectory.csv and run.json");
  add_study_options(*cmd, options->study, false);
  cmd->add_option("--target", options->target, "VAR@YEAR: the target on VAR in YEAR")->required();
  cmd->add_option("--peel", options->peel, "Share of the box peeled per step (default 0.05)")
      ->check(CLI::Range(0.001, 0.499));
  cmd->add_option("--paste", options->paste, "Share of the box pasted per step (default 0.05)")
      ->check(CLI::Range(0.001, 0.499));
  cmd->add_option("--mass-min", options->mass_min,
                  "Smallest box, as a share of the draws (default 0.05)")
      ->check(CLI::Range(0.001, 0.9));
  cmd->add_option("--boxes", options->boxes, "Most boxes reported (default 3)")
      ->check(CLI::Range(std::size_t{1}, std::size_t{20}));
  cmd->callback([&action, options] { action = [options] { return discover(*options); }; });
  return cmd;
}

}  // namespace tamnhin::cli
