#include "tools/tamnhin/analysis_options.hpp"

#include <charconv>

#include "engine/io/run_info.hpp"

namespace tamnhin::cli {

AnalysisSession open_analysis(const StudyOptions& options) {
  prepare_output(options.out);
  AnalysisSession s;
  s.loaded = load_or_throw(options.files, options.threads);
  s.sets = parse_sets(options.sets);
  std::vector<const Scenario*> bases;
  for (const auto& sc : s.loaded.scenarios) bases.push_back(&sc);
  s.evaluator = std::make_unique<analysis::Evaluator>(bases, evaluation_settings(options));
  s.base.name = s.loaded.scenarios.front().name;
  s.base.base = 0;
  s.base.overrides = s.sets;
  s.evaluator->program(s.base);
  return s;
}

std::pair<std::string, int> parse_target_ref(const std::string& text, const std::string& option) {
  const auto at = text.find('@');
  int year = 0;
  if (at != std::string::npos) {
    const char* first = text.data() + at + 1;
    const char* last = text.data() + text.size();
    auto [end, ec] = std::from_chars(first, last, year);
    if (ec == std::errc{} && end == last && at > 0 && year >= 1 && year <= 9999)
      return {text.substr(0, at), year};
  }
  throw InputError(Diagnostic{{option + " " + text, 0, 0},
                              option,
                              "expected VAR@YEAR, got '" + text + "'",
                              "e.g. " + option + " hospital_beds@2030"});
}

void write_with_run_info(const StudyOptions& options, const AnalysisSession& session,
                         std::vector<std::pair<std::string, std::string>> files,
                         const std::vector<ShareAdjustment>& adjustments, double seconds) {
  io::RunInfo info = run_info(options, *session.evaluator, session.sets);
  for (const auto& a : adjustments)
    if (!a.message.empty()) info.share_adjustments.push_back(a.message);
  info.wall_seconds = seconds;
  files.emplace_back("run.json", io::render_run_json(info));
  write_outputs(options.out, files);
}

}  // namespace tamnhin::cli
