// Helpers shared by the allocation commands (sweep, seek, optimize): the base variant of
// the one scenario they vary, VAR@YEAR target references, and writing their outputs with
// run.json.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "engine/analysis/evaluator.hpp"
#include "tools/tamnhin/session.hpp"

namespace tamnhin::cli {

// A loaded scenario with its evaluator and the variant "as written, with --set".
struct AnalysisSession {
  Loaded loaded;
  std::vector<analysis::Override> sets;
  std::unique_ptr<analysis::Evaluator> evaluator;
  analysis::Variant base;
};

// Installs interrupts, checks the output directory, loads the files (the first is the
// scenario varied; more are scenarios of the same model, e.g. for --robust) and applies
// --set (compiled once, so bad settings fail before any simulation).
AnalysisSession open_analysis(const StudyOptions& options);

// "VAR@YEAR" -> (VAR, YEAR); InputError naming `option` otherwise.
std::pair<std::string, int> parse_target_ref(const std::string& text, const std::string& option);

// Writes `files` plus run.json (with the --set overrides and share adjustments).
void write_with_run_info(const StudyOptions& options, const AnalysisSession& session,
                         std::vector<std::pair<std::string, std::string>> files,
                         const std::vector<ShareAdjustment>& adjustments, double seconds);

}  // namespace tamnhin::cli
