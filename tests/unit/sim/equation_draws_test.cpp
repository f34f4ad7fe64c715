// The random functions of equations (uniform, triangular, lognormal, normal) against their
// closed-form moments and CDF values, with 100,000 draws under a fixed seed. Tolerances
// are 4 standard errors: sd / sqrt(N) for a mean, var * sqrt((kurtosis - 1) / N) for a
// variance, sqrt(p (1 - p) / N) for a proportion.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr std::size_t kDraws = 100'000;
constexpr double kN = static_cast<double>(kDraws);

const char* const kModel = R"toml(
[model]
name = "equation draws"
base_year = 2020
end_year = 2024

[vars.u]
unit = "1"
eq = "uniform(2, 5)"

[vars.tri]
unit = "1"
eq = "triangular(1, 2, 6)"

[vars.ln]
unit = "1"
eq = "lognormal(0.1, 0.4)"

[vars.nrm]
unit = "1"
eq = "normal(3, 2)"
)toml";

struct Expected {
  const char* name;
  double mean, var;
  double kurtosis;  // non-excess; for the se of the sample variance
};

double triangular_var(double a, double c, double b) {
  return (a * a + b * b + c * c - a * b - a * c - b * c) / 18;
}

TEST(EquationDraws, MeansAndVariancesMatchClosedForms) {
  const Program program = test::compile_text(kModel);
  const ScenarioOutcome out = test::simulate(program, kDraws, 77);
  const double s2 = 0.4 * 0.4;
  const Expected expected[] = {
      {"u", 3.5, 9.0 / 12, 1.8},
      {"tri", 3.0, triangular_var(1, 2, 6), 2.4},
      {"ln", std::exp(0.1 + s2 / 2), (std::exp(s2) - 1) * std::exp(0.2 + s2),
       std::exp(4 * s2) + 2 * std::exp(3 * s2) + 3 * std::exp(2 * s2) - 3},
      {"nrm", 3.0, 4.0, 3.0},
  };
  for (const Expected& e : expected) {
    for (int year = 2020; year <= 2024; ++year) {
      const test::Moments m = test::moments(test::column(program, out.cube, e.name, year));
      EXPECT_NEAR(m.mean, e.mean, 4 * std::sqrt(e.var / kN)) << e.name << " " << year;
      // se of a sample variance: var * sqrt((kurtosis - 1) / N).
      EXPECT_NEAR(m.var, e.var, 4 * e.var * std::sqrt((e.kurtosis - 1) / kN))
          << e.name << " " << year;
    }
  }
}

TEST(EquationDraws, SupportAndCdfValues) {
  const Program program = test::compile_text(kModel);
  const ScenarioOutcome out = test::simulate(program, kDraws, 78);
  const auto share = [](const std::vector<double>& x, double c) {
    return static_cast<double>(
               std::count_if(x.begin(), x.end(), [c](double v) { return v <= c; })) /
           static_cast<double>(x.size());
  };
  const auto tol = [](double p) { return 4 * std::sqrt(p * (1 - p) / kN); };
  for (int year = 2020; year <= 2024; ++year) {
    const auto u = test::column(program, out.cube, "u", year);
    const auto tri = test::column(program, out.cube, "tri", year);
    const auto ln = test::column(program, out.cube, "ln", year);
    for (double v : u) ASSERT_TRUE(v > 2 && v < 5) << v;
    for (double v : tri) ASSERT_TRUE(v > 1 && v < 6) << v;
    for (double v : ln) ASSERT_GT(v, 0.0);
    // Uniform: P(U <= 2.6) = 0.2. Triangular(1, 2, 6): P(X <= mode) = (2 - 1) / (6 - 1) and
    // P(X <= 4) = 1 - (6 - 4)^2 / ((6 - 1)(6 - 2)). Lognormal: P(X <= e^mu) = 1/2.
    EXPECT_NEAR(share(u, 2.6), 0.2, tol(0.2)) << year;
    EXPECT_NEAR(share(tri, 2.0), 0.2, tol(0.2)) << year;
    EXPECT_NEAR(share(tri, 4.0), 0.8, tol(0.8)) << year;
    EXPECT_NEAR(share(ln, std::exp(0.1)), 0.5, tol(0.5)) << year;
  }
}

// Arguments of the random functions may vary by draw: normal(m, s) with m and s taken
// from parameters is m + s z for each draw, so (x - m) / s is standard normal.
TEST(EquationDraws, ArgumentsVaryPerDraw) {
  const Program program = test::compile_text(R"toml(
[model]
name = "per draw arguments"
base_year = 2020
end_year = 2021

[params]
m = { dist = "uniform", min = -5, max = 5 }
s = { dist = "uniform", min = 0.5, max = 3 }

[vars.mv]
unit = "1"
eq = "m"

[vars.sv]
unit = "1"
eq = "s"

[vars.x]
unit = "1"
eq = "normal(m, s)"
)toml");
  const ScenarioOutcome out = test::simulate(program, kDraws, 79);
  const auto m = test::column(program, out.cube, "mv", 2021);
  const auto s = test::column(program, out.cube, "sv", 2021);
  auto z = test::column(program, out.cube, "x", 2021);
  for (std::size_t i = 0; i < z.size(); ++i) z[i] = (z[i] - m[i]) / s[i];
  const test::Moments mz = test::moments(z);
  EXPECT_NEAR(mz.mean, 0.0, 4 / std::sqrt(kN));
  EXPECT_NEAR(mz.var, 1.0, 4 * std::sqrt(2 / (kN - 1)));
  EXPECT_NEAR(test::correlation(z, m), 0.0, 4 / std::sqrt(kN));
}

}  // namespace
}  // namespace tamnhin
