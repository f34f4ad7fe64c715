#include "engine/analysis/seek.hpp"

#include <algorithm>
#include <cmath>
#include <map>

namespace tamnhin::analysis {

namespace {

// The target of `request` in the program: its index, or an InputError naming what exists.
std::size_t find_target(const Program& p, const SeekRequest& r) {
  std::vector<std::string> names;
  for (std::size_t t = 0; t < p.targets.size(); ++t) {
    const auto& spec = p.targets[t];
    const std::string& name = p.recorded[spec.variable].name;
    if (name == r.variable && spec.year == r.year) return t;
    names.push_back(name + "@" + std::to_string(spec.year));
  }
  const std::string wanted = r.variable + "@" + std::to_string(r.year);
  std::string hint = did_you_mean(wanted, names);
  if (hint.empty()) {
    hint = "the targets are:";
    for (const auto& n : names) hint += " " + n;
  }
  throw InputError(
      Diagnostic{{"--target " + wanted, 0, 0},
                 wanted,
                 "the scenario has no target on " + r.variable + " in " + std::to_string(r.year),
                 hint});
}

struct Curve {
  std::map<double, double> p;  // lever value -> probability
  std::vector<SeekPoint> trace;
};

}  // namespace

SeekResult seek(Evaluator& evaluator, const Variant& base, const SeekRequest& r) {
  if (!(r.probability > 0 && r.probability < 1)) {
    throw InputError(
        Diagnostic{{"--probability " + show_number(r.probability), 0, 0},
                   "--probability",
                   "must lie strictly between 0 and 1, got " + show_number(r.probability),
                   "e.g. --probability 0.8 for an 80% chance"});
  }
  const Program& program = evaluator.program(base);
  const std::size_t target = find_target(program, r);
  const auto& spec = program.targets[target];
  const std::size_t n = evaluator.draws(base.base);
  SeekResult result;
  result.lever = r.lever.name;
  result.target = r.variable + " " + std::string(to_symbol(spec.comparator)) + " " +
                  show_number(spec.threshold) + " in " + std::to_string(r.year);

  Curve curve;
  const auto variant_at = [&](double x) {
    Variant v = base;
    v.name = r.lever.name + "=" + show_number(x);
    v.overrides.push_back({r.lever.name, std::nullopt, x, r.lever.where});
    return v;
  };
  // Evaluates the values not evaluated yet, in one parallel run.
  const auto evaluate = [&](std::vector<double> xs) {
    std::sort(xs.begin(), xs.end());
    xs.erase(std::unique(xs.begin(), xs.end()), xs.end());
    std::erase_if(xs, [&](double x) { return curve.p.count(x) > 0; });
    if (xs.empty()) return;
    std::vector<Variant> variants;
    for (double x : xs) variants.push_back(variant_at(x));
    for (const auto& v : variants) evaluator.check(v);
    Request request;
    request.summaries = false;
    request.target_indicators = true;
    request.only_targets = {target};
    const auto results = evaluator.evaluate(variants, request);
    for (std::size_t i = 0; i < xs.size(); ++i) {
      const auto& met = results[i].target_met[target];
      std::size_t count = 0;
      for (auto m : met) count += m;
      const double p = static_cast<double>(count) / static_cast<double>(met.size());
      curve.p[xs[i]] = p;
      curve.trace.push_back({xs[i], p});
    }
  };

  // Round 1: an even grid of 9 values, for brackets and a check of monotonicity.
  const double lo = r.lever.lo, hi = r.lever.hi;
  std::vector<double> grid;
  for (int i = 0; i <= 8; ++i) grid.push_back(i == 8 ? hi : lo + (hi - lo) * i / 8.0);
  evaluate(grid);
  {
    // "Increasing" means in the direction the search moves: up the lever for up.
    double previous = -1;
    const auto walk = [&](double p) {
      if (previous >= 0 && p < previous - 3 * std::sqrt(0.25 / static_cast<double>(n)))
        result.monotone = false;
      previous = p;
    };
    if (r.direction == Direction::up)
      for (auto it = curve.p.begin(); it != curve.p.end(); ++it) walk(it->second);
    else
      for (auto it = curve.p.rbegin(); it != curve.p.rend(); ++it) walk(it->second);
  }

  // The crossing of level L: the first value, moving in the search direction, where
  // p >= L, narrowed between the last value below L and it.
  const double z = 1.959963984540054;
  const double se_star = std::sqrt(r.probability * (1 - r.probability) / static_cast<double>(n));
  const bool up = r.direction == Direction::up;
  // Levels: the answer, then the ends of its interval (a higher level lies further along
  // the search direction).
  const std::vector<double> levels = {r.probability, std::min(1.0, r.probability - z * se_star),
                                      std::min(1.0, r.probability + z * se_star)};
  const double tolerance = r.relative_tolerance * (hi - lo);
  struct Bracket {
    double below, reached;  // p(below) < L <= p(reached); below absent at the start edge
    bool has_below = false, found = false;
  };
  const auto bracket_of = [&](double level) {
    Bracket b{};
    if (up) {
      for (const auto& [x, p] : curve.p) {
        if (p >= level) {
          b.reached = x;
          b.found = true;
          break;
        }
        b.below = x;
        b.has_below = true;
      }
    } else {
      for (auto it = curve.p.rbegin(); it != curve.p.rend(); ++it) {
        if (it->second >= level) {
          b.reached = it->first;
          b.found = true;
          break;
        }
        b.below = it->first;
        b.has_below = true;
      }
    }
    return b;
  };
  for (int round = 0; round < 64; ++round) {
    std::vector<double> midpoints;
    for (double level : levels) {
      const Bracket b = bracket_of(level);
      if (!b.found || !b.has_below) continue;  // unreachable, or reached at the edge
      if (std::abs(b.reached - b.below) <= tolerance) continue;
      midpoints.push_back(0.5 * (b.below + b.reached));
    }
    if (midpoints.empty()) break;
    evaluate(midpoints);
  }

  const Bracket answer = bracket_of(r.probability);
  result.reachable = answer.found;
  if (answer.found) {
    result.value = answer.reached;
  } else {
    // The best value evaluated: the highest probability, the first in the search
    // direction among equals.
    double best_p = -1;
    const auto consider = [&](double x, double p) {
      if (p > best_p) {
        best_p = p;
        result.value = x;
      }
    };
    if (up)
      for (const auto& [x, p] : curve.p) consider(x, p);
    else
      for (auto it = curve.p.rbegin(); it != curve.p.rend(); ++it) consider(it->first, it->second);
  }
  result.probability = curve.p.at(result.value);
  result.probability_se =
      std::sqrt(result.probability * (1 - result.probability) / static_cast<double>(n));
  // The interval: where the curve crosses p* - z se and p* + z se; an end that is never
  // crossed is the end of the range in that direction.
  const Bracket low = bracket_of(levels[1]);
  const Bracket high = bracket_of(levels[2]);
  const double start = up ? lo : hi, end = up ? hi : lo;
  const double first_end = low.found ? low.reached : end;
  const double second_end = high.found ? high.reached : end;
  (void)start;
  result.value_low = std::min(first_end, second_end);
  result.value_high = std::max(first_end, second_end);
  if (answer.found) {
    result.value_low = std::min(result.value_low, result.value);
    result.value_high = std::max(result.value_high, result.value);
  }
  result.evaluations = curve.trace.size();
  result.trace = std::move(curve.trace);
  return result;
}

}  // namespace tamnhin::analysis
