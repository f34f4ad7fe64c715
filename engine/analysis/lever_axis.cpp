#include "engine/analysis/lever_axis.hpp"

#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "engine/analysis/variant.hpp"
#include "engine/model/levers.hpp"

namespace tamnhin::analysis {

namespace {

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  for (;;) {
    const auto k = s.find(sep, start);
    out.push_back(s.substr(start, k == std::string_view::npos ? s.npos : k - start));
    if (k == std::string_view::npos) return out;
    start = k + 1;
  }
}

bool read_bounds(LeverAxis& axis, std::string_view text, bool step_required, const char* example,
                 Diagnostics& d) {
  const auto parts = split(text, ':');
  const bool step_given = parts.size() == 3;
  if (parts.size() < 2 || parts.size() > 3 || (step_required && !step_given)) {
    d.add(axis.where, axis.name,
          std::string("expected ") + (step_required ? "LO:HI:STEP" : "LO:HI") + ", got '" +
              std::string(text) + "'",
          std::string("e.g. ") + example);
    return false;
  }
  auto lo = parse_plain_number(parts[0], axis.where, axis.name, d);
  auto hi = parse_plain_number(parts[1], axis.where, axis.name, d);
  std::optional<double> step;
  if (step_given) step = parse_plain_number(parts[2], axis.where, axis.name, d);
  if (!lo || !hi || (step_given && !step)) return false;
  if (!(*lo < *hi)) {
    d.add(axis.where, axis.name,
          "LO must be less than HI, got " + show_number(*lo) + ":" + show_number(*hi));
    return false;
  }
  if (step && !(*step > 0)) {
    d.add(axis.where, axis.name, "STEP must be positive, got " + show_number(*step));
    return false;
  }
  axis.lo = *lo;
  axis.hi = *hi;
  axis.step = step;
  return true;
}

}  // namespace

std::optional<LeverAxis> parse_vary(std::string_view text, bool step_required, Diagnostics& d) {
  LeverAxis axis;
  axis.where = {"--vary " + std::string(text), 0, 0};
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    d.add(axis.where, "", "expected NAME=LO:HI:STEP", "e.g. --vary share_health=0.10:0.30:0.02");
    return std::nullopt;
  }
  axis.name = std::string(text.substr(0, eq));
  if (!read_bounds(axis, text.substr(eq + 1), step_required, "--vary share_health=0.10:0.30:0.02",
                   d))
    return std::nullopt;
  return axis;
}

std::optional<LeverAxis> parse_range(const std::string& name, std::string_view text,
                                     const std::string& option, Diagnostics& d) {
  LeverAxis axis;
  axis.name = name;
  axis.where = {option + " " + std::string(text), 0, 0};
  if (!read_bounds(axis, text, false, "--range 0.10:0.40", d)) return std::nullopt;
  return axis;
}

void check_axis(const Model& model, const LeverAxis& axis, Diagnostics& d) {
  // "x[long_an]" varies one element of a dimensioned lever; apply_overrides checks the
  // element.
  const auto split = split_element_suffix(axis.name);
  const std::string family = split ? split->first : axis.name;
  if (model.find_param(family) != nullptr) return;
  const VarSpec* v = model.find_var(family);
  if (v == nullptr || !v->lever) {
    std::vector<std::string> names;
    for (const auto* l : levers_of(model)) names.push_back(l->name);
    for (const auto& p : model.params) names.push_back(p.name);
    const std::string hint = did_you_mean(axis.name, names);
    d.add(axis.where, axis.name,
          v == nullptr ? "the model has no lever or parameter '" + axis.name + "'"
                       : "'" + axis.name + "' is not a lever",
          hint.empty() ? "`tamnhin levers FILE` lists the levers" : hint);
    return;
  }
  // The element's range; the whole lever's values must lie in every element's.
  std::vector<const std::pair<double, double>*> ranges;
  const std::string element = split ? split->second : "";
  if (!element.empty() || v->range_by.empty()) {
    ranges.push_back(range_of(*v, element));
  } else {
    for (const auto& [key, range] : v->range_by.values) ranges.push_back(&range);
  }
  for (const auto* range : ranges) {
    if (range == nullptr) continue;
    for (double x : {axis.lo, axis.hi}) {
      if (x >= range->first && x <= range->second) continue;
      d.add(axis.where, axis.name,
            show_number(x) + " is outside the lever's range [" + show_number(range->first) + ", " +
                show_number(range->second) + "]",
            range_hint(x, range->first, range->second, v->unit));
      return;
    }
  }
}

double axis_count(const LeverAxis& axis) {
  const double step = axis.step.value_or(axis.hi - axis.lo);
  return std::floor((axis.hi - axis.lo) / step + 1e-9) + 1;
}

std::vector<double> axis_values(const LeverAxis& axis) {
  const double step = axis.step.value_or(axis.hi - axis.lo);
  const double span = (axis.hi - axis.lo) / step;
  // Rounding: 0.1:0.3:0.02 has 10 steps, not 9.999999.
  const auto steps = static_cast<std::size_t>(std::floor(span + 1e-9));
  std::vector<double> values;
  for (std::size_t i = 0; i <= steps; ++i) {
    // 0.1 + 1 * 0.05 is 0.15000000000000002 in binary: keep 12 significant digits, so the
    // value simulated is the value a reader of sweep.csv sees.
    const double x = axis.lo + static_cast<double>(i) * step;
    char text[32];
    std::snprintf(text, sizeof text, "%.12g", x);
    values.push_back(std::strtod(text, nullptr));
  }
  if (std::abs(values.back() - axis.hi) <= 1e-9 * std::max(1.0, std::abs(axis.hi)))
    values.back() = axis.hi;  // exactly HI, not HI plus rounding
  return values;
}

}  // namespace tamnhin::analysis
