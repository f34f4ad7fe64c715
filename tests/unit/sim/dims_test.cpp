// Dimensions: each element of a dimensioned variable is a row of its own in the batch
// kernel. Closed forms per element, broadcasting and reductions against hand-computed
// values, per-element random sites (adding an element leaves the others' rows
// byte-identical), determinism across threads and batch sizes, and common random numbers
// between scenarios.
#include <gtest/gtest.h>

#include <boost/math/distributions/normal.hpp>
#include <cmath>
#include <cstring>
#include <string>

#include "engine/stats/report.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

double value(const Program& p, const ScenarioOutcome& out, const std::string& name, int year) {
  const std::vector<double> x = test::column(p, out.cube, name, year);
  for (double v : x) EXPECT_EQ(v, x[0]) << name << " " << year;  // deterministic
  return x[0];
}

// A lognormal walk with a different drift per region: log x[r]_n ~ N(log x0[r] + n mu[r],
// n s^2), independently across regions (each element has its own random site).
const char* const kWalk = R"toml(
[model]
name = "regional walk"
base_year = 2020
end_year = 2030

[dims]
region = ["north", "centre", "south"]

[params]
drift = { dist = "constant", value = { north = 0.01, centre = 0.03, south = 0.05 }, dims = ["region"] }

[vars.x]
dims = ["region"]
unit = "index"
base = { north = 100, centre = 200, south = 50 }
eq = "prev(x) * exp(normal(drift, 0.1))"

[vars.total]
unit = "index"
eq = "sum(x)"
)toml";

TEST(Dimensions, ClosedFormPerElementAndSumOfMeans) {
  constexpr std::size_t kDraws = 100'000;
  const Program p = test::compile_text(kWalk);
  const ScenarioOutcome out = test::simulate(p, kDraws, 20240611);
  const double x0[] = {100, 200, 50}, mu[] = {0.01, 0.03, 0.05};
  const char* names[] = {"x[north]", "x[centre]", "x[south]"};
  const double s = 0.1;
  const int n = 10;
  const boost::math::normal standard;
  double total_mean = 0;
  std::vector<std::vector<double>> logs;
  for (int r = 0; r < 3; ++r) {
    std::vector<double> x = test::column(p, out.cube, names[r], 2030);
    for (double& v : x) v = std::log(v);
    const test::Moments m = test::moments(x);
    const double sd = std::sqrt(n * s * s);
    EXPECT_NEAR(m.mean, std::log(x0[r]) + n * mu[r], 4 * sd / std::sqrt(kDraws)) << names[r];
    EXPECT_NEAR(m.var, sd * sd, 4 * sd * sd * std::sqrt(2.0 / (kDraws - 1))) << names[r];
    // The median and the 5% and 95% quantiles of x itself.
    std::vector<double> sorted = x;
    std::sort(sorted.begin(), sorted.end());
    for (double q : {0.05, 0.5, 0.95}) {
      const double z = boost::math::quantile(standard, q);
      const double want = std::log(x0[r]) + n * mu[r] + sd * z;  // of log x
      const double got = sorted[static_cast<std::size_t>(q * (kDraws - 1))];
      // se of a sample quantile: sqrt(q (1 - q) / N) / density at the quantile.
      const double se = std::sqrt(q * (1 - q) / kDraws) / (test::normal_pdf(z) / sd);
      EXPECT_NEAR(got, want, 4 * se) << names[r] << " q " << q;
    }
    total_mean += x0[r] * std::exp(n * (mu[r] + 0.5 * s * s));
    logs.push_back(std::move(x));
  }
  // The elements are independent: their log-values are uncorrelated (se 1 / sqrt(N)).
  EXPECT_NEAR(test::correlation(logs[0], logs[1]), 0.0, 4 / std::sqrt(kDraws));
  EXPECT_NEAR(test::correlation(logs[1], logs[2]), 0.0, 4 / std::sqrt(kDraws));
  // E[sum] = sum of E[x[r]] = sum x0 e^(n (mu + s^2/2)); its se from the sample variance.
  const std::vector<double> total = test::column(p, out.cube, "total", 2030);
  const test::Moments m = test::moments(total);
  EXPECT_NEAR(m.mean, total_mean, 4 * std::sqrt(m.var / kDraws));
}

