#include "engine/analysis/sweep.hpp"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "engine/random/philox.hpp"
#include "engine/stats/target_odds.hpp"

namespace tamnhin::analysis {

namespace {

std::string count_text(double n) {
  return n < 1e15 ? std::to_string(static_cast<long long>(n)) : show_number(n);
}

}  // namespace

std::vector<std::vector<double>> sweep_points(const std::vector<LeverAxis>& axes,
                                              SweepDesign design, std::size_t points,
                                              std::uint64_t seed) {
  if (axes.empty()) {
    throw InputError(Diagnostic{
        {"sweep", 0, 0}, "--vary", "nothing to vary", "give at least one --vary NAME=LO:HI:STEP"});
  }
  std::vector<std::vector<double>> out;
  if (design == SweepDesign::grid) {
    double total = 1;
    std::string product;
    for (const auto& a : axes) {
      total *= axis_count(a);
      product += (product.empty() ? "" : " x ") + count_text(axis_count(a));
    }
    if (total > kMaxSweepPoints) {
      throw InputError(
          Diagnostic{axes.front().where, "--vary",
                     "the grid has " + count_text(total) + " points (" + product + "); at most " +
                         count_text(kMaxSweepPoints) + " are run",
                     "use larger steps, fewer --vary, or --design lhs --points K for many levers"});
    }
    std::vector<std::vector<double>> values;
    for (const auto& a : axes) values.push_back(axis_values(a));
    std::vector<std::size_t> index(axes.size(), 0);
    for (;;) {
      std::vector<double> p;
      for (std::size_t k = 0; k < axes.size(); ++k) p.push_back(values[k][index[k]]);
      out.push_back(std::move(p));
      std::size_t k = axes.size();
      while (k > 0 && ++index[k - 1] == values[k - 1].size()) index[--k] = 0;
      if (k == 0) break;
    }
    return out;
  }
  if (points < 2 || static_cast<double>(points) > kMaxSweepPoints) {
    throw InputError(Diagnostic{{"--points " + std::to_string(points), 0, 0},
                                "--points",
                                "a Latin hypercube needs 2 to " + count_text(kMaxSweepPoints) +
                                    " points, got " + std::to_string(points),
                                "e.g. --design lhs --points 64"});
  }
  out.assign(points, std::vector<double>(axes.size()));
  for (std::size_t k = 0; k < axes.size(); ++k) {
    // A permutation of the strata and a jitter inside each, keyed by the axis name, so
    // adding an axis does not move the others.
    const std::uint64_t key = random::site_key(seed, "sweep/lhs/" + axes[k].name);
    std::vector<std::size_t> order(points);
    std::iota(order.begin(), order.end(), 0);
    std::vector<double> sort_key(points);
    for (std::size_t i = 0; i < points; ++i) sort_key[i] = random::uniform(key, i, 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return sort_key[a] < sort_key[b]; });
    for (std::size_t i = 0; i < points; ++i) {
      const double u = (static_cast<double>(order[i]) + random::uniform(key, i, 1)) /
                       static_cast<double>(points);
      out[i][k] = axes[k].lo + u * (axes[k].hi - axes[k].lo);
    }
  }
  return out;
}

SweepResult run_sweep(Evaluator& evaluator, const Variant& base, const std::vector<LeverAxis>& axes,
                      const std::vector<std::vector<double>>& points) {
  SweepResult result;
  for (const auto& a : axes) result.names.push_back(a.name);
  std::vector<Variant> variants;
  for (std::size_t i = 0; i < points.size(); ++i) {
    Variant v = base;
    v.name = "point_" + std::to_string(i + 1);
    for (std::size_t k = 0; k < axes.size(); ++k)
      v.overrides.push_back({axes[k].name, std::nullopt, points[i][k], axes[k].where});
    variants.push_back(std::move(v));
  }
  // Each point is reduced to its target rows as soon as it is simulated: a sweep of
  // thousands of points holds no per-draw values and no full forecast tables.
  // Bad settings fail before any simulation (the first and last points reach the
  // extremes of every axis on a grid; any point may fail on a share group's ranges).
  for (const auto& v : variants) evaluator.check(v);
  std::vector<std::vector<SweepRow>> rows(points.size());
  std::vector<double> scratch;
  Request request;
  request.summaries = false;
  request.on_cube = [&](std::size_t i, const CubePart& part) {
    const Program& p = evaluator.program(variants[i]);
    const Cube& cube = *part.cube;
    for (const auto& t : p.targets) {
      if (t.variable < part.var_first || t.variable >= part.var_first + cube.variables) continue;
      const auto odds = stats::target_odds(cube, t.variable - part.var_first,
                                           static_cast<std::size_t>(t.year - p.base_year),
                                           t.comparator, t.threshold, p.base_year, scratch);
      rows[i].push_back({i + 1, points[i], p.recorded[t.variable].name, t.year, t.comparator,
                         t.threshold, odds.probability, odds.probability_se, odds.p05, odds.p50,
                         odds.p95});
    }
  };
  // target_odds reads every year of a target's variable (the first year it holds).
  request.on_cube_reads = [&](std::size_t i) {
    const Program& p = evaluator.program(variants[i]);
    const auto years = static_cast<std::size_t>(p.years);
    std::vector<std::size_t> columns;
    for (const auto& t : p.targets)
      for (std::size_t y = 0; y < years; ++y) columns.push_back(t.variable * years + y);
    return columns;
  };
  // In chunks, so that compiled variants and per-variant results stay bounded.
  constexpr std::size_t kChunk = 128;
  std::vector<VariantResult> results;
  for (std::size_t first = 0; first < variants.size(); first += kChunk) {
    const std::size_t last = std::min(variants.size(), first + kChunk);
    const std::vector<Variant> chunk(variants.begin() + static_cast<std::ptrdiff_t>(first),
                                     variants.begin() + static_cast<std::ptrdiff_t>(last));
    Request chunk_request = request;
    chunk_request.on_cube = [&](std::size_t k, const CubePart& part) {
      request.on_cube(first + k, part);
    };
    chunk_request.on_cube_reads = [&](std::size_t k) { return request.on_cube_reads(first + k); };
    for (auto& r : evaluator.evaluate(chunk, chunk_request)) {
      r.clamps = {};
      results.push_back(std::move(r));
    }
  }
  for (std::size_t i = 0; i < results.size(); ++i) {
    for (const auto& a : results[i].adjustments) {
      if (a.message.empty()) continue;
      if (std::none_of(result.adjustments.begin(), result.adjustments.end(),
                       [&](const ShareAdjustment& b) { return b.message == a.message; }))
        result.adjustments.push_back(a);
    }
    result.rows.insert(result.rows.end(), rows[i].begin(), rows[i].end());
  }
  return result;
}

}  // namespace tamnhin::analysis
