#include "engine/io/analysis_outputs.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "engine/io/json_text.hpp"
#include "engine/io/number_format.hpp"
#include "engine/io/tables.hpp"
#include "engine/io/text_width.hpp"

namespace tamnhin::io {

namespace json = boost::json;

namespace {

std::string fixed(double x, int digits) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, x);
  return buf;
}

std::string percent(double p) {
  return fixed(100 * p, 1) + "%";
}

// Up to 4 significant digits for lever values in summaries.
std::string short_number(double x) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", x);
  return buf;
}

std::string target_label(const std::string& variable, Comparator c, double threshold, int year) {
  return variable + " " + std::string(to_symbol(c)) + " " + format_number(threshold) + " (" +
         std::to_string(year) + ")";
}

}  // namespace

std::string render_sweep_csv(const analysis::SweepResult& sweep) {
  std::string out = "point";
  for (const auto& n : sweep.names) out += ',' + csv_field(n);
  out += ",variable,year,comparator,threshold,probability,probability_se,p05,p50,p95\n";
  for (const auto& r : sweep.rows) {
    out += std::to_string(r.point);
    for (double v : r.values) out += ',' + format_number(v);
    out += ',' + csv_field(r.variable) + ',' + std::to_string(r.year) + ',' +
           std::string(to_string(r.comparator));
    for (double x : {r.threshold, r.probability, r.probability_se, r.p05, r.p50, r.p95})
      out += ',' + format_number(x);
    out += '\n';
  }
  return out;
}

std::string render_sweep_summary(const analysis::SweepResult& sweep, std::size_t max_rows,
                                 std::size_t max_targets) {
  // Targets in first-seen order, and the spread of each one's chance over the points.
  std::vector<std::string> targets;
  std::map<std::string, std::pair<double, double>> spread;  // min, max
  std::map<std::size_t, std::map<std::string, double>> chance;
  std::map<std::size_t, double> expected;  // expected number of targets met per point
  std::map<std::size_t, std::vector<double>> values;
  for (const auto& r : sweep.rows) {
    const std::string t = target_label(r.variable, r.comparator, r.threshold, r.year);
    if (!spread.count(t)) {
      targets.push_back(t);
      spread[t] = {r.probability, r.probability};
    }
    spread[t].first = std::min(spread[t].first, r.probability);
    spread[t].second = std::max(spread[t].second, r.probability);
    chance[r.point][t] = r.probability;
    expected[r.point] += r.probability;
    values[r.point] = r.values;
  }
  std::stable_sort(targets.begin(), targets.end(), [&](const auto& a, const auto& b) {
    return spread[a].second - spread[a].first > spread[b].second - spread[b].first;
  });
  if (targets.size() > max_targets) targets.resize(max_targets);

  std::string out = "Sweep: " + std::to_string(values.size()) + " points, " +
                    std::to_string(spread.size()) +
                    " targets (the targets whose chance moves most are shown; all are in "
                    "sweep.csv)\n";
  for (std::size_t k = 0; k < targets.size(); ++k)
    out += "  T" + std::to_string(k + 1) + ": " + targets[k] + "\n";
  std::vector<std::string> head = {"point"};
  head.insert(head.end(), sweep.names.begin(), sweep.names.end());
  head.push_back("targets met");
  for (std::size_t k = 0; k < targets.size(); ++k) head.push_back("T" + std::to_string(k + 1));
  std::vector<std::vector<std::string>> rows;
  std::size_t shown = 0;
  for (const auto& [point, v] : values) {
    if (shown++ == max_rows) break;
    std::vector<std::string> row = {std::to_string(point)};
    for (double x : v) row.push_back(short_number(x));
    row.push_back(fixed(expected[point], 2));
    for (const auto& t : targets) row.push_back(percent(chance[point][t]));
    rows.push_back(std::move(row));
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) {
    width[c] = detail::display_width(head[c]);
    for (const auto& r : rows) width[c] = std::max(width[c], detail::display_width(r[c]));
  }
  out += '\n';
  for (std::size_t c = 0; c < head.size(); ++c) out += "  " + detail::pad_left(head[c], width[c]);
  out += '\n';
  for (const auto& r : rows) {
    for (std::size_t c = 0; c < r.size(); ++c) out += "  " + detail::pad_left(r[c], width[c]);
    out += '\n';
  }
  if (values.size() > max_rows)
    out += "  ... " + std::to_string(values.size() - max_rows) + " more points in sweep.csv\n";
  return out;
}

std::string render_seek_json(const analysis::SeekResult& s, const analysis::SeekRequest& r) {
  json::array curve;
  auto trace = s.trace;
  std::sort(trace.begin(), trace.end(),
            [](const auto& a, const auto& b) { return a.value < b.value; });
  for (const auto& p : trace)
    curve.push_back(json::object{{"value", p.value}, {"probability", p.probability}});
  json::object root;
  root["lever"] = s.lever;
  root["value"] = s.value;
  root["value_low"] = s.value_low;
  root["value_high"] = s.value_high;
  root["probability"] = s.probability;
  root["probability_se"] = s.probability_se;
  root["reachable"] = s.reachable;
  root["evaluations"] = static_cast<std::uint64_t>(s.evaluations);
  root["target"] = json::object{{"variable", r.variable}, {"year", r.year}, {"text", s.target}};
  root["wanted_probability"] = r.probability;
  root["direction"] = r.direction == analysis::Direction::up ? "up" : "down";
  root["range"] = json::array{r.lever.lo, r.lever.hi};
  root["monotone"] = s.monotone;
  root["curve"] = std::move(curve);
  return pretty_json(root);
}