const char* const kStructure = R"toml(
[model]
name = "structure"
base_year = 2020
end_year = 2022

[dims]
region = ["a", "b"]
age    = ["0-14", "15-59", "60+"]

[params]
growth = 0.5
weight = { dist = "constant", value = { "0-14" = 1, "15-59" = 2, "60+" = 4 }, dims = ["age"] }

[tables.curve]
dims = ["region"]
points = { a = [[0, 0], [10, 10]], b = [[0, 0], [10, 20]] }

[vars.pop]
dims = ["region", "age"]
unit = "persons"
base = { a = { "0-14" = 1, "15-59" = 2, "60+" = 3 }, b = { "0-14" = 10, "15-59" = 20, "60+" = 30 } }
eq = "prev(pop) * (1 + growth)"

[vars.weighted]
dims = ["region", "age"]
unit = "1"
eq = "pop * weight"

[vars.total]
unit = "persons"
eq = "sum(pop)"

[vars.by_region]
dims = ["region"]
unit = "persons"
eq = "sum(pop, age)"

[vars.mean_over_regions]
dims = ["age"]
unit = "persons"
eq = "mean(pop, region)"

[vars.largest]
unit = "persons"
eq = "max(pop)"

[vars.smallest_age]
dims = ["region"]
unit = "persons"
eq = "min(pop, age)"

[vars.old_share]
dims = ["region"]
unit = "1"
eq = "pop[60+] / sum(pop, age)"

[vars.one]
unit = "persons"
eq = "pop[b, 15-59] + pop[0-14, a]"

[vars.looked]
dims = ["region"]
unit = "1"
eq = "lookup(curve, 5)"

[vars.weighted_mean]
unit = "1"
eq = "sum(pop * weight) / sum(pop)"
)toml";

TEST(Dimensions, BroadcastingAndReductionsMatchHandComputedValues) {
  const Program p = test::compile_text(kStructure);
  const ScenarioOutcome out = test::simulate(p, 3, 1);
  const double a[] = {1, 2, 3}, b[] = {10, 20, 30}, w[] = {1, 2, 4};
  const char* ages[] = {"0-14", "15-59", "60+"};
  for (int y = 2020; y <= 2022; ++y) {
    const double g = std::pow(1.5, y - 2020);
    for (int i = 0; i < 3; ++i) {
      const std::string at = std::string(ages[i]);
      EXPECT_DOUBLE_EQ(value(p, out, "pop[a," + at + "]", y), a[i] * g);
      EXPECT_DOUBLE_EQ(value(p, out, "pop[b," + at + "]", y), b[i] * g);
      EXPECT_DOUBLE_EQ(value(p, out, "weighted[b," + at + "]", y), b[i] * g * w[i]);
      EXPECT_DOUBLE_EQ(value(p, out, "mean_over_regions[" + at + "]", y), (a[i] + b[i]) * g / 2);
    }
    EXPECT_DOUBLE_EQ(value(p, out, "total", y), 66 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "by_region[a]", y), 6 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "by_region[b]", y), 60 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "largest", y), 30 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "smallest_age[a]", y), 1 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "smallest_age[b]", y), 10 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "old_share[a]", y), 0.5);
    EXPECT_DOUBLE_EQ(value(p, out, "old_share[b]", y), 0.5);
    EXPECT_DOUBLE_EQ(value(p, out, "one", y), 21 * g);
    EXPECT_DOUBLE_EQ(value(p, out, "weighted_mean", y),
                     (1 * 1 + 2 * 2 + 3 * 4 + 10 * 1 + 20 * 2 + 30 * 4) / 66.0);
  }
  EXPECT_EQ(value(p, out, "looked[a]", 2020), 5.0);
  EXPECT_EQ(value(p, out, "looked[b]", 2020), 10.0);
  // Output rows: one per element, named name[e1,e2], in element order.
  std::vector<std::string> names;
  for (const auto& r : p.recorded) names.push_back(r.name);
  const std::vector<std::string> first = {"pop[a,0-14]", "pop[a,15-59]", "pop[a,60+]",
                                          "pop[b,0-14]", "pop[b,15-59]", "pop[b,60+]"};
  ASSERT_GE(names.size(), first.size());
  EXPECT_EQ(std::vector<std::string>(names.begin(), names.begin() + 6), first);
}

