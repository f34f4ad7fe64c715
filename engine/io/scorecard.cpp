// The scorecard printed after a run: per model, a block of probabilities and a block of
// medians, one row per target and one column per scenario. Two blocks rather than one
// wide table so that 8 scenarios and ~30 targets still fit in about 110 columns.
#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/io/human_text.hpp"
#include "engine/io/number_format.hpp"
#include "engine/io/programme_rows.hpp"
#include "engine/io/tables.hpp"
#include "engine/io/text_width.hpp"

namespace tamnhin::io {
namespace {

constexpr std::size_t page_width = 110;
constexpr std::size_t min_label_width = 24, max_label_width = 44;
constexpr std::size_t gap = 2;

struct Row {
  std::string variable, condition;  // "Poverty rate", " < 3 in 2030"
  std::string unit;
  const stats::TargetReport* target = nullptr;  // identifies the row across scenarios
};

bool same_target(const stats::TargetReport& a, const stats::TargetReport& b) {
  return a.variable == b.variable && a.year == b.year && a.comparator == b.comparator &&
         a.threshold == b.threshold;
}

const stats::TargetReport* find(const stats::ScenarioReport& r, const stats::TargetReport& t) {
  for (const auto& candidate : r.targets) {
    if (same_target(candidate, t)) return &candidate;
  }
  return nullptr;
}

// One block of the scorecard: a title, and cells[row][scenario] already formatted.
struct Block {
  std::string_view title;
  std::vector<std::vector<std::string>> cells;
  std::size_t width = 0;  // of every scenario column, set by fit_columns

  // Sets one width for all scenario columns (even columns read as a grid) and returns
  // the width they take, gaps included.
  std::size_t fit_columns(const std::vector<std::string>& heads) {
    width = 0;
    for (const auto& head : heads) width = std::max(width, detail::display_width(head));
    for (const auto& row : cells) {
      for (const auto& cell : row) width = std::max(width, detail::display_width(cell));
    }
    return heads.size() * (gap + width);
  }
};

void render_model(const std::vector<const stats::ScenarioReport*>& group, Language language,
                  std::string& out) {
  const Words& w = words(language);
  std::size_t fewest = group.front()->draws, most = fewest;
  for (const auto* r : group) fewest = std::min(fewest, r->draws), most = std::max(most, r->draws);
  const std::string draws =
      std::to_string(fewest) + (fewest == most ? "" : "\u2013" + std::to_string(most));
  if (language == Language::vi) {
    out += group.front()->model + " \u2014 " + std::to_string(group.size()) + " kịch bản, " +
           draws + " lần mô phỏng mỗi kịch bản\n";
  } else {
    out += group.front()->model + " \u2014 " + std::to_string(group.size()) +
           (group.size() == 1 ? " scenario, " : " scenarios, ") + draws + " draws each\n";
  }

  std::vector<Row> rows;  // every distinct target, in first-seen order
  for (const auto* r : group) {
    for (const auto& t : r->targets) {
      const bool seen = std::any_of(rows.begin(), rows.end(),
                                    [&](const Row& row) { return same_target(*row.target, t); });
      if (!seen) {
        const stats::VariableForecast* v = find_variable(*r, t.variable);
        rows.push_back({std::string(target_label(*r, t, language, true)),
                        condition_text(t, language), v ? v->unit : std::string(), &t});
      }
    }
  }
  if (rows.empty()) {
    out += "  " + std::string(w.no_targets) + "\n";
    return;
  }

  Block blocks[2] = {{w.chance_met, {}, 0}, {w.median_in_year, {}, 0}};
  std::size_t label_width = 0;
  for (const auto& block : blocks)
    label_width = std::max(label_width, detail::display_width(block.title));
  for (const auto& row : rows) {
    label_width = std::max(label_width, detail::display_width(row.variable + row.condition));
    auto& chances = blocks[0].cells.emplace_back();
    auto& medians = blocks[1].cells.emplace_back();
    for (const auto* r : group) {
      const stats::TargetReport* t = find(*r, *row.target);
      chances.push_back(t ? percent(t->odds.probability) : "-");
      medians.push_back(t ? compact(t->odds.p50, language) : "-");
    }
  }
  label_width = std::min(label_width, max_label_width);

  // Scenario names head the columns when both blocks still fit the page; otherwise
  // letters do, with a legend, rather than names cut beyond recognition.
  std::vector<std::string> heads;
  for (const auto* r : group) heads.push_back(r->scenario);
  std::size_t columns = 0;
  for (auto& block : blocks) columns = std::max(columns, block.fit_columns(heads));
  if (gap + label_width + columns > page_width) {
    out += "  scenarios:";
    std::size_t line_width = 12;  // the legend wraps at the page width, entries whole
    for (std::size_t i = 0; i < group.size(); ++i) {
      heads[i] =
          std::string(1, static_cast<char>('A' + i % 26)) + (i >= 26 ? std::to_string(i / 26) : "");
      const std::string entry = "  " + heads[i] + ' ' + group[i]->scenario;
      if (line_width + detail::display_width(entry) > page_width && line_width > 12) {
        out += "\n            ";
        line_width = 12;
      }
      out += entry;
      line_width += detail::display_width(entry);
    }
    out += '\n';
    columns = 0;
    for (auto& block : blocks) columns = std::max(columns, block.fit_columns(heads));
    if (gap + label_width + columns > page_width) {
      label_width = std::max(min_label_width, page_width - std::min(page_width, gap + columns));
    }
  }

  for (const auto& block : blocks) {
    const bool medians = &block == &blocks[1];  // medians carry their unit after the columns
    out += '\n' + std::string(gap, ' ') + detail::pad_right(block.title, label_width);
    for (std::size_t i = 0; i < heads.size(); ++i) {
      out += std::string(gap, ' ') + detail::pad_left(heads[i], block.width);
    }
    out += '\n';
    for (std::size_t r = 0; r < rows.size(); ++r) {
      // Cut the variable name, never the condition: "< 3 in 2030" is the point of the row.
      const std::size_t condition_width = detail::display_width(rows[r].condition);
      const std::string label =
          condition_width < label_width
              ? detail::truncate_to_width(rows[r].variable, label_width - condition_width) +
                    rows[r].condition
              : rows[r].variable + rows[r].condition;
      out += std::string(gap, ' ') + detail::pad_right(label, label_width);
      for (std::size_t i = 0; i < heads.size(); ++i) {
        out += std::string(gap, ' ') + detail::pad_left(block.cells[r][i], block.width);
      }
      if (medians && !rows[r].unit.empty()) out += std::string(gap, ' ') + rows[r].unit;
      out += '\n';
    }
  }
}

}  // namespace

std::vector<std::vector<const stats::ScenarioReport*>> group_by_model(
    std::span<const stats::ScenarioReport> reports) {
  std::vector<std::vector<const stats::ScenarioReport*>> groups;
  for (const auto& report : reports) {
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const auto& g) { return g.front()->model == report.model; });
    if (it == groups.end()) {
      groups.push_back({&report});
    } else {
      it->push_back(&report);
    }
  }
  return groups;
}

