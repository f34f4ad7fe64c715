// `tamnhin sweep FILE --vary NAME=LO:HI:STEP [--vary ...] [--design grid|lhs --points K]`:
// the grid (or Latin hypercube) of lever values, each point a variant under common random
// numbers, in one parallel run; writes sweep.csv and run.json.
#include <chrono>
#include <iostream>

#include "engine/analysis/sweep.hpp"
#include "engine/io/analysis_outputs.hpp"
#include "tools/tamnhin/analysis_options.hpp"
#include "tools/tamnhin/commands.hpp"

namespace tamnhin::cli {

namespace {

struct SweepOptions {
  StudyOptions study;
  std::vector<std::string> vary;
  std::string design = "grid";
  std::size_t points = 0;
};

int sweep(const SweepOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  AnalysisSession session = open_analysis(o.study);
  const bool lhs = o.design == "lhs";
  if (lhs && o.points == 0) {
    throw InputError(Diagnostic{{"--design lhs", 0, 0},
                                "--points",
                                "a Latin-hypercube sweep needs --points K",
                                "e.g. --points 64"});
  }
  if (!lhs && o.points != 0) {
    throw InputError(Diagnostic{{"--points " + std::to_string(o.points), 0, 0},
                                "--points",
                                "--points is for --design lhs; a grid's points are its steps",
                                "drop --points, or add --design lhs"});
  }
  Diagnostics d;
  std::vector<analysis::LeverAxis> axes;
  for (const auto& text : o.vary) {
    if (auto axis = analysis::parse_vary(text, !lhs, d)) {
      analysis::check_axis(session.evaluator->applied(session.base).model, *axis, d);
      for (const auto& other : axes) {
        if (other.name == axis->name)
          d.add(axis->where, axis->name, "'" + axis->name + "' is varied twice");
      }
      axes.push_back(*axis);
    }
  }
  d.throw_if_any();
  const auto points =
      analysis::sweep_points(axes, lhs ? analysis::SweepDesign::lhs : analysis::SweepDesign::grid,
                             o.points, session.evaluator->seed(0));
  analysis::SweepResult result;
  try {
    result = analysis::run_sweep(*session.evaluator, session.base, axes, points);
  } catch (const StudyStopped&) {
    exit_interrupted();
  }
  report_adjustments(result.adjustments, o.study.quiet);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_with_run_info(o.study, session, {{"sweep.csv", io::render_sweep_csv(result)}},
                      result.adjustments, seconds);
  if (!o.study.quiet) {
    std::cout << io::render_sweep_summary(result);
    std::cout << "wrote " << o.study.out << "/sweep.csv, run.json\n";
  }
  return 0;
}

}  // namespace

CLI::App* add_sweep_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SweepOptions>();
  CLI::App* cmd = app.add_subcommand(
      "sweep",
      "Run a grid (or Latin hypercube) of lever values under common random numbers; writes "
      "sweep.csv (one row per point and target)");
  add_study_options(*cmd, o->study, false);
  cmd->add_option("--vary", o->vary,
                  "NAME=LO:HI:STEP, a lever or parameter and its values (repeatable: a full "
                  "grid); NAME=LO:HI with --design lhs")
      ->required();
  cmd->add_option("--design", o->design, "grid (default) or lhs")
      ->check(CLI::IsMember({"grid", "lhs"}));
  cmd->add_option("--points", o->points, "Points of a Latin-hypercube design");
  cmd->callback([&action, o] { action = [o] { return sweep(*o); }; });
  return cmd;
}

}  // namespace tamnhin::cli