// Every element of a dimensioned random call has its own site, eq/<var>[<element>]/<k>, and
// every element of a dimensioned parameter is sampled under its own name: adding an element
// changes no other element's draws.
std::string random_model(const std::string& regions) {
  return R"toml(
[model]
name = "elements"
base_year = 2020
end_year = 2026
[dims]
region = )toml" +
         regions + R"toml(
[params]
level = { dist = "normal", mean = 1.0, sd = 0.2, dims = ["region"] }
[vars.x]
dims = ["region"]
unit = "1"
base = 1
eq = "prev(x) * exp(normal(0, 0.1)) + level + uniform(0, 1)"
[vars.y]
dims = ["region"]
unit = "1"
eq = "x + triangular(0, 1, 2)"
)toml";
}

void expect_same_rows(const Program& pa, const ScenarioOutcome& a, const Program& pb,
                      const ScenarioOutcome& b, const std::string& name) {
  for (int y = 2020; y <= 2026; ++y) {
    const auto ca = test::column(pa, a.cube, name, y);
    const auto cb = test::column(pb, b.cube, name, y);
    ASSERT_EQ(ca.size(), cb.size());
    EXPECT_EQ(std::memcmp(ca.data(), cb.data(), ca.size() * sizeof(double)), 0) << name << y;
  }
}

TEST(Dimensions, AddingAnElementLeavesTheOtherRowsByteIdentical) {
  const Program two = test::compile_text(random_model(R"(["north", "south"])"));
  const Program three = test::compile_text(random_model(R"(["north", "west", "south"])"));
  for (auto design : {random::SamplingDesign::mc, random::SamplingDesign::lhs}) {
    const ScenarioOutcome a = test::simulate(two, 500, 3, design);
    const ScenarioOutcome b = test::simulate(three, 500, 3, design);
    for (const char* name : {"x[north]", "x[south]", "y[north]", "y[south]"})
      expect_same_rows(two, a, three, b, name);
  }
  // The sites are named after the elements.
  EXPECT_NE(std::find(two.sites.begin(), two.sites.end(), "eq/x[north]/0"), two.sites.end());
  EXPECT_NE(std::find(two.sites.begin(), two.sites.end(), "eq/y[south]/0"), two.sites.end());
}

TEST(Dimensions, IdenticalBitsForThreadsAndBatchSizes) {
  const Program p = test::compile_text(random_model(R"(["north", "west", "south"])"));
  const PreparedScenario s = prepare_scenario(p, 1000, 5, random::SamplingDesign::lhs);
  const ScenarioOutcome reference = simulate_serial(s, 1000);
  for (int threads : {1, 2}) {
    for (std::size_t batch : {64u, 333u}) {
      test::expect_same_outcome(
          test::simulate_study(p, 1000, 5, random::SamplingDesign::lhs, threads, batch), reference,
          std::to_string(threads) + " threads, batch " + std::to_string(batch));
    }
  }
}

