// report.html: one self-contained page (inline CSS and SVG, no script, no font, no
// request of any kind) with, per model, the scorecard as a table and a fan chart per
// recorded indicator, and a provenance footer. docs/reports.md describes it.
#pragma once

#include <span>
#include <string>

#include "engine/core/labels.hpp"
#include "engine/io/run_info.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin::io {

// Scenarios drawn per chart (the palette's size); a model with more gets a note.
inline constexpr std::size_t kMaxChartScenarios = 8;

struct ReportInput {
  std::span<const stats::ScenarioReport> reports;
  const RunInfo* run = nullptr;  // provenance; required
  Language language = Language::en;
  std::string created;    // when the run ended, as shown ("2026-11-29 10:58 UTC")
  std::string reference;  // the reference scenario's name; empty: no change column
};

std::string render_report_html(const ReportInput& input);

}  // namespace tamnhin::io
