#include "engine/io/fan_chart.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <limits>

#include "engine/io/human_text.hpp"

namespace tamnhin::io {

namespace {

// viewBox units; CSS scales the whole drawing, so text stays proportionate. 480 wide keeps
// 12-unit labels at 9 px on a 360 px phone and at 15 px in a 600 px desktop column.
constexpr double kWidth = 480, kHeight = 270;
constexpr double kLeft = 52, kRight = 14, kTop = 12, kBottom = 26;

constexpr const char* kColours[kChartColours] = {"#0072B2", "#E69F00", "#009E73", "#D55E00",
                                                 "#CC79A7", "#56B4E9", "#000000", "#F0E442"};
constexpr const char* kDashes[kChartColours] = {"",    "6 3", "2 2",      "8 3 2 3",
                                                "4 4", "1 3", "10 2 2 2", "3 6"};

// x with `decimals` decimals, as printf's %.*f prints it (std::to_chars is defined so),
// without printf's arbitrary-precision arithmetic: printf for the fan charts' coordinates
// was 7% of the instructions of a nine-scenario run at 2,000 draws.
std::string fixed(double x, int decimals) {
  char buffer[400];  // any double with a few decimals
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, x, std::chars_format::fixed, decimals);
  return error == std::errc{} ? std::string(buffer, end) : std::string("0");
}

// Coordinates with one decimal: sub-pixel at any sensible size, and a third of the bytes.
std::string num(double x) {
  std::string out = fixed(x, 1);
  if (out.size() > 2 && out.compare(out.size() - 2, 2, ".0") == 0) out.resize(out.size() - 2);
  if (out == "-0") out = "0";
  return out;
}

std::string num2(double x) {
  return fixed(x, 2);
}

// Ticks at 1, 2 or 5 times a power of ten, about `count` of them over [low, high].
std::vector<double> nice_ticks(double low, double high, int count) {
  const double raw = (high - low) / count;
  const double power = std::pow(10.0, std::floor(std::log10(raw)));
  double step = power;
  for (double m : {1.0, 2.0, 5.0, 10.0}) {
    step = m * power;
    if (step >= raw) break;
  }
  std::vector<double> ticks;
  for (double t = std::ceil(low / step) * step; t <= high + step * 1e-9; t += step) {
    ticks.push_back(std::fabs(t) < step * 1e-9 ? 0.0 : t);
  }
  return ticks;
}

// Tick labels with the decimals the step needs (0.5 steps: "2.5", never "2.50" next to
// "11.0"), and millions or billions abbreviated so a label fits the left margin.
std::string tick_label(double value, double step, Language language) {
  const double top = std::max(std::fabs(value), step);
  double scale = 1;
  const char* suffix = "";
  if (top >= 1e9) {
    scale = 1e9, suffix = language == Language::vi ? " tỷ" : " bn";
  } else if (top >= 1e6) {
    scale = 1e6, suffix = language == Language::vi ? " tr" : " M";
  }
  const int decimals =
      std::clamp(static_cast<int>(-std::floor(std::log10(step / scale) + 1e-9)), 0, 6);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value / scale);
  std::string out = buffer;
  if (out.find_first_not_of("-0.") == std::string::npos) out = "0";
  if (language == Language::vi) std::replace(out.begin(), out.end(), '.', ',');
  return out + suffix;
}

struct Scale {
  double x0, x1, y0, y1;  // data domain
  double x(double year) const {
    return kLeft + (year - x0) / (x1 - x0) * (kWidth - kLeft - kRight);
  }
  double y(double v) const {
    return kHeight - kBottom - (v - y0) / (y1 - y0) * (kHeight - kTop - kBottom);
  }
};

// A closed band: `high` left to right, then `low` back.
std::string band_path(const ChartSeries& s, const Scale& scale, double stats::Summary::*low,
                      double stats::Summary::*high) {
  const auto& by_year = *s.by_year;
  std::string d = "M";
  for (std::size_t i = 0; i < by_year.size(); ++i) {
    d += (i ? " " : "") + num(scale.x(s.base_year + static_cast<int>(i))) + ',' +
         num(scale.y(by_year[i].*high));
  }
  for (std::size_t i = by_year.size(); i-- > 0;) {
    d +=
        ' ' + num(scale.x(s.base_year + static_cast<int>(i))) + ',' + num(scale.y(by_year[i].*low));
  }
  return d + "Z";
}

}  // namespace