// Two scenarios of one model, the second changing one element's base: the other element's
// rows are the same bits (common random numbers), the changed one differs.
TEST(Dimensions, CommonRandomNumbersAcrossScenarios) {
  test::TempDir dir;
  dir.write("model.toml", random_model(R"(["north", "south"])"));
  const auto baseline = dir.write("baseline.toml", "[scenario]\nmodel = \"model.toml\"\n");
  const auto changed = dir.write("changed.toml", R"toml([scenario]
model = "model.toml"
[vars.x]
base = { north = 1, south = 2 }
)toml");
  const Program pa = test::compile_file(baseline);
  const Program pb = test::compile_file(changed);
  const ScenarioOutcome a = test::simulate(pa, 400, 8);
  const ScenarioOutcome b = test::simulate(pb, 400, 8);
  expect_same_rows(pa, a, pb, b, "x[north]");
  expect_same_rows(pa, a, pb, b, "y[north]");
  EXPECT_NE(test::column(pa, a.cube, "x[south]", 2026), test::column(pb, b.cube, "x[south]", 2026));
}

TEST(Dimensions, TargetsNameAnElement) {
  const Program p = test::compile_text(R"toml(
[model]
name = "targets"
base_year = 2020
end_year = 2022
[dims]
region = ["a", "b"]
[vars.x]
dims = ["region"]
unit = "1"
base = { a = 1, b = 2 }
eq = "prev(x) + 1"
targets = [ { year = 2022, above = 3.5, element = "b" } ]
)toml");
  ASSERT_EQ(p.targets.size(), 1u);
  EXPECT_EQ(p.recorded[p.targets[0].variable].name, "x[b]");
}

