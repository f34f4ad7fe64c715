// Exact unit tests of the equation language on deterministic models: every year's value
// of every variable against a hand-computed reference (to 1e-12, relative), with all
// draws equal and a zero sd in the report, and clamp counts exactly as expected.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <string>

#include "engine/sim/study.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr int kBase = 2020, kEnd = 2030;
constexpr std::size_t kDraws = 5;

const char* const kModel = R"toml(
[model]
name = "deterministic"
base_year = 2020
end_year = 2030

[tables.resp]
points = [[0.0, 0.0], [1.0, 0.6], [3.0, 0.9], [10.0, 1.0]]

[vars.compound]
unit = "1"
base = 100.0
eq = "prev(compound) * 1.05"

[vars.keyframes]
unit = "1"
path = { 2022 = 1.0, 2026 = 3.0, 2028 = 2.0 }

[vars.ramped]
unit = "1"
eq = "ramp(2023, 10, 2027, 30)"

[vars.looked]
unit = "1"
eq = "lookup(resp, 1.5 * t - 3)"

[vars.step]
eq = "if(year >= 2023, 10, 0)"

[vars.smoothed]
unit = "1"
eq = "smooth(step, 4)"

[vars.lag3]
unit = "1"
eq = "prev(compound, 3)"

[vars.fib]
unit = "1"
base = 1.0
eq = "prev(fib) + prev(fib, 3)"

[vars.logic]
unit = "1"
eq = "if(t > 3 and t <= 6, 1, 0) + 10 * (year == 2025) + 100 * (t != 0) + 1000 * (not (t >= 8)) + 10000 * (t < 2 or t >= 9)"

[vars.bounded_fns]
unit = "1"
eq = "min(t, 4) + 10 * max(t, 7) + 100 * clamp(t, 2, 5) + 1000 * min(t, 9, 3 + t / 2)"

[vars.up]
unit = "1"
base = 0.0
eq = "prev(up) + 1"
max = 5.0

[vars.down]
unit = "1"
eq = "10 - 3 * t"
min = 0.0

[vars.both]
unit = "1"
eq = "if(t < 3, -1, if(t > 7, 2, 0.5))"
min = 0.0
max = 1.0

[vars.calendar]
unit = "1"
eq = "year + t / 100"
)toml";

double compound(int t) {
  double v = 100;
  for (int i = 0; i < t; ++i) v *= 1.05;
  return v;
}

// Reference piecewise-linear interpolation, flat outside, written independently.
double interpolate(const std::vector<std::pair<double, double>>& pts, double x) {
  if (x <= pts.front().first) return pts.front().second;
  if (x >= pts.back().first) return pts.back().second;
  for (std::size_t k = 1; k < pts.size(); ++k) {
    if (x <= pts[k].first) {
      const auto [x0, y0] = pts[k - 1];
      const auto [x1, y1] = pts[k];
      return y0 + (y1 - y0) * (x - x0) / (x1 - x0);
    }
  }
  return pts.back().second;
}

double fib(int t) {
  // f_0 = 1, f_n = f_(n-1) + f_(n-3) with f_k = f_0 for k < 0.
  std::vector<double> f{1};
  const auto at = [&](int k) { return k < 0 ? f[0] : f[static_cast<std::size_t>(k)]; };
  for (int n = 1; n <= t; ++n) f.push_back(at(n - 1) + at(n - 3));
  return f[static_cast<std::size_t>(t)];
}

const std::vector<std::pair<std::string, std::function<double(int)>>>& expectations() {
  static const std::vector<std::pair<std::string, std::function<double(int)>>> e = {
      {"compound", compound},
      {"keyframes",
       [](int t) {
         return interpolate({{2022, 1.0}, {2026, 3.0}, {2028, 2.0}}, kBase + t);
       }},
      {"ramped",
       [](int t) {
         return interpolate({{2023, 10}, {2027, 30}}, kBase + t);
       }},
      {"looked",
       [](int t) {
         return interpolate({{0, 0}, {1, 0.6}, {3, 0.9}, {10, 1}}, 1.5 * t - 3);
       }},
      // Smoothing a step from 0 to 10 at t = 3 with tau = 4, starting at the input:
      // s_t = 0 before the step, then 10 (1 - (1 - 1/4)^(t - 2)).
      {"smoothed", [](int t) { return t < 3 ? 0.0 : 10 * (1 - std::pow(0.75, t - 2)); }},
      // Before the base year, prev(x, k) is the base value.
      {"lag3", [](int t) { return compound(std::max(0, t - 3)); }},
      {"fib", fib},
      {"logic",
       [](int t) {
         return (t > 3 && t <= 6) + 10.0 * (kBase + t == 2025) + 100.0 * (t != 0) +
                1000.0 * !(t >= 8) + 10000.0 * (t < 2 || t >= 9);
       }},
      {"bounded_fns",
       [](int t) {
         return std::min(t, 4) + 10.0 * std::max(t, 7) + 100.0 * std::clamp(t, 2, 5) +
                1000.0 * std::min({double(t), 9.0, 3 + t / 2.0});
       }},
      {"up", [](int t) { return std::min(t, 5) * 1.0; }},
      {"down", [](int t) { return std::max(0, 10 - 3 * t) * 1.0; }},
      {"both", [](int t) { return t < 3   ? 0.0
                                  : t > 7 ? 1.0
                                          : 0.5; }},
      {"calendar", [](int t) { return kBase + t + t / 100.0; }},
  };
  return e;
}

