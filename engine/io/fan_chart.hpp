// One indicator's fan chart as inline SVG, written by hand: the median line and the 50%
// and 90% bands of up to eight scenarios, the targets as markers, the base-year value and
// the observed history as points. Plain text out, no script, no fonts, no network: the
// same inputs give the same bytes (docs/reports.md says why this over a charting library).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "engine/core/comparator.hpp"
#include "engine/core/labels.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::io {

// Okabe & Ito's colour-blind-safe palette, in the order scenarios take it; each colour
// also has its own dash pattern so that lines stay apart in grey print.
inline constexpr int kChartColours = 8;
const char* chart_colour(int index);
const char* chart_dash(int index);  // "" for a solid line

struct ChartSeries {
  std::string scenario;
  int colour = 0;  // index into the palette
  int base_year = 0;
  const std::vector<stats::Summary>* by_year = nullptr;  // base_year, base_year + 1, ...
};

struct ChartTarget {
  int year = 0;
  Comparator comparator = Comparator::below;
  double threshold = 0;
};

struct FanChart {
  std::string title;  // for the accessible name (aria-label)
  std::vector<ChartSeries> series;
  std::vector<ChartTarget> targets;
  std::map<int, double> history;
  Language language = Language::en;
};

// An <svg> element scaled by CSS (viewBox only), with a <title>.
std::string render_fan_chart(const FanChart& chart);

// Text for HTML and SVG: & < > " ' escaped.
std::string escape_html(std::string_view text);

}  // namespace tamnhin::io
