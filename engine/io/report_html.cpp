#include "engine/io/report_html.hpp"

#include <algorithm>
#include <cmath>

#include "engine/io/fan_chart.hpp"
#include "engine/io/human_text.hpp"
#include "engine/io/number_format.hpp"
#include "engine/io/tables.hpp"

namespace tamnhin::io {

namespace {

// Screen first, then print: the bands of the scorecard keep their order in grey because
// their lightness falls with the probability (ColorBrewer YlGnBu), and the number is
// always printed in the cell.
constexpr const char* kStyle = R"css(
:root{color-scheme:light;--ink:#1b1b1b;--muted:#5a5a5a;--rule:#d0d0d0}
*{box-sizing:border-box}
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans","DejaVu Sans",sans-serif;color:var(--ink);background:#fff}
header,main,footer{max-width:1240px;margin:0 auto;padding:0 20px}
h1{font-size:1.6rem;margin:1.2rem 0 .3rem}
h2{font-size:1.3rem;margin:2rem 0 .4rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem}
h3{font-size:1.05rem;margin:1.4rem 0 .4rem}
.lede{color:var(--muted);margin:.2rem 0}
.how{max-width:60rem}
.legend{display:flex;flex-wrap:wrap;gap:.3rem 1.2rem;margin:.6rem 0;padding:0;list-style:none}
.legend li{display:flex;align-items:center;gap:.4rem}
.legend svg{width:34px;height:12px;flex:none}
.table-wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}
table{border-collapse:collapse;font-size:.9rem}
th,td{border:1px solid var(--rule);padding:.3rem .5rem;vertical-align:top}
th{background:#f3f3f3;text-align:left;font-weight:600}
td.p{text-align:center;min-width:4.6rem;font-variant-numeric:tabular-nums}
td.p b{display:block;font-size:1rem}
td.p small{display:block;font-size:.75rem;opacity:.85}
td.c{white-space:nowrap}
table.scorecard tbody td:first-child,table.scorecard thead th:first-child{position:sticky;left:0;z-index:1;background:#fff;box-shadow:1px 0 0 var(--rule)}
table.scorecard thead th:first-child{background:#f3f3f3}
.b0{background:#ffffcc}.b1{background:#c7e9b4}.b2{background:#7fcdbb}
.b3{background:#2c7fb8;color:#fff}.b4{background:#253494;color:#fff}
.bands{display:flex;flex-wrap:wrap;gap:.2rem .8rem;font-size:.8rem;margin:.4rem 0}
.bands span{padding:0 .4rem;border:1px solid var(--rule)}
.charts{display:grid;grid-template-columns:repeat(auto-fill,minmax(min(100%,520px),1fr));gap:1rem 1.4rem}
figure.chart{margin:0;padding:.4rem 0;border-top:1px solid var(--rule);break-inside:avoid}
figure.chart figcaption{font-weight:600;font-size:.95rem}
figure.chart figcaption .unit{font-weight:400;color:var(--muted)}
svg.fan{display:block;width:100%;height:auto}
svg.fan text{font-size:12px;fill:var(--ink)}
svg.fan .ytick{text-anchor:end}
svg.fan .xtick{text-anchor:middle}
svg.fan .grid line{stroke:#e4e4e4;stroke-width:1}
svg.fan .grid line.axis{stroke:#888}
svg.fan .median{fill:none;stroke-width:2.2;stroke-linejoin:round}
svg.fan circle.base{fill:#fff;stroke-width:2}
svg.fan circle.history{fill:#1b1b1b}
svg.fan .target line{stroke:#1b1b1b;stroke-width:1.5}
svg.fan .target path{fill:#fff;stroke:#1b1b1b;stroke-width:1.6}
svg.fan .target text{font-size:11px;font-weight:600;paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.note{color:var(--muted);font-size:.85rem}
footer{margin-top:2.5rem;padding-bottom:2rem;border-top:1px solid var(--rule);font-size:.85rem;color:var(--muted)}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:.1rem 1rem;margin:.5rem 0}
footer dt{font-weight:600}footer dd{margin:0;overflow-wrap:anywhere}
footer code{font-size:.8rem}
@media (max-width:600px){body{font-size:14px}header,main,footer{padding:0 10px}h1{font-size:1.3rem}
 h2{font-size:1.1rem}table.scorecard td:first-child{min-width:8.5rem;max-width:9.5rem}
 footer dl{grid-template-columns:1fr}footer dt{margin-top:.4rem}}
@media print{h2{break-before:auto}.table-wrap{overflow:visible}a{color:inherit}}
)css";

int band(double p) {
  if (p < 0.10) return 0;
  if (p < 0.33) return 1;
  if (p < 0.66) return 2;
  if (p < 0.90) return 3;
  return 4;
}

bool same_target(const stats::TargetReport& a, const stats::TargetReport& b) {
  return a.variable == b.variable && a.year == b.year && a.comparator == b.comparator &&
         a.threshold == b.threshold;
}

const stats::TargetReport* find_target(const stats::ScenarioReport& r,
                                       const stats::TargetReport& t) {
  for (const auto& candidate : r.targets) {
    if (same_target(candidate, t)) return &candidate;
  }
  return nullptr;
}

// A short line in the scenario's colour and dash, as the legend's key.
std::string line_key(int colour) {
  std::string svg =
      "<svg viewBox=\"0 0 34 12\" aria-hidden=\"true\"><line x1=\"1\" x2=\"33\" "
      "y1=\"6\" y2=\"6\" stroke-width=\"3\" stroke=\"" +
      std::string(chart_colour(colour)) + '"';
  if (*chart_dash(colour)) svg += " stroke-dasharray=\"" + std::string(chart_dash(colour)) + '"';
  return svg + "/></svg>";
}

std::string signed_points(double difference, Language language) {
  const long pp = std::lround(difference * 100);
  const std::string unit = language == Language::vi ? " điểm %" : " pp";
  if (pp == 0) return "\u00b10" + unit;
  return (pp > 0 ? "+" : "\u2212") + std::to_string(std::labs(pp)) + unit;
}

void render_scorecard_table(const std::vector<const stats::ScenarioReport*>& group,
                            const ReportInput& input, std::string& out) {
  const Words& w = words(input.language);
  std::vector<const stats::TargetReport*> rows;  // distinct targets, first-seen order
  const stats::ScenarioReport* row_owner_of_first = nullptr;
  std::vector<const stats::ScenarioReport*> owners;
  for (const auto* r : group) {
    for (const auto& t : r->targets) {
      if (std::none_of(rows.begin(), rows.end(),
                       [&](const auto* row) { return same_target(*row, t); })) {
        rows.push_back(&t);
        owners.push_back(r);
      }
    }
  }
  (void)row_owner_of_first;
  out += "<h3>" + escape_html(std::string(w.scorecard_title)) + "</h3>";
  if (rows.empty()) {
    out += "<p class=\"note\">" + escape_html(std::string(w.no_targets)) + "</p>";
    return;
  }
  const stats::ScenarioReport* reference = nullptr;
  for (const auto* r : group) {
    if (!input.reference.empty() && r->scenario == input.reference) reference = r;
  }
  out +=
      "<div class=\"bands\" aria-hidden=\"true\"><span class=\"b0\">&lt;10%</span><span "
      "class=\"b1\">10\u201333%</span><span class=\"b2\">33\u201366%</span><span "
      "class=\"b3\">66\u201390%</span><span class=\"b4\">\u226590%</span></div>";
  out += "<div class=\"table-wrap\"><table class=\"scorecard\"><thead><tr><th>" +
         escape_html(std::string(w.indicator)) + "</th><th>" + escape_html(std::string(w.target)) +
         "</th><th>" + escape_html(std::string(w.unit)) + "</th>";
  for (const auto* r : group) {
    out += "<th>" + escape_html(r->scenario);
    if (r == reference) out += " <small>(" + escape_html(std::string(w.reference)) + ")</small>";
    out += "</th>";
  }
  out += "</tr></thead><tbody>";
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const stats::TargetReport& row = *rows[i];
    const stats::VariableForecast* v = find_variable(*owners[i], row.variable);
    out += "<tr><td>" +
           escape_html(std::string(target_label(*owners[i], row, input.language, false))) +
           "</td><td class=\"c\">" + escape_html(condition_text(row, input.language).substr(1)) +
           "</td><td>" + escape_html(v ? v->unit : std::string()) + "</td>";
    const stats::TargetReport* ref = reference ? find_target(*reference, row) : nullptr;
    for (const auto* r : group) {
      const stats::TargetReport* t = find_target(*r, row);
      if (t == nullptr) {
        out += "<td class=\"p\">\u2013</td>";
        continue;
      }
      out += "<td class=\"p b" + std::to_string(band(t->odds.probability)) + "\"><b>" +
             percent(t->odds.probability) + "</b><small>" + escape_html(std::string(w.median)) +
             ' ' + escape_html(compact(t->odds.p50, input.language)) + "</small>";
      if (ref != nullptr && r != reference) {
        out += "<small title=\"" + escape_html(std::string(w.change_vs_reference)) + "\">" +
               escape_html(
                   signed_points(t->odds.probability - ref->odds.probability, input.language)) +
               "</small>";
      }
      out += "</td>";
    }
    out += "</tr>";
  }
  out += "</tbody></table></div>";
}

void render_charts(const std::vector<const stats::ScenarioReport*>& group, const ReportInput& input,
                   std::string& out) {
  const Words& w = words(input.language);
  const std::size_t drawn = std::min(group.size(), kMaxChartScenarios);
  out += "<h3>" + escape_html(std::string(w.charts_title)) + "</h3><ul class=\"legend\">";
  for (std::size_t s = 0; s < drawn; ++s) {
    out += "<li>" + line_key(static_cast<int>(s)) + escape_html(group[s]->scenario) + "</li>";
  }
  out += "</ul>";
  if (drawn < group.size()) {
    out += "<p class=\"note\">" + std::to_string(group.size() - drawn) +
           (input.language == Language::vi
                ? " kịch bản khác không được vẽ (tối đa 8 kịch bản mỗi biểu đồ); xem bảng."
                : " more scenarios are not drawn (at most 8 per chart); see the tables.") +
           "</p>";
  }
  // Indicators in model order, each once, from the first scenario that records it.
  std::vector<std::string> names;
  for (const auto* r : group) {
    for (const auto& v : r->variables) {
      if (std::find(names.begin(), names.end(), v.name) == names.end()) names.push_back(v.name);
    }
  }
  out += "<div class=\"charts\">";
  for (const auto& name : names) {
    FanChart chart;
    chart.language = input.language;
    const stats::VariableForecast* first = nullptr;
    for (std::size_t s = 0; s < drawn; ++s) {
      const stats::VariableForecast* v = find_variable(*group[s], name);
      if (v == nullptr) continue;
      if (first == nullptr) first = v;
      chart.series.push_back(
          {group[s]->scenario, static_cast<int>(s), group[s]->base_year, &v->by_year});
      for (const auto& t : group[s]->targets) {
        if (t.variable != name) continue;
        const bool seen = std::any_of(chart.targets.begin(), chart.targets.end(), [&](auto& c) {
          return c.year == t.year && c.comparator == t.comparator && c.threshold == t.threshold;
        });
        if (!seen) chart.targets.push_back({t.year, t.comparator, t.threshold});
      }
    }
    if (first == nullptr) continue;  // recorded only by scenarios beyond the eighth
    chart.history = first->history;
    const std::string label(first->labels.full(input.language, first->name));
    chart.title = label + (first->unit.empty() ? "" : " (" + first->unit + ")");
    out += "<figure class=\"chart\" data-variable=\"" + escape_html(name) + "\"><figcaption>" +
           escape_html(label);
    if (!first->unit.empty())
      out += " <span class=\"unit\">(" + escape_html(first->unit) + ")</span>";
    out += "</figcaption>" + render_fan_chart(chart) + "</figure>";
  }
  out += "</div>";
}

void render_footer(const ReportInput& input, std::string& out) {
  const Words& w = words(input.language);
  const RunInfo& run = *input.run;
  const auto item = [&](std::string_view term, const std::string& html) {
    out += "<dt>" + escape_html(std::string(term)) + "</dt><dd>" + html + "</dd>";
  };
  out += "<footer><h2>" + escape_html(std::string(w.provenance_title)) + "</h2><dl>";
  item(w.version, "tamnhin " + escape_html(run.version));
  item(w.created, escape_html(input.created));
  // Per-scenario values when the scenarios differ.
  const auto per_scenario = [&](auto get) {
    std::string html;
    for (const auto& s : run.scenarios) {
      if (!html.empty()) html += "; ";
      html += escape_html(s.name) + ": " + escape_html(get(s));
    }
    return html;
  };
  item(w.seed, run.seed ? std::to_string(*run.seed)
                        : per_scenario([](const auto& s) { return std::to_string(s.seed); }));
  item(w.draws, run.draws ? std::to_string(*run.draws)
                          : per_scenario([](const auto& s) { return std::to_string(s.draws); }));
  item(w.sampling, run.sampling ? escape_html(*run.sampling)
                                : per_scenario([](const auto& s) { return s.sampling; }));
  std::string command;
  for (const auto& arg : run.command_line) command += (command.empty() ? "" : " ") + arg;
  item(w.command, "<code>" + escape_html(command) + "</code>");
  std::string files = "<ul>";
  for (const auto& f : run.files) {
    files += "<li><code>" + escape_html(f.path) + "</code><br><code>" + escape_html(f.sha256) +
             "</code></li>";
  }
  item(w.files, files + "</ul>");
  out += "</dl></footer>";
}

}  // namespace

std::string render_report_html(const ReportInput& input) {
  const Words& w = words(input.language);
  const auto groups = group_by_model(input.reports);
  std::string models;
  for (const auto& g : groups) models += (models.empty() ? "" : ", ") + g.front()->model;

  std::string out = "<!doctype html>\n<html lang=\"" + std::string(to_string(input.language)) +
                    "\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" "
                    "content=\"width=device-width, initial-scale=1\">\n<title>" +
                    escape_html(std::string(w.report_title) + ": " + models) +
                    " \u2014 tamnhin</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n";
  out += "<header><h1>" + escape_html(std::string(w.report_title)) + "</h1><p class=\"lede\">" +
         escape_html(models) + " \u00b7 " + escape_html(input.created) + "</p><p class=\"how\">" +
         escape_html(std::string(w.how_to_read)) + "</p></header>\n<main>\n";
  for (const auto& group : groups) {
    const stats::ScenarioReport& first = *group.front();
    out += "<section class=\"model\" data-model=\"" + escape_html(first.model) + "\"><h2>" +
           escape_html(first.model);
    if (!first.region.empty()) out += " \u2014 " + escape_html(first.region);
    out += "</h2><p class=\"lede\">" + std::to_string(group.size()) +
           (input.language == Language::vi ? " kịch bản"
            : group.size() == 1            ? " scenario"
                                           : " scenarios") +
           " \u00b7 " + std::to_string(first.base_year) + "\u2013" +
           std::to_string(first.end_year) + " \u00b7 " + std::to_string(first.draws) + ' ' +
           escape_html(std::string(w.draws_each)) + "</p>";
    render_scorecard_table(group, input, out);
    render_charts(group, input, out);
    out += "</section>\n";
  }
  out += "</main>\n";
  render_footer(input, out);
  out += "\n</body>\n</html>\n";
  return out;
}

}  // namespace tamnhin::io
