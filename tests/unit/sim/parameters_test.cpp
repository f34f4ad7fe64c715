// Uncertain parameters and correlated shock groups, through the whole path (file, compile,
// prepare_scenario, simulate): marginals, Gaussian-copula correlations, the stratification
// of the LHS and Sobol designs, and shock groups. Tolerances are 4 standard errors at the
// sample size used, derived at each check.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

using random::SamplingDesign;

constexpr std::size_t kDraws = 100'000;
constexpr double kN = static_cast<double>(kDraws);

TEST(Parameters, NormalParamMomentsAndFixedAcrossYears) {
  const Program program = test::compile_text(R"toml(
[model]
name = "param"
base_year = 2020
end_year = 2025

[params]
okun = { dist = "normal", mean = 0.30, sd = 0.05, note = "Okun coefficient" }

[vars.k]
unit = "1"
eq = "okun"
)toml");
  const ScenarioOutcome out = test::simulate(program, kDraws, 5);
  const auto first = test::column(program, out.cube, "k", 2020);
  const test::Moments m = test::moments(first);
  EXPECT_NEAR(m.mean, 0.30, 4 * 0.05 / std::sqrt(kN));  // se of a mean: sd / sqrt(N)
  // se of a sample sd of normal data: sd / sqrt(2 (N - 1)).
  EXPECT_NEAR(std::sqrt(m.var), 0.05, 4 * 0.05 / std::sqrt(2 * (kN - 1)));
  // One value per draw, the same in every year of the draw.
  for (int year = 2021; year <= 2025; ++year)
    EXPECT_EQ(test::column(program, out.cube, "k", year), first) << year;
}

const char* const kCorrelated = R"toml(
[model]
name = "copula"
base_year = 2020
end_year = 2020

[params]
a = { dist = "normal", mean = 0, sd = 1 }
b = { dist = "normal", mean = 5, sd = 2 }

[[correlations]]
params = ["a", "b"]
matrix = [[1.0, -0.3],
          [-0.3, 1.0]]

[vars.av]
unit = "1"
eq = "a"

[vars.bv]
unit = "1"
eq = "b"
)toml";

// Normal marginals under a Gaussian copula are jointly normal with Pearson correlation
// rho; a sample correlation of bivariate normal data has se (1 - rho^2) / sqrt(N).
TEST(Parameters, CorrelatedParamsUnderEveryDesign) {
  const Program program = test::compile_text(kCorrelated);
  const double rho = -0.3;
  for (SamplingDesign design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    SCOPED_TRACE(to_string(design));
    const ScenarioOutcome out = test::simulate(program, kDraws, 11, design);
    const auto a = test::column(program, out.cube, "av", 2020);
    const auto b = test::column(program, out.cube, "bv", 2020);
    EXPECT_NEAR(test::correlation(a, b), rho, 4 * (1 - rho * rho) / std::sqrt(kN));
    const test::Moments ma = test::moments(a), mb = test::moments(b);
    EXPECT_NEAR(ma.mean, 0.0, 4 / std::sqrt(kN));
    EXPECT_NEAR(mb.mean, 5.0, 4 * 2 / std::sqrt(kN));
    EXPECT_NEAR(ma.var, 1.0, 4 * std::sqrt(2 / (kN - 1)));
    EXPECT_NEAR(mb.var, 4.0, 4 * 4 * std::sqrt(2 / (kN - 1)));
  }
}

const char* const kUniforms = R"toml(
[model]
name = "designs"
base_year = 2020
end_year = 2020

[params]
p = { dist = "uniform", min = 0, max = 1 }
q = { dist = "uniform", min = 0, max = 1 }
r = { dist = "uniform", min = 0, max = 1 }

[[correlations]]
params = ["q", "r"]
matrix = [[1.0, 0.6],
          [0.6, 1.0]]

[vars.pv]
unit = "1"
eq = "p"

[vars.qv]
unit = "1"
eq = "q"

[vars.rv]
unit = "1"
eq = "r"
)toml";

// Largest |x_(i) - (i + 0.5) / N| over the sorted sample.
double stratification_error(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  const double n = static_cast<double>(x.size());
  double worst = 0;
  for (std::size_t i = 0; i < x.size(); ++i)
    worst = std::max(worst, std::fabs(x[i] - (static_cast<double>(i) + 0.5) / n));
  return worst;
}