// A target on a reduction (reduce = "sum", optionally over one dimension) is recorded as a
// variable of its own, named as the reduction is written: each draw's value is the reduction
// of that draw's elements, and its chance is the closed form. x[r, age] ~ N(mu_r, 1)
// independently every year, so sum(x) ~ N(2 (1 + 2 + 3), 6), mean(x, age)[b] ~ N(2, 1/2).
TEST(Dimensions, TargetsOnReductions) {
  const Program p = test::compile_text(R"toml(
[model]
name = "reductions"
base_year = 2020
end_year = 2022
[dims]
region = ["a", "b", "c"]
age = ["young", "old"]
[params]
mu = { dist = "constant", value = { a = 1, b = 2, c = 3 }, dims = ["region"] }
[vars.x]
dims = ["region", "age"]
unit = "u"
label = "X"
label_vi = "Ích"
eq = "normal(mu, 1)"
targets = [ { year = 2022, above = 13, reduce = "sum" },
            { year = 2021, above = 13, reduce = "sum" },
            { year = 2022, below = 1.5, reduce = "mean", over = "age", element = "b" },
            { year = 2022, above = 3, reduce = "max", over = "region", element = "old" },
            { year = 2022, below = 0, reduce = "min" } ]
)toml");
  std::vector<std::string> names;
  for (const auto& r : p.recorded) names.push_back(r.name);
  const std::vector<std::string> reductions = {"sum(x)", "mean(x,age)[b]", "max(x,region)[old]",
                                               "min(x)"};
  ASSERT_EQ(names.size(), 6 + reductions.size());
  EXPECT_EQ(std::vector<std::string>(names.begin() + 6, names.end()), reductions);
  const RecordedVariable& sum = p.recorded[6];
  EXPECT_EQ(sum.unit, "u");
  EXPECT_EQ(sum.labels.en, "X (sum)");
  EXPECT_EQ(p.recorded[7].labels.en, "X (mean over age, b)");
  EXPECT_EQ(p.recorded[7].labels.vi, "Ích (trung bình theo age, b)");
  // Each element's row is told apart by its elements; the vi label too.
  EXPECT_EQ(p.recorded[0].name, "x[a,young]");
  EXPECT_EQ(p.recorded[0].labels.en, "X (a, young)");
  EXPECT_EQ(p.recorded[5].labels.vi, "Ích (c, old)");
  // Both targets on sum(x) are on one recorded variable.
  ASSERT_EQ(p.targets.size(), 5u);
  const std::size_t on[] = {6, 6, 7, 8, 9};
  for (std::size_t t = 0; t < 5; ++t) EXPECT_EQ(p.targets[t].variable, on[t]) << t;

  constexpr std::size_t kDraws = 40'000;
  const ScenarioOutcome out = test::simulate(p, kDraws, 77);
  const auto x = [&](const char* r, const char* a) {
    return test::column(p, out.cube, std::string("x[") + r + "," + a + "]", 2022);
  };
  const char* regions[] = {"a", "b", "c"};
  std::vector<double> want_sum(kDraws, 0.0), want_max(kDraws, -HUGE_VAL),
      want_min(kDraws, HUGE_VAL);
  for (const char* r : regions) {
    for (const char* a : {"young", "old"}) {
      const std::vector<double> e = x(r, a);
      for (std::size_t i = 0; i < kDraws; ++i) {
        want_sum[i] += e[i];
        want_min[i] = std::min(want_min[i], e[i]);
        if (std::string(a) == "old") want_max[i] = std::max(want_max[i], e[i]);
      }
    }
  }
  const std::vector<double> b_young = x("b", "young"), b_old = x("b", "old");
  const std::vector<double> got_sum = test::column(p, out.cube, "sum(x)", 2022);
  const std::vector<double> got_mean = test::column(p, out.cube, "mean(x,age)[b]", 2022);
  const std::vector<double> got_max = test::column(p, out.cube, "max(x,region)[old]", 2022);
  const std::vector<double> got_min = test::column(p, out.cube, "min(x)", 2022);
  for (std::size_t i = 0; i < kDraws; ++i) {
    // The same additions in the same order as the equation sum(x) expands to.
    ASSERT_DOUBLE_EQ(got_sum[i], want_sum[i]) << i;
    ASSERT_DOUBLE_EQ(got_mean[i], (b_young[i] + b_old[i]) / 2) << i;
    ASSERT_EQ(got_max[i], want_max[i]) << i;
    ASSERT_EQ(got_min[i], want_min[i]) << i;
  }
  // The chances in the target table against the closed forms, within 4 standard errors.
  const stats::ScenarioReport report = stats::summarise_scenario(
      {.scenario = "s", .model = "m", .region = {}, .description = {}, .base_year = 2020}, out.cube,
      p.recorded, p.targets);
  ASSERT_EQ(report.targets.size(), 5u);
  EXPECT_EQ(report.targets[0].variable, "sum(x)");
  const double p_sum = 1 - test::normal_cdf(1 / std::sqrt(6.0));       // P(N(12, 6) > 13)
  const double p_mean = test::normal_cdf((1.5 - 2) / std::sqrt(0.5));  // P(N(2, 1/2) < 1.5)
  // max over regions of the old: P(max > 3) = 1 - prod_r Phi(3 - mu_r).
  const double p_max = 1 - test::normal_cdf(2) * test::normal_cdf(1) * test::normal_cdf(0);
  // min over all six: P(min < 0) = 1 - prod_r (1 - Phi(-mu_r))^2.
  double all_above = 1;
  for (double mu : {1.0, 2.0, 3.0}) all_above *= std::pow(1 - test::normal_cdf(-mu), 2);
  const double want[] = {p_sum, p_sum, p_mean, p_max, 1 - all_above};
  for (std::size_t t = 0; t < 5; ++t) {
    const double se = std::sqrt(want[t] * (1 - want[t]) / kDraws);
    EXPECT_NEAR(report.targets[t].odds.probability, want[t], 4 * se) << t;
  }
}

// A dimensioned shock group: each element has its own draws (sites shock/s/e1[north]...),
// the matrix correlates the names within an element, and elements are independent.
std::string shock_model(const std::string& regions) {
  return R"toml(
[model]
name = "shocks"
base_year = 2020
end_year = 2023
[dims]
region = )toml" +
         regions + R"toml(
[shocks.s]
names = ["e1", "e2"]
dims = ["region"]
matrix = [[1, 0.6], [0.6, 1]]
[vars.x]
dims = ["region"]
unit = "1"
eq = "e1"
[vars.y]
dims = ["region"]
unit = "1"
eq = "2 * e2"
)toml";
}

