// Scenarios with closed-form answers (STYLE.md, tests in layers): a geometric random walk
// and an AR(1) process, simulated with 100,000 draws under a fixed seed and compared with
// their exact distributions. Every tolerance is 4 standard errors of the statistic at
// this sample size, derived next to each check, so a wrong sign, a variance used as a
// standard deviation or a draw reused across years fails by many tolerances.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include <boost/math/distributions/normal.hpp>

#include "engine/sim/study.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

using test::moments;

constexpr std::size_t kDraws = 100'000;
constexpr std::uint64_t kSeed = 20240611;

// x = prev(x) * exp(normal(mu, s)) from x0: log x_n ~ N(log x0 + n mu, n s^2).
constexpr double kX0 = 100.0, kMu = 0.02, kS = 0.1, kThreshold = 130.0;
const char* const kRandomWalk = R"toml(
[model]
name = "random walk"
base_year = 2020
end_year = 2030

[vars.x]
unit = "index"
base = 100.0
eq = "prev(x) * exp(normal(0.02, 0.1))"
targets = [ { year = 2030, above = 130.0, source = "test" } ]
)toml";

TEST(ClosedForm, RandomWalkLogMeanEveryYear) {
  const Program program = test::compile_text(kRandomWalk);
  const ScenarioOutcome out = test::simulate(program, kDraws, kSeed);
  // The base year first, outside the loop: a `continue` for it inside the loop made GCC 12
  // report a false -Wfree-nonheap-object on the column's vector.
  for (double v : test::column(program, out.cube, "x", 2020)) ASSERT_EQ(v, kX0);
  for (int n = 1; n <= 10; ++n) {
    std::vector<double> x = test::column(program, out.cube, "x", 2020 + n);
    for (double& v : x) v = std::log(v);
    const test::Moments m = moments(x);
    // se of a sample mean = sd / sqrt(N), sd^2 = n s^2.
    const double se_mean = std::sqrt(n * kS * kS / kDraws);
    EXPECT_NEAR(m.mean, std::log(kX0) + n * kMu, 4 * se_mean) << "year index " << n;
    // se of a sample variance of normal data = var * sqrt(2 / (N - 1)).
    const double var = n * kS * kS;
    EXPECT_NEAR(m.var, var, 4 * var * std::sqrt(2.0 / (kDraws - 1))) << "year index " << n;
  }
}

TEST(ClosedForm, RandomWalkReportQuantilesMeanAndTarget) {
  const Program program = test::compile_text(kRandomWalk);
  StudySettings settings;
  settings.threads = 2;
  const auto results = run_study({test::study_scenario("walk", program, kDraws, kSeed)}, settings);
  ASSERT_EQ(results.size(), 1u);
  const stats::ScenarioReport& report = results[0].report;
  ASSERT_EQ(report.variables.size(), 1u);
  ASSERT_EQ(report.variables[0].by_year.size(), 11u);
  const boost::math::normal standard;
  for (int n = 1; n <= 10; ++n) {
    const stats::Summary& s = report.variables[0].by_year[static_cast<std::size_t>(n)];
    const double m = std::log(kX0) + n * kMu;  // of log x
    const double sd = std::sqrt(double(n)) * kS;
    const std::pair<double, double> quantiles[] = {{0.05, s.p05}, {0.50, s.p50}, {0.95, s.p95}};
    for (const auto& [p, got] : quantiles) {
      const double z = boost::math::quantile(standard, p);
      const double q = std::exp(m + sd * z);
      // The lognormal density at its quantile q: f(q) = phi(z) / (q sd). A sample quantile
      // has se = sqrt(p (1 - p) / N) / f(q) (asymptotic normality of order statistics).
      const double f = test::normal_pdf(z) / (q * sd);
      const double se = std::sqrt(p * (1 - p) / kDraws) / f;
      EXPECT_NEAR(got, q, 4 * se) << "p = " << p << ", year index " << n;
    }
    // Mean of a lognormal: exp(m + sd^2 / 2); its sd: mean * sqrt(exp(sd^2) - 1); the se of
    // the sample mean is that sd / sqrt(N).
    const double mean = std::exp(m + sd * sd / 2);
    const double x_sd = mean * std::sqrt(std::exp(sd * sd) - 1);
    EXPECT_NEAR(s.mean, mean, 4 * x_sd / std::sqrt(double(kDraws))) << "year index " << n;
    // se of a sample sd of non-normal data: sd * sqrt((kurtosis - 1) / (4 N)); a generous
    // bound on the lognormal's kurtosis at sd <= 0.32 is 8, so se <= sd * sqrt(7 / (4 N)).
    EXPECT_NEAR(s.sd, x_sd, 4 * x_sd * std::sqrt(7.0 / (4 * kDraws))) << "year index " << n;
  }
  ASSERT_EQ(report.targets.size(), 1u);
  // P(x_10 > c) = P(Z > (log c - m) / sd); a sample proportion has se sqrt(p (1 - p) / N).
  const double m10 = std::log(kX0) + 10 * kMu, sd10 = std::sqrt(10.0) * kS;
  const double p = 1 - test::normal_cdf((std::log(kThreshold) - m10) / sd10);
  const double se = std::sqrt(p * (1 - p) / kDraws);
  EXPECT_NEAR(report.targets[0].odds.probability, p, 4 * se);
  EXPECT_NEAR(report.targets[0].odds.probability_se, se, 1e-3 * se);
}

