#include "engine/io/compare_tables.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <vector>

#include "engine/io/number_format.hpp"
#include "engine/io/tables.hpp"
#include "engine/io/text_width.hpp"

namespace tamnhin::io {

std::string render_compare_csv(const stats::Comparisons& c) {
  std::string out =
      "scenario,reference,variable,unit,year,mean_diff,p05_diff,p50_diff,p95_diff,prob_higher\n";
  for (const auto& row : c.variables) {
    out += csv_field(row.scenario) + ',' + csv_field(row.reference) + ',' +
           csv_field(row.variable) + ',' + csv_field(row.unit) + ',' + std::to_string(row.year);
    for (double x : {row.diff.mean_diff, row.diff.p05_diff, row.diff.p50_diff, row.diff.p95_diff,
                     row.diff.prob_higher}) {
      out += ',';
      out += format_number(x);
    }
    out += '\n';
  }
  return out;
}

std::string render_compare_targets_csv(const stats::Comparisons& c) {
  std::string out =
      "scenario,reference,variable,year,comparator,threshold,probability,reference_probability,"
      "difference,difference_se\n";
  for (const auto& row : c.targets) {
    out += csv_field(row.scenario) + ',' + csv_field(row.reference) + ',' +
           csv_field(row.variable) + ',' + std::to_string(row.year) + ',' +
           std::string(to_string(row.comparator));
    for (double x : {row.threshold, row.odds.probability, row.odds.reference_probability,
                     row.odds.difference, row.odds.difference_se}) {
      out += ',';
      out += format_number(x);
    }
    out += '\n';
  }
  return out;
}

namespace {

std::string change_cell(const stats::PairedTarget& t) {
  if (t.difference == 0 && t.difference_se == 0) return "=";
  char buf[48];
  std::snprintf(buf, sizeof buf, "%+.1f ±%.1f", 100 * t.difference, 100 * t.difference_se);
  return buf;
}

std::string pad(const std::string& s, std::size_t width, bool right) {
  return right ? detail::pad_left(s, width) : detail::pad_right(s, width);
}

}  // namespace

std::string render_change_view(const stats::Comparisons& c) {
  if (c.targets.empty()) return {};
  // Group by reference, keeping first-seen order of references, scenarios and targets.
  std::vector<std::string> references;
  std::map<std::string, std::vector<std::string>> scenarios_of;
  std::map<std::string, std::vector<std::string>> targets_of;
  std::map<std::string, std::map<std::string, std::string>> cells;  // ref|target -> scenario
  for (const auto& row : c.targets) {
    if (!scenarios_of.count(row.reference)) references.push_back(row.reference);
    auto& sc = scenarios_of[row.reference];
    if (std::find(sc.begin(), sc.end(), row.scenario) == sc.end()) sc.push_back(row.scenario);
    const std::string target = row.variable + " " + std::string(to_symbol(row.comparator)) + " " +
                               format_number(row.threshold) + " (" + std::to_string(row.year) + ")";
    auto& tg = targets_of[row.reference];
    if (std::find(tg.begin(), tg.end(), target) == tg.end()) tg.push_back(target);
    cells[row.reference + "|" + target][row.scenario] = change_cell(row.odds);
  }
  std::string out;
  for (const auto& ref : references) {
    out += "\nChange against " + ref +
           " (chance of meeting each target, percentage points, paired ± 1 standard error)\n";
    std::size_t first = 0;
    for (const auto& t : targets_of[ref]) first = std::max(first, detail::display_width(t));
    std::vector<std::size_t> widths;
    for (const auto& s : scenarios_of[ref]) {
      std::size_t w = detail::display_width(s);
      for (const auto& t : targets_of[ref]) {
        auto& row = cells[ref + "|" + t];
        if (row.count(s)) w = std::max(w, detail::display_width(row[s]));
      }
      widths.push_back(w);
    }
    out += pad("", first, false);
    for (std::size_t k = 0; k < widths.size(); ++k)
      out += "  " + pad(scenarios_of[ref][k], widths[k], true);
    out += '\n';
    for (const auto& t : targets_of[ref]) {
      out += pad(t, first, false);
      auto& row = cells[ref + "|" + t];
      for (std::size_t k = 0; k < widths.size(); ++k) {
        const auto& s = scenarios_of[ref][k];
        out += "  " + pad(row.count(s) ? row[s] : "", widths[k], true);
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace tamnhin::io