void expect_close(double got, double expected, const std::string& what) {
  EXPECT_NEAR(got, expected, 1e-12 * std::max(1.0, std::fabs(expected))) << what;
}

TEST(DeterministicPaths, EveryVariableEveryYearEveryDraw) {
  const Program program = test::compile_text(kModel);
  ASSERT_EQ(program.years, kEnd - kBase + 1);
  for (std::size_t batch : {std::size_t{1}, std::size_t{2}, std::size_t{256}}) {
    const PreparedScenario prepared =
        prepare_scenario(program, kDraws, 1, random::SamplingDesign::mc);
    const ScenarioOutcome out = simulate_serial(prepared, batch);
    for (const auto& [name, value] : expectations()) {
      for (int t = 0; t <= kEnd - kBase; ++t) {
        const auto x = test::column(program, out.cube, name, kBase + t);
        for (std::size_t d = 0; d < x.size(); ++d) {
          expect_close(x[d], value(t),
                       name + " year " + std::to_string(kBase + t) + " draw " + std::to_string(d) +
                           " batch " + std::to_string(batch));
        }
      }
    }
  }
}

TEST(DeterministicPaths, ClampCountsAreExact) {
  const Program program = test::compile_text(kModel);
  const ScenarioOutcome out = test::simulate(program, kDraws, 1);
  ASSERT_EQ(out.clamps.low.size(), program.vars.size());
  // up: raw 6..10 in t = 6..10 exceed max 5: 5 years. down: 10 - 3t < 0 for t = 4..10: 7
  // years. both: -1 for t = 0..2 (3 low), 2 for t = 8..10 (3 high). Per draw.
  const struct {
    const char* name;
    std::uint64_t low, high;
  } expected[] = {{"up", 0, 5}, {"down", 7, 0}, {"both", 3, 3}, {"compound", 0, 0}};
  for (const auto& e : expected) {
    const std::size_t v = test::var_index(program, e.name);
    EXPECT_EQ(out.clamps.low[v], e.low * kDraws) << e.name;
    EXPECT_EQ(out.clamps.high[v], e.high * kDraws) << e.name;
  }
  std::uint64_t total = 0;
  for (std::size_t v = 0; v < program.vars.size(); ++v)
    total += out.clamps.low[v] + out.clamps.high[v];
  EXPECT_EQ(total, (5 + 7 + 6) * kDraws) << "clamps counted for variables without bounds";
}

TEST(DeterministicPaths, ReportHasZeroSpreadAndExactValues) {
  const Program program = test::compile_text(kModel);
  StudySettings settings;
  settings.threads = 2;
  settings.batch_size = 2;
  const auto results = run_study({test::study_scenario("fixed", program, kDraws, 9)}, settings);
  ASSERT_EQ(results.size(), 1u);
  const auto& report = results[0].report;
  EXPECT_EQ(report.base_year, kBase);
  EXPECT_EQ(report.end_year, kEnd);
  EXPECT_EQ(report.draws, kDraws);
  for (const auto& [name, value] : expectations()) {
    // clang 14 (the sanitizer build) cannot capture a structured binding: name it.
    const std::string& wanted = name;
    const auto it = std::find_if(report.variables.begin(), report.variables.end(),
                                 [&](const auto& v) { return v.name == wanted; });
    ASSERT_NE(it, report.variables.end()) << name;
    ASSERT_EQ(it->by_year.size(), std::size_t(kEnd - kBase + 1));
    for (int t = 0; t <= kEnd - kBase; ++t) {
      const stats::Summary& s = it->by_year[static_cast<std::size_t>(t)];
      const std::string what = name + " year " + std::to_string(kBase + t);
      EXPECT_EQ(s.sd, 0.0) << what;
      for (double q : {s.mean, s.p05, s.p25, s.p50, s.p75, s.p95}) expect_close(q, value(t), what);
    }
  }
  // step has no unit: it is not recorded.
  EXPECT_EQ(std::count_if(report.variables.begin(), report.variables.end(),
                          [](const auto& v) { return v.name == "step"; }),
            0);
  const std::size_t up = test::var_index(program, "up");
  EXPECT_EQ(results[0].clamps.high[up], 5 * kDraws);
}

}  // namespace
}  // namespace tamnhin