const char* chart_colour(int index) {
  return kColours[index % kChartColours];
}
const char* chart_dash(int index) {
  return kDashes[index % kChartColours];
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&#39;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string render_fan_chart(const FanChart& chart) {
  // The domain: every year and value drawn, targets and history included.
  double x0 = std::numeric_limits<double>::infinity(), x1 = -x0, y0 = x0, y1 = -x0;
  for (const auto& s : chart.series) {
    const auto& by_year = *s.by_year;
    x0 = std::min(x0, static_cast<double>(s.base_year));
    x1 = std::max(x1, static_cast<double>(s.base_year + static_cast<int>(by_year.size()) - 1));
    for (const auto& summary : by_year) {
      y0 = std::min({y0, summary.p05, summary.p50});
      y1 = std::max({y1, summary.p95, summary.p50});
    }
  }
  for (const auto& [year, value] : chart.history) {
    x0 = std::min(x0, static_cast<double>(year));
    x1 = std::max(x1, static_cast<double>(year));
    y0 = std::min(y0, value), y1 = std::max(y1, value);
  }
  for (const auto& t : chart.targets)
    y0 = std::min(y0, t.threshold), y1 = std::max(y1, t.threshold);
  if (!(x0 < x1)) x1 = x0 + 1;
  if (!std::isfinite(y0) || !std::isfinite(y1)) y0 = 0, y1 = 1;
  if (y1 - y0 < 1e-12 * std::max(1.0, std::fabs(y1))) {
    const double pad = std::max(1e-9, std::fabs(y1) * 0.05 + (y1 == 0 ? 1 : 0));
    y0 -= pad, y1 += pad;
  }
  const std::vector<double> y_ticks = nice_ticks(y0, y1, 5);
  // Round the domain out to the ticks around it, so the bands never touch the frame.
  const double step = y_ticks.size() > 1 ? y_ticks[1] - y_ticks[0] : (y1 - y0);
  const Scale scale{x0, x1, std::min(y0, std::floor(y0 / step) * step),
                    std::max(y1, std::ceil(y1 / step) * step)};

  // Marked when any band has width, for tests and styles that look for uncertainty.
  bool uncertain = false;
  for (const auto& s : chart.series) {
    for (const auto& summary : *s.by_year) uncertain = uncertain || summary.p95 > summary.p05;
  }
  std::string svg = "<svg class=\"fan\"" + std::string(uncertain ? " data-uncertain=\"1\"" : "") +
                    " viewBox=\"0 0 " + num(kWidth) + ' ' + num(kHeight) +
                    "\" role=\"img\" aria-label=\"" + escape_html(chart.title) + "\"><title>" +
                    escape_html(chart.title) + "</title>";
  // Grid and axes.
  svg += "<g class=\"grid\">";
  for (double t = std::ceil(scale.y0 / step) * step; t <= scale.y1 + step * 1e-9; t += step) {
    const double value = std::fabs(t) < step * 1e-9 ? 0.0 : t;
    const double y = scale.y(value);
    svg += "<line x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) + "\" y1=\"" + num(y) +
           "\" y2=\"" + num(y) + "\"/><text class=\"ytick\" x=\"" + num(kLeft - 4) + "\" y=\"" +
           num(y + 4) + "\">" + escape_html(tick_label(value, step, chart.language)) + "</text>";
  }
  const int first_year = static_cast<int>(x0), last_year = static_cast<int>(x1);
  const int year_step = last_year - first_year > 30 ? 10 : 5;
  for (int year = first_year; year <= last_year; ++year) {
    const int next_round = (year + year_step - 1) / year_step * year_step;
    // Round years, and the first year when no round year is close enough to crowd it.
    if (year % year_step != 0 && !(year == first_year && next_round - year >= 3)) continue;
    const double x = scale.x(year);
    svg += "<text class=\"xtick\" x=\"" + num(x) + "\" y=\"" + num(kHeight - 8) + "\">" +
           std::to_string(year) + "</text>";
  }
  svg += "<line class=\"axis\" x1=\"" + num(kLeft) + "\" x2=\"" + num(kWidth - kRight) +
         "\" y1=\"" + num(kHeight - kBottom) + "\" y2=\"" + num(kHeight - kBottom) + "\"/></g>";

  // Bands under lines, all scenarios' 90% bands first, so no band hides another's median.
  // Fainter the more scenarios overlap, so that eight equal bands do not turn to mud.
  const double fade =
      std::min(1.0, 3.0 / static_cast<double>(std::max<std::size_t>(1, chart.series.size())));
  const std::string opacity90 = " fill-opacity=\"" + num2(0.16 * fade) + '"';
  const std::string opacity50 = " fill-opacity=\"" + num2(0.30 * fade) + '"';
  for (const auto& s : chart.series) {
    svg += "<path class=\"band90\"" + opacity90 + " fill=\"" + std::string(chart_colour(s.colour)) +
           "\" d=\"" + band_path(s, scale, &stats::Summary::p05, &stats::Summary::p95) + "\"/>";
  }
  for (const auto& s : chart.series) {
    svg += "<path class=\"band50\"" + opacity50 + " fill=\"" + std::string(chart_colour(s.colour)) +
           "\" d=\"" + band_path(s, scale, &stats::Summary::p25, &stats::Summary::p75) + "\"/>";
  }
  for (const auto& s : chart.series) {
    std::string points;
    for (std::size_t i = 0; i < s.by_year->size(); ++i) {
      points += (i ? " " : "") + num(scale.x(s.base_year + static_cast<int>(i))) + ',' +
                num(scale.y((*s.by_year)[i].p50));
    }
    svg += "<polyline class=\"median\" stroke=\"" + std::string(chart_colour(s.colour)) + '"';
    if (*chart_dash(s.colour))
      svg += " stroke-dasharray=\"" + std::string(chart_dash(s.colour)) + '"';
    svg += " points=\"" + points + "\"><title>" + escape_html(s.scenario) + "</title></polyline>";
  }
  // The base-year value of each scenario (usually one point, as scenarios share it).
  for (const auto& s : chart.series) {
    const double value = s.by_year->front().p50;
    svg += "<circle class=\"base\" stroke=\"" + std::string(chart_colour(s.colour)) + "\" cx=\"" +
           num(scale.x(s.base_year)) + "\" cy=\"" + num(scale.y(value)) + "\" r=\"3.5\"><title>" +
           escape_html(std::string(words(chart.language).base_value)) + ' ' +
           std::to_string(s.base_year) + ": " + escape_html(compact(value, chart.language)) +
           "</title></circle>";
  }
  for (const auto& [year, value] : chart.history) {
    svg += "<circle class=\"history\" cx=\"" + num(scale.x(year)) + "\" cy=\"" +
           num(scale.y(value)) + "\" r=\"3\"><title>" +
           escape_html(std::string(words(chart.language).history)) + ' ' + std::to_string(year) +
           ": " + escape_html(compact(value, chart.language)) + "</title></circle>";
  }
  // Targets: a diamond at (year, threshold), a short tick across it, and the condition.
  for (const auto& t : chart.targets) {
    const double x = scale.x(t.year), y = scale.y(t.threshold);
    const std::string label = std::string(to_symbol(t.comparator)) + ' ' +
                              compact(t.threshold, chart.language) + " (" + std::to_string(t.year) +
                              ')';
    svg += "<g class=\"target\"><title>" + escape_html(std::string(words(chart.language).target)) +
           ": " + escape_html(label) + "</title><line x1=\"" + num(x - 12) + "\" x2=\"" +
           num(x + 12) + "\" y1=\"" + num(y) + "\" y2=\"" + num(y) + "\"/><path d=\"M" + num(x) +
           ',' + num(y - 6) + " L" + num(x + 6) + ',' + num(y) + " L" + num(x) + ',' + num(y + 6) +
           " L" + num(x - 6) + ',' + num(y) + "Z\"/>";
    // Label left of the marker when it would leave the frame on the right.
    const bool left = x > kWidth - kRight - 80;
    svg += "<text x=\"" + num(left ? x - 9 : x + 9) + "\" y=\"" + num(y - 8) + "\"" +
           (left ? " text-anchor=\"end\"" : "") + '>' + escape_html(label) + "</text></g>";
  }
  svg += "</svg>";
  return svg;
}

}  // namespace tamnhin::io