TEST(Dimensions, ShocksPerElement) {
  constexpr std::size_t kDraws = 20'000;
  const Program p = test::compile_text(shock_model(R"(["north", "south"])"));
  const ScenarioOutcome out = test::simulate(p, kDraws, 11);
  std::vector<std::string> sites;
  for (const auto& g : p.shock_groups) sites.insert(sites.end(), g.sites.begin(), g.sites.end());
  EXPECT_EQ(sites, (std::vector<std::string>{"shock/s/e1[north]", "shock/s/e2[north]",
                                             "shock/s/e1[south]", "shock/s/e2[south]"}));
  const double n = kDraws;
  for (const char* r : {"north", "south"}) {
    const auto x = test::column(p, out.cube, std::string("x[") + r + "]", 2023);
    const auto y = test::column(p, out.cube, std::string("y[") + r + "]", 2023);
    const test::Moments m = test::moments(x);
    EXPECT_NEAR(m.mean, 0, 4 / std::sqrt(n)) << r;
    EXPECT_NEAR(m.var, 1, 4 * std::sqrt(2 / n)) << r;
    // Within an element: rho = 0.6, se (1 - rho^2) / sqrt(N).
    EXPECT_NEAR(test::correlation(x, y), 0.6, 4 * (1 - 0.36) / std::sqrt(n)) << r;
  }
  // Across elements: independent.
  EXPECT_NEAR(test::correlation(test::column(p, out.cube, "x[north]", 2023),
                                test::column(p, out.cube, "x[south]", 2023)),
              0, 4 / std::sqrt(n));
  EXPECT_NEAR(test::correlation(test::column(p, out.cube, "x[north]", 2023),
                                test::column(p, out.cube, "y[south]", 2023)),
              0, 4 / std::sqrt(n));
  // Adding an element changes no other element's draws.
  const Program three = test::compile_text(shock_model(R"(["north", "west", "south"])"));
  const Program two = test::compile_text(shock_model(R"(["north", "south"])"));
  const ScenarioOutcome a = test::simulate(two, 300, 4);
  const ScenarioOutcome b = test::simulate(three, 300, 4);
  for (int y = 2020; y <= 2023; ++y) {
    for (const char* name : {"x[north]", "y[north]", "x[south]", "y[south]"}) {
      const auto ca = test::column(two, a.cube, name, y);
      const auto cb = test::column(three, b.cube, name, y);
      EXPECT_EQ(std::memcmp(ca.data(), cb.data(), ca.size() * sizeof(double)), 0) << name << y;
    }
  }
}

// A correlation names elements of a dimensioned parameter: g[north] correlates with h, the
// other element of g does not.
TEST(Dimensions, CorrelationsOfElements) {
  constexpr std::size_t kDraws = 20'000;
  const Program p = test::compile_text(R"toml(
[model]
name = "correlated elements"
base_year = 2020
end_year = 2021
[dims]
region = ["north", "south"]
[params]
g = { dist = "normal", mean = 0, sd = 1, dims = ["region"] }
h = { dist = "normal", mean = 0, sd = 1 }
[[correlations]]
params = ["g[north]", "h"]
matrix = [[1, 0.5], [0.5, 1]]
[vars.x]
dims = ["region"]
unit = "1"
eq = "g"
[vars.z]
unit = "1"
eq = "h"
)toml");
  for (auto design : {random::SamplingDesign::mc, random::SamplingDesign::lhs}) {
    const ScenarioOutcome out = test::simulate(p, kDraws, 9, design);
    const auto z = test::column(p, out.cube, "z", 2021);
    const double se = 1 / std::sqrt(static_cast<double>(kDraws));
    EXPECT_NEAR(test::correlation(test::column(p, out.cube, "x[north]", 2021), z), 0.5,
                4 * (1 - 0.25) * se);
    EXPECT_NEAR(test::correlation(test::column(p, out.cube, "x[south]", 2021), z), 0, 4 * se);
  }
}

}  // namespace
}  // namespace tamnhin