std::string render_scorecard(std::span<const stats::ScenarioReport> reports, Language language) {
  const auto groups = group_by_model(reports);
  std::string out;
  for (const auto& group : groups) {
    if (!out.empty()) out += '\n';
    render_model(group, language, out);
    detail::render_programme_targets(group.front()->programme_targets, out);
  }
  return out;
}

}  // namespace tamnhin::io

namespace tamnhin::io {

std::string render_scorecard_csv(std::span<const stats::ScenarioReport> reports,
                                 Language language) {
  // A UTF-8 byte order mark: the file is for people, and Excel reads UTF-8 without it as
  // the local code page (Vietnamese labels become mojibake). forecast.csv and targets.csv
  // carry none: their first header must stay "scenario" for every parser.
  std::string out = "\xEF\xBB\xBF";
  out +=
      "model,scenario,variable,label,year,comparator,threshold,unit,probability,median,p05,p95,"
      "source\n";
  for (const auto& report : reports) {
    for (const auto& t : report.targets) {
      const stats::VariableForecast* v = find_variable(report, t.variable);
      out += csv_field(report.model) + ',' + csv_field(report.scenario) + ',' +
             csv_field(t.variable) + ',' +
             csv_field(std::string(target_label(report, t, language, false))) + ',' +
             std::to_string(t.year) + ',' + std::string(to_string(t.comparator)) + ',' +
             format_number(t.threshold) + ',' + csv_field(v ? v->unit : std::string()) + ',';
      // Rounded for reading: three decimals of a probability (the standard error of
      // 10,000 draws is at most 0.005) and four significant digits of the quantiles.
      out += format_rounded(t.odds.probability, 3) + ',' + format_significant(t.odds.p50, 4) + ',' +
             format_significant(t.odds.p05, 4) + ',' + format_significant(t.odds.p95, 4) + ',' +
             csv_field(t.source) + '\n';
    }
  }
  return out;
}

}  // namespace tamnhin::io