// LHS puts exactly one of N draws in each stratum [i/N, (i+1)/N) of every parameter, and
// so do 2^m Sobol points in each dimension (a (0, m, 1)-net; a digital shift keeps it):
// the i-th smallest value lies within 1/N of (i + 0.5)/N (in fact within 0.5/N). Rank
// correlation (Iman-Conover) and the Gaussian copula must not break this for LHS.
TEST(Parameters, LhsAndSobolAreStratified) {
  const Program program = test::compile_text(kUniforms);
  const struct {
    SamplingDesign design;
    std::size_t draws;
    std::vector<std::string> vars;
  } cases[] = {
      {SamplingDesign::lhs, 1000, {"pv", "qv", "rv"}},
      {SamplingDesign::lhs, 4099, {"pv", "qv", "rv"}},
      {SamplingDesign::sobol, 4096, {"pv"}},
  };
  for (const auto& c : cases) {
    const ScenarioOutcome out = test::simulate(program, c.draws, 3, c.design);
    for (const std::string& v : c.vars) {
      EXPECT_LE(stratification_error(test::column(program, out.cube, v, 2020)),
                1.0 / static_cast<double>(c.draws))
          << to_string(c.design) << " N=" << c.draws << " " << v;
    }
  }
  // The check has power: independent draws miss it by far (their largest deviation is of
  // order 1/sqrt(N)).
  const ScenarioOutcome mc = test::simulate(program, 1000, 3, SamplingDesign::mc);
  EXPECT_GT(stratification_error(test::column(program, mc.cube, "pv", 2020)), 5.0 / 1000);
}

// Correlated uniforms under LHS: Iman-Conover induces the rank correlation. With van der
// Waerden scores the induced Spearman correlation is close to (6/pi) asin(rho/2) (that of a
// Gaussian copula with rho); with N = 4099 the se of a rank correlation is about
// (1 - r^2)/sqrt(N) ~ 0.01, and 4 of those is the tolerance.
TEST(Parameters, LhsInducesRankCorrelation) {
  const Program program = test::compile_text(kUniforms);
  const std::size_t n = 4099;
  const ScenarioOutcome out = test::simulate(program, n, 3, SamplingDesign::lhs);
  // Uniform marginals: the Pearson correlation of the values is the rank correlation.
  const double spearman = test::correlation(test::column(program, out.cube, "qv", 2020),
                                            test::column(program, out.cube, "rv", 2020));
  const double expected = 6 / 3.14159265358979323846 * std::asin(0.6 / 2);
  EXPECT_NEAR(spearman, expected, 4 * (1 - expected * expected) / std::sqrt(double(n)));
  const double independent = test::correlation(test::column(program, out.cube, "pv", 2020),
                                               test::column(program, out.cube, "qv", 2020));
  EXPECT_NEAR(independent, 0.0, 4 / std::sqrt(double(n)));
}

// Shock groups: each name a fresh standard normal every year and draw, correlated across
// the names of the group. Sample correlation se: (1 - r^2)/sqrt(N); mean se 1/sqrt(N);
// variance se sqrt(2/(N-1)).
TEST(ShockGroups, CorrelatedStandardNormalsEveryYear) {
  const Program program = test::compile_text(R"toml(
[model]
name = "shocks"
base_year = 2020
end_year = 2024

[shocks.macro]
names  = ["growth_z", "price_z"]
matrix = [[1.0, 0.4],
          [0.4, 1.0]]

[vars.g]
unit = "1"
eq = "growth_z"

[vars.p]
unit = "1"
eq = "price_z"
)toml");
  const ScenarioOutcome out = test::simulate(program, kDraws, 12);
  const double r = 0.4;
  for (int year = 2020; year <= 2024; ++year) {
    const auto g = test::column(program, out.cube, "g", year);
    const auto p = test::column(program, out.cube, "p", year);
    EXPECT_NEAR(test::correlation(g, p), r, 4 * (1 - r * r) / std::sqrt(kN)) << year;
    for (const auto* x : {&g, &p}) {
      const test::Moments m = test::moments(*x);
      EXPECT_NEAR(m.mean, 0.0, 4 / std::sqrt(kN)) << year;
      EXPECT_NEAR(m.var, 1.0, 4 * std::sqrt(2 / (kN - 1))) << year;
    }
    if (year > 2020) {
      // A fresh draw every year: no correlation with last year's value (se 1/sqrt(N)).
      const auto last = test::column(program, out.cube, "g", year - 1);
      EXPECT_NEAR(test::correlation(g, last), 0.0, 4 / std::sqrt(kN)) << year;
      const auto last_p = test::column(program, out.cube, "p", year - 1);
      EXPECT_NEAR(test::correlation(g, last_p), 0.0, 4 / std::sqrt(kN)) << year;
    }
  }
}

}  // namespace
}  // namespace tamnhin