// e = phi * prev(e) + normal(0, s), e_0 = 0:
// Var(e_n) = s^2 (1 - phi^(2n)) / (1 - phi^2), Cov(e_n, e_(n-1)) = phi Var(e_(n-1)).
constexpr double kPhi = 0.6, kNoise = 0.5;
const char* const kAr1 = R"toml(
[model]
name = "ar1"
base_year = 2020
end_year = 2032

[vars.e]
unit = "1"
base = 0.0
eq = "0.6 * prev(e) + normal(0, 0.5)"
)toml";

double ar1_variance(int n) {
  return kNoise * kNoise * (1 - std::pow(kPhi, 2 * n)) / (1 - kPhi * kPhi);
}

TEST(ClosedForm, Ar1VarianceAndAutocorrelation) {
  const Program program = test::compile_text(kAr1);
  const ScenarioOutcome out = test::simulate(program, kDraws, kSeed);
  std::vector<double> previous = test::column(program, out.cube, "e", 2020);
  for (double v : previous) ASSERT_EQ(v, 0.0);
  for (int n = 1; n <= 12; ++n) {
    const std::vector<double> e = test::column(program, out.cube, "e", 2020 + n);
    const test::Moments m = moments(e);
    const double var = ar1_variance(n);
    // se of a sample mean: sqrt(var / N).
    EXPECT_NEAR(m.mean, 0.0, 4 * std::sqrt(var / kDraws)) << "year index " << n;
    // se of a sample variance of normal data: var * sqrt(2 / (N - 1)).
    EXPECT_NEAR(m.var, var, 4 * var * std::sqrt(2.0 / (kDraws - 1))) << "year index " << n;
    if (n >= 2) {
      // corr(e_n, e_(n-1)) = phi sqrt(Var_(n-1) / Var_n); the se of a sample correlation
      // of bivariate normal data is (1 - r^2) / sqrt(N).
      const double r = kPhi * std::sqrt(ar1_variance(n - 1) / var);
      EXPECT_NEAR(test::correlation(e, previous), r, 4 * (1 - r * r) / std::sqrt(double(kDraws)))
          << "year index " << n;
    }
    previous = e;
  }
}

// Two random calls in one equation are two independent sites: normal(0,1) - normal(0,1)
// has variance 2 (0 if the same numbers were reused), and a year's draw is independent of
// the last year's.
TEST(ClosedForm, RandomCallsAreIndependentAcrossCallsAndYears) {
  const Program program = test::compile_text(R"toml(
[model]
name = "two calls"
base_year = 2020
end_year = 2023

[vars.d]
unit = "1"
eq = "normal(0, 1) - normal(0, 1)"
)toml");
  const ScenarioOutcome out = test::simulate(program, kDraws, kSeed);
  const double tol_corr = 4 / std::sqrt(double(kDraws));  // se of r at rho = 0: 1/sqrt(N)
  for (int year = 2020; year <= 2023; ++year) {
    const std::vector<double> d = test::column(program, out.cube, "d", year);
    const test::Moments m = moments(d);
    EXPECT_NEAR(m.mean, 0.0, 4 * std::sqrt(2.0 / kDraws)) << year;
    EXPECT_NEAR(m.var, 2.0, 4 * 2.0 * std::sqrt(2.0 / (kDraws - 1))) << year;
    if (year > 2020) {
      const auto last = test::column(program, out.cube, "d", year - 1);
      EXPECT_NEAR(test::correlation(d, last), 0.0, tol_corr) << year;
    }
  }
}

}  // namespace
}  // namespace tamnhin