std::string render_seek_summary(const analysis::SeekResult& s, const analysis::SeekRequest& r,
                                std::size_t draws) {
  std::string out =
      "Seek: " + std::string(r.direction == analysis::Direction::up ? "smallest" : "largest") +
      " " + s.lever + " in [" + format_number(r.lever.lo) + ", " + format_number(r.lever.hi) +
      "] with at least a " + percent(r.probability) + " chance that " + s.target + "\n";
  if (s.reachable) {
    out += "  answer:      " + s.lever + " = " + short_number(s.value) + "  (chance there " +
           percent(s.probability) + " ± " + percent(s.probability_se) + ")\n";
    out += "  95% Monte Carlo interval of the answer: [" + short_number(s.value_low) + ", " +
           short_number(s.value_high) + "] (" + std::to_string(draws) +
           " draws; more draws narrow it)\n";
  } else {
    out += "  not reachable within the range: the best value evaluated is " + s.lever + " = " +
           short_number(s.value) + " with a chance of " + percent(s.probability) + " ± " +
           percent(s.probability_se) + "\n";
  }
  if (!s.monotone)
    out +=
        "  note: the chance does not rise steadily with the lever over the range; the answer "
        "is the first crossing found (see the curve in seek.json)\n";
  out += "  " + std::to_string(s.evaluations) + " lever values evaluated\n";
  return out;
}

std::string render_optimize_json(const analysis::OptimizeResult& o,
                                 const analysis::OptimizeRequest& r) {
  json::object levers;
  for (std::size_t i = 0; i < o.levers.size(); ++i) levers[o.levers[i]] = o.values[i];
  json::object root;
  root["levers"] = std::move(levers);
  root["objective"] = o.objective;
  root["objective_se"] = o.objective_se;
  root["baseline_objective"] = o.baseline_objective;
  root["baseline_objective_se"] = o.baseline_objective_se;
  root["gain"] = o.gain;
  root["gain_se"] = o.gain_se;
  root["evaluations"] = static_cast<std::uint64_t>(o.evaluations);
  root["reevaluated_objective"] = o.reevaluated_objective;
  root["reevaluated_objective_se"] = o.reevaluated_objective_se;
  root["reevaluated_baseline_objective"] = o.reevaluated_baseline;
  root["reevaluated_gain"] = o.reevaluated_gain;
  root["reevaluated_gain_se"] = o.reevaluated_gain_se;
  root["reevaluation_seed"] = o.reevaluation_seed;
  root["objective_kind"] =
      r.objective == analysis::Objective::targets_met ? "targets_met" : "weighted";
  root["sum"] = r.sum ? json::value(*r.sum) : json::value(nullptr);
  root["worst_scenario"] = o.worst_scenario;
  return pretty_json(root);
}

std::string render_optimize_csv(const analysis::OptimizeResult& o) {
  std::string out = "evaluation,phase";
  for (const auto& n : o.levers) out += ',' + csv_field(n);
  out += ",feasible,objective,objective_se,worst_scenario\n";
  for (const auto& t : o.trace) {
    out += std::to_string(t.evaluation) + ',' + t.phase;
    for (double v : t.values) out += ',' + format_number(v);
    out += std::string(",") + (t.feasible ? "true" : "false") + ',';
    if (t.feasible)
      out += format_number(t.objective) + ',' + format_number(t.objective_se);
    else
      out += ',';
    out += ',' + csv_field(t.worst_scenario) + '\n';
  }
  return out;
}

std::string render_optimize_summary(const analysis::OptimizeResult& o,
                                    const analysis::OptimizeRequest& r) {
  const std::string what = r.objective == analysis::Objective::targets_met
                               ? "expected number of targets met"
                               : "weighted sum of target chances";
  std::string out = "Optimize: " + what + "\n";
  for (std::size_t i = 0; i < o.levers.size(); ++i) {
    const auto& base = o.trace.front().values;
    out += "  " + o.levers[i] + " = " + short_number(o.values[i]) +
           "  (as written: " + short_number(base[i]) + ")\n";
  }
  out += "  objective " + fixed(o.objective, 3) + " ± " + fixed(o.objective_se, 3) + " against " +
         fixed(o.baseline_objective, 3) + " as written: gain " + fixed(o.gain, 3) + " ± " +
         fixed(o.gain_se, 3) + " (paired)\n";
  out += "  with an independent seed: objective " + fixed(o.reevaluated_objective, 3) + ", gain " +
         fixed(o.reevaluated_gain, 3) + " ± " + fixed(o.reevaluated_gain_se, 3) +
         " (trust this one: the first is the best of " + std::to_string(o.evaluations) +
         " candidates and biased upwards)\n";
  if (!o.worst_scenario.empty() && o.trace.size() > 1)
    out += "  worst case in scenario " + o.worst_scenario + "\n";
  return out;
}

}  // namespace tamnhin::io
