// `tamnhin seek FILE --lever NAME --range LO:HI --target VAR@YEAR [--probability 0.8]
// [--direction up|down]`: the lever value at which the chance of meeting a target reaches
// the probability, with a Monte Carlo interval; writes seek.json and run.json.
#include <chrono>
#include <iostream>

#include "engine/analysis/seek.hpp"
#include "engine/io/analysis_outputs.hpp"
#include "tools/tamnhin/analysis_options.hpp"
#include "tools/tamnhin/commands.hpp"

namespace tamnhin::cli {

namespace {

struct SeekOptions {
  StudyOptions study;
  std::string lever, range, target, direction = "up";
  double probability = 0.8;
};

int seek(const SeekOptions& o) {
  const auto started = std::chrono::steady_clock::now();
  AnalysisSession session = open_analysis(o.study);
  Diagnostics d;
  auto axis = analysis::parse_range(o.lever, o.range, "--range", d);
  if (axis) analysis::check_axis(session.evaluator->applied(session.base).model, *axis, d);
  d.throw_if_any();
  analysis::SeekRequest request;
  request.lever = *axis;
  std::tie(request.variable, request.year) = parse_target_ref(o.target, "--target");
  request.probability = o.probability;
  request.direction = o.direction == "down" ? analysis::Direction::down : analysis::Direction::up;
  analysis::SeekResult result;
  try {
    result = analysis::seek(*session.evaluator, session.base, request);
  } catch (const StudyStopped&) {
    exit_interrupted();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  analysis::Variant at_answer = session.base;
  at_answer.overrides.push_back({request.lever.name, std::nullopt, result.value, axis->where});
  const auto adjustments = session.evaluator->applied(at_answer).adjustments;
  report_adjustments(adjustments, o.study.quiet);
  write_with_run_info(o.study, session, {{"seek.json", io::render_seek_json(result, request)}},
                      adjustments, seconds);
  if (!o.study.quiet) {
    std::cout << io::render_seek_summary(result, request, session.evaluator->draws(0));
    std::cout << "wrote " << o.study.out << "/seek.json, run.json\n";
  }
  return 0;
}

}  // namespace

CLI::App* add_seek_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<SeekOptions>();
  CLI::App* cmd = app.add_subcommand(
      "seek",
      "Find the smallest (up) or largest (down) lever value at which the chance of meeting a "
      "target reaches a probability; writes seek.json");
  add_study_options(*cmd, o->study, false);
  cmd->add_option("--lever", o->lever, "The lever (or parameter) to move")->required();
  cmd->add_option("--range", o->range, "LO:HI, the values to search")->required();
  cmd->add_option("--target", o->target, "VAR@YEAR, a target of the scenario")->required();
  cmd->add_option("--probability", o->probability, "The chance wanted (default 0.8)");
  cmd->add_option("--direction", o->direction,
                  "up: the chance rises with the lever, find the smallest value (default); "
                  "down: it falls, find the largest")
      ->check(CLI::IsMember({"up", "down"}));
  cmd->callback([&action, o] { action = [o] { return seek(*o); }; });
  return cmd;
}

}  // namespace tamnhin::cli
