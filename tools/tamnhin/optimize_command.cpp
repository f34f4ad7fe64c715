// `tamnhin optimize FILE --over NAME,NAME,... [--sum S] [--objective targets_met|weighted]
// [--weights VAR@YEAR=W,...] [--robust FILE,FILE,...]`: the lever values that maximise the
// expected number of targets met (or a weighted sum of target chances; the worst case over
// --robust scenarios), re-evaluated with an independent seed; writes optimize.json,
// optimize.csv and run.json.
#include <chrono>
#include <iostream>

#include "engine/analysis/optimize.hpp"
#include "engine/analysis/variant.hpp"
#include "engine/io/analysis_outputs.hpp"
#include "tools/tamnhin/analysis_options.hpp"
#include "tools/tamnhin/commands.hpp"

namespace tamnhin::cli {

namespace {

struct OptimizeOptions {
  StudyOptions study;
  std::vector<std::string> over, weights, robust;
  std::optional<std::string> sum;
  std::string objective = "targets_met";
  std::size_t max_evaluations = 80;
};

int optimize(OptimizeOptions o) {
  const auto started = std::chrono::steady_clock::now();
  const std::size_t main_files = o.study.files.size();
  o.study.files.insert(o.study.files.end(), o.robust.begin(), o.robust.end());
  AnalysisSession session = open_analysis(o.study);
  const Scenario& main = session.loaded.scenarios.front();
  std::vector<analysis::Variant> bases = {session.base};
  for (std::size_t i = main_files; i < session.loaded.scenarios.size(); ++i) {
    const Scenario& s = session.loaded.scenarios[i];
    if (s.model.name != main.model.name) {
      throw InputError(Diagnostic{{s.file, 0, 0},
                                  "--robust",
                                  "scenario '" + s.name + "' is of model '" + s.model.name +
                                      "', not '" + main.model.name + "'",
                                  "--robust takes scenarios of the model being optimised (e.g. "
                                  "low and high growth)"});
    }
    analysis::Variant v;
    v.name = s.name;
    v.base = i;
    v.overrides = session.sets;
    session.evaluator->program(v);
    bases.push_back(std::move(v));
  }
  analysis::OptimizeRequest request;
  request.over = o.over;
  request.max_evaluations = o.max_evaluations;
  if (o.sum) {
    Diagnostics d;
    request.sum_where = {"--sum " + *o.sum, 0, 0};
    request.sum = analysis::parse_plain_number(*o.sum, request.sum_where, "--sum", d);
    d.throw_if_any();
  }
  request.objective =
      o.objective == "weighted" ? analysis::Objective::weighted : analysis::Objective::targets_met;
  if (request.objective == analysis::Objective::weighted && o.weights.empty()) {
    throw InputError(Diagnostic{{"--objective weighted", 0, 0},
                                "--weights",
                                "a weighted objective needs --weights VAR@YEAR=W,...",
                                "e.g. --weights hospital_beds@2030=2,doctors@2030=1"});
  }
  for (const auto& w : o.weights) {
    const auto eq = w.find('=');
    if (eq == std::string::npos) {
      throw InputError(Diagnostic{{"--weights " + w, 0, 0},
                                  "--weights",
                                  "expected VAR@YEAR=W, got '" + w + "'",
                                  "e.g. --weights unemployment_rate@2030=2"});
    }
    auto [variable, year] = parse_target_ref(w.substr(0, eq), "--weights");
    Diagnostics d;
    auto weight =
        analysis::parse_plain_number(w.substr(eq + 1), {"--weights " + w, 0, 0}, "--weights", d);
    d.throw_if_any();
    request.weights.push_back({variable, year, *weight});
  }
  // The re-evaluation: the same scenarios under an independent seed.
  StudyOptions again = o.study;
  again.seed = analysis::reevaluation_seed(session.evaluator->seed(0));
  std::vector<const Scenario*> scenario_ptrs;
  for (const auto& s : session.loaded.scenarios) scenario_ptrs.push_back(&s);
  analysis::Evaluator reevaluator(scenario_ptrs, evaluation_settings(again));

  analysis::OptimizeResult result;
  try {
    result = analysis::optimize(*session.evaluator, reevaluator, bases, request);
  } catch (const StudyStopped&) {
    exit_interrupted();
  }
  analysis::Variant at_answer = session.base;
  for (std::size_t i = 0; i < result.levers.size(); ++i)
    at_answer.overrides.push_back({result.levers[i], std::nullopt, result.values[i], {}});
  const auto adjustments = session.evaluator->applied(at_answer).adjustments;
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  write_with_run_info(o.study, session,
                      {{"optimize.json", io::render_optimize_json(result, request)},
                       {"optimize.csv", io::render_optimize_csv(result)}},
                      adjustments, seconds);
  if (!o.study.quiet) {
    std::cout << io::render_optimize_summary(result, request);
    std::cout << "wrote " << o.study.out << "/optimize.json, optimize.csv, run.json\n";
  }
  return 0;
}

}  // namespace

CLI::App* add_optimize_command(CLI::App& app, Action& action) {
  auto o = std::make_shared<OptimizeOptions>();
  CLI::App* cmd = app.add_subcommand(
      "optimize",
      "Choose lever values (within their ranges, optionally summing to a total) that "
      "maximise the expected number of targets met; writes optimize.json and optimize.csv");
  add_study_options(*cmd, o->study, false);
  cmd->add_option("--over", o->over, "Levers to choose, comma-separated")
      ->required()
      ->delimiter(',');
  cmd->add_option("--sum", o->sum,
                  "The levers' total (default: a share group given whole keeps its total)");
  cmd->add_option("--objective", o->objective, "targets_met (default) or weighted")
      ->check(CLI::IsMember({"targets_met", "weighted"}));
  cmd->add_option("--weights", o->weights, "VAR@YEAR=W,... for --objective weighted")
      ->delimiter(',');
  cmd->add_option("--robust", o->robust,
                  "Scenario files of the same model: maximise the worst case over them and FILE")
      ->delimiter(',');
  cmd->add_option("--evaluations", o->max_evaluations,
                  "Most candidates to evaluate, the screen included (default 80)")
      ->check(CLI::Range(std::size_t{4}, std::size_t{100000}));
  cmd->callback([&action, o] { action = [o] { return optimize(*o); }; });
  return cmd;
}

}  // namespace tamnhin::cli
