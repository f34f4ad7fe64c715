// Accuracy of engine/core/portable_math.hpp against MPFR (256-bit, i.e. exact for this
// purpose), in ulps of the exact result, over arguments spread by a fixed generator;
// plus the special values of C99 Annex F that models can meet. The measured maxima are
// printed (docs/performance.md quotes them) and bounded here.
#include "engine/core/portable_math.hpp"
#include "engine/core/portable_math_lanes.hpp"

#include <gtest/gtest.h>
#include <mpfr.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <iterator>
#include <limits>
#include <vector>

namespace tamnhin::pmath {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();

struct Mp {
  mpfr_t v;
  Mp() { mpfr_init2(v, 256); }
  ~Mp() { mpfr_clear(v); }
  Mp(const Mp&) = delete;
  Mp& operator=(const Mp&) = delete;
};

// |got - exact| in units of the last place of the exact result rounded to double.
double ulps(double got, const Mp& exact) {
  const double rounded = mpfr_get_d(exact.v, MPFR_RNDN);
  if (!std::isfinite(rounded) || !std::isfinite(got)) return got == rounded ? 0.0 : kInf;
  int e = 0;
  std::frexp(rounded == 0.0 ? std::numeric_limits<double>::denorm_min() : rounded, &e);
  const double ulp = std::ldexp(1.0, std::max(e - 53, -1074));
  Mp diff;
  mpfr_set_d(diff.v, got, MPFR_RNDN);
  mpfr_sub(diff.v, diff.v, exact.v, MPFR_RNDN);
  mpfr_div_d(diff.v, diff.v, ulp, MPFR_RNDN);
  return std::fabs(mpfr_get_d(diff.v, MPFR_RNDN));
}

// A fixed sequence of uniforms in [0, 1).
struct Lcg {
  std::uint64_t s = 0x9e3779b97f4a7c15ULL;
  double next() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) * 0x1p-53;
  }
};

double max_ulps_1(const std::function<double(double)>& f,
                  const std::function<void(Mp&, const Mp&)>& exact,
                  const std::function<double(Lcg&)>& arg, int n, double& worst_x) {
  Lcg g;
  double worst = 0;
  Mp x, y;
  for (int i = 0; i < n; ++i) {
    const double a = arg(g);
    mpfr_set_d(x.v, a, MPFR_RNDN);
    exact(y, x);
    const double u = ulps(f(a), y);
    if (u > worst) worst = u, worst_x = a;
  }
  return worst;
}

TEST(PortableMath, ExpWithinOneUlp) {
  const auto exact = [](Mp& y, const Mp& x) { mpfr_exp(y.v, x.v, MPFR_RNDN); };
  double at = 0;
  const double wide = max_ulps_1([](double x) { return exp(x); }, exact,
                                 [](Lcg& g) { return -745.0 + 1454.7 * g.next(); }, 50000, at);
  std::printf("exp, x in [-745, 709.7]: max %.3f ulp (at %.17g)\n", wide, at);
  const double small = max_ulps_1([](double x) { return exp(x); }, exact,
                                  [](Lcg& g) { return -5.0 + 10.0 * g.next(); }, 50000, at);
  std::printf("exp, x in [-5, 5]: max %.3f ulp (at %.17g)\n", small, at);
  EXPECT_LT(wide, 1.0);
  EXPECT_LT(small, 1.0);
}

TEST(PortableMath, LogWithinOneUlp) {
  const auto exact = [](Mp& y, const Mp& x) { mpfr_log(y.v, x.v, MPFR_RNDN); };
  double at = 0;
  // Every binade, subnormals included: a random exponent and mantissa.
  const double wide = max_ulps_1(
      [](double x) { return log(x); }, exact,
      [](Lcg& g) { return std::ldexp(1.0 + g.next(), static_cast<int>(g.next() * 2098) - 1075); },
      50000, at);
  std::printf("log, x in [2^-1075, 2^1023]: max %.3f ulp (at %.17g)\n", wide, at);
  const double near_one = max_ulps_1([](double x) { return log(x); }, exact,
                                     [](Lcg& g) { return 0.5 + 1.5 * g.next(); }, 50000, at);
  std::printf("log, x in [0.5, 2]: max %.3f ulp (at %.17g)\n", near_one, at);
  EXPECT_LT(wide, 1.0);
  EXPECT_LT(near_one, 1.0);
}

double max_ulps_pow(double xlo, double xhi, double ylo, double yhi, int n, bool log_x) {
  Lcg g;
  double worst = 0, wx = 0, wy = 0;
  Mp x, y, r;
  for (int i = 0; i < n; ++i) {
    const double a = log_x ? std::exp(std::log(xlo) + (std::log(xhi) - std::log(xlo)) * g.next())
                           : xlo + (xhi - xlo) * g.next();
    const double b = ylo + (yhi - ylo) * g.next();
    mpfr_set_d(x.v, a, MPFR_RNDN);
    mpfr_set_d(y.v, b, MPFR_RNDN);
    mpfr_pow(r.v, x.v, y.v, MPFR_RNDN);
    const double u = ulps(pow(a, b), r);
    if (u > worst) worst = u, wx = a, wy = b;
  }
  std::printf("pow, x in [%g, %g], y in [%g, %g]: max %.3f ulp (at %.17g ^ %.17g)\n", xlo, xhi, ylo,
              yhi, worst, wx, wy);
  return worst;
}

TEST(PortableMath, PowAccuracy) {
  // What models do: ratios near 1 to an elasticity, shares and growth factors to powers.
  EXPECT_LT(max_ulps_pow(0.05, 20.0, -3.0, 3.0, 50000, true), 1.0);
  EXPECT_LT(max_ulps_pow(0.0, 2.0, -10.0, 10.0, 50000, false), 1.5);
  // Results across the whole range of doubles, from a small exponent.
  EXPECT_LT(max_ulps_pow(1e-300, 1e300, -1.0, 1.0, 50000, true), 1.0);
  // x near 1 to a huge power: log x is carried in double-double.
  EXPECT_LT(max_ulps_pow(1.0 - 1e-6, 1.0 + 1e-6, -1e8, 1e8, 50000, false), 1.0);
  // The weak spot: |y log x| in the hundreds with x away from 1. The tail of log(1 + f)
  // (|f| < 0.42) is a plain double, absolute error ~2^-58, which y multiplies: the error
  // grows to ~50 ulps as |y log x| nears 700 (glibc's pow stays within 1 ulp there).
  EXPECT_LT(max_ulps_pow(0.5, 2.0, -1000.0, 1000.0, 50000, false), 64.0);
}

TEST(PortableMath, LogisticAccuracy) {
  double at = 0;
  const double worst = max_ulps_1([](double x) { return logistic(x); },
                                  [](Mp& y, const Mp& x) {
                                    mpfr_neg(y.v, x.v, MPFR_RNDN);
                                    mpfr_exp(y.v, y.v, MPFR_RNDN);
                                    mpfr_add_ui(y.v, y.v, 1, MPFR_RNDN);
                                    mpfr_ui_div(y.v, 1, y.v, MPFR_RNDN);
                                  },
                                  [](Lcg& g) { return -40.0 + 80.0 * g.next(); }, 50000, at);
  std::printf("logistic, x in [-40, 40]: max %.3f ulp (at %.17g)\n", worst, at);
  // exp (< 1 ulp), then 1 + e and the division each round once.
  EXPECT_LT(worst, 2.5);
}

bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) ||
         (std::isnan(a) && std::isnan(b));
}

TEST(PortableMath, SpecialValues) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  EXPECT_TRUE(same(exp(0.0), 1.0));
  EXPECT_TRUE(same(exp(kInf), kInf));
  EXPECT_TRUE(same(exp(-kInf), 0.0));
  EXPECT_TRUE(same(exp(nan), nan));
  EXPECT_TRUE(same(exp(710.0), kInf));
  EXPECT_TRUE(same(exp(-746.0), 0.0));
  EXPECT_TRUE(same(exp(-745.0), std::exp(-745.0)));  // subnormal, rounded once
  EXPECT_TRUE(same(exp(709.78), std::exp(709.78)));

  EXPECT_TRUE(same(log(1.0), 0.0));
  EXPECT_TRUE(same(log(0.0), -kInf));
  EXPECT_TRUE(same(log(-0.0), -kInf));
  EXPECT_TRUE(std::isnan(log(-1.0)));
  EXPECT_TRUE(same(log(kInf), kInf));
  EXPECT_TRUE(std::isnan(log(nan)));
  EXPECT_TRUE(same(log(std::numeric_limits<double>::denorm_min()), std::log(0x1p-1074)));

  EXPECT_TRUE(same(pow(2.0, 10.0), 1024.0));
  EXPECT_TRUE(same(pow(-2.0, 3.0), -8.0));
  EXPECT_TRUE(same(pow(-2.0, 2.0), 4.0));
  EXPECT_TRUE(std::isnan(pow(-2.0, 0.5)));
  EXPECT_TRUE(same(pow(nan, 0.0), 1.0));
  EXPECT_TRUE(same(pow(1.0, nan), 1.0));
  EXPECT_TRUE(std::isnan(pow(nan, 1.0)));
  EXPECT_TRUE(same(pow(0.0, 2.0), 0.0));
  EXPECT_TRUE(same(pow(0.0, -2.0), kInf));
  EXPECT_TRUE(same(pow(-0.0, 3.0), -0.0));
  EXPECT_TRUE(same(pow(-0.0, -3.0), -kInf));
  EXPECT_TRUE(same(pow(kInf, 2.0), kInf));
  EXPECT_TRUE(same(pow(kInf, -2.0), 0.0));
  EXPECT_TRUE(same(pow(-kInf, 3.0), -kInf));
  EXPECT_TRUE(same(pow(0.5, kInf), 0.0));
  EXPECT_TRUE(same(pow(2.0, kInf), kInf));
  EXPECT_TRUE(same(pow(-1.0, kInf), 1.0));
  EXPECT_TRUE(same(pow(10.0, 400.0), kInf));
  EXPECT_TRUE(same(pow(10.0, -400.0), 0.0));
  EXPECT_TRUE(same(pow(2.0, -1074.0), 0x1p-1074));

  EXPECT_TRUE(same(logistic(0.0), 0.5));
  EXPECT_TRUE(same(logistic(-1000.0), 0.0));
  EXPECT_TRUE(same(logistic(1000.0), 1.0));
}

// Each build of the lane functions this CPU can run: the baseline's, AVX2's, AVX-512's
// (whose log is AVX2's: it has no AVX-512 build of its own, portable_math_lanes.cpp).
using Lanes1 = void (*)(std::size_t, double*, const double*);
using Lanes2 = void (*)(std::size_t, double*, const double*, const double*);
struct LaneBuild {
  const char* name;
  Lanes1 exp, log;
  Lanes2 pow;
  Lanes1 logistic;
};
std::vector<LaneBuild> lane_builds() {
  std::vector<LaneBuild> builds = {{"generic", detail::exp_lanes_generic, detail::log_lanes_generic,
                                    detail::pow_lanes_generic, detail::logistic_lanes_generic}};
  if (has_avx2())
    builds.push_back({"avx2", detail::exp_lanes_avx2, detail::log_lanes_avx2,
                      detail::pow_lanes_avx2, detail::logistic_lanes_avx2});
  if (has_avx512())
    builds.push_back({"avx512", detail::exp_lanes_avx512, detail::log_lanes_avx2,
                      detail::pow_lanes_avx512, detail::logistic_lanes_avx512});
  return builds;
}

// The lane functions (what the kernel runs): the same bits as the scalar functions, and the
// AVX2 and AVX-512 builds the same bits as the baseline build, over awkward arguments too.
TEST(PortableMathLanes, EveryBuildGivesTheScalarBits) {
  constexpr std::size_t n = 4099;  // not a multiple of any vector width
  std::vector<double> a(n), b(n), want(n), got(n);
  Lcg g;
  const double specials[] = {
      0.0,       -0.0,  1.0,    -1.0, kInf, -kInf, std::numeric_limits<double>::quiet_NaN(),
      0x1p-1074, 710.0, -746.0, 2.0,  -3.0, 0.5};
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = i < 13 * 13 ? specials[i % 13]
                       : std::ldexp(g.next() - 0.3, static_cast<int>(g.next() * 40) - 20);
    b[i] = i < 13 * 13 ? specials[i / 13] : (g.next() - 0.5) * 8.0;
  }
  const auto check = [&](const char* what, auto scalar, auto lanes) {
    for (std::size_t i = 0; i < n; ++i) want[i] = scalar(a[i], b[i]);
    lanes(got.data());
    for (std::size_t i = 0; i < n; ++i) ASSERT_TRUE(same(got[i], want[i])) << what << " " << i;
  };
  for (const LaneBuild& build : lane_builds()) {
    SCOPED_TRACE(build.name);
    check(
        "exp", [](double x, double) { return exp(x); },
        [&](double* d) { build.exp(n, d, a.data()); });
    check(
        "log", [](double x, double) { return log(x); },
        [&](double* d) { build.log(n, d, a.data()); });
    check(
        "pow", [](double x, double y) { return pow(x, y); },
        [&](double* d) { build.pow(n, d, a.data(), b.data()); });
    check(
        "logistic", [](double x, double) { return logistic(x); },
        [&](double* d) { build.logistic(n, d, a.data()); });
  }
}

// pow_lanes runs a row whose x are all positive and finite and whose y are all finite
// through pow_magnitude alone, and the AVX2 build uses an FMA for its exact products: both
// must still give scalar pow's bits, over the whole range such rows can hold (tiny and
// huge x, x next to 1, y up to the largest doubles, results that over- and underflow).
TEST(PortableMathLanes, RowsWithoutSpecialValuesGiveTheScalarBits) {
  constexpr std::size_t n = 4099;
  std::vector<double> a(n), b(n), want(n), got(n);
  Lcg g;
  for (std::size_t i = 0; i < n; ++i) {
    switch (i % 5) {
      case 0:  // anywhere in the doubles, subnormals included
        a[i] = std::ldexp(g.next() + 0.5, static_cast<int>(g.next() * 2097) - 1075);
        b[i] = (g.next() - 0.5) * 40.0;
        break;
      case 1:  // 1 and next to it, with huge exponents (|y| around and beyond Dekker's
               // 2^996, where the splitting of y overflows), all finite
        a[i] =
            i % 2 == 0 ? 1.0 : 1.0 + std::ldexp(g.next() - 0.5, -static_cast<int>(g.next() * 52));
        b[i] = std::ldexp(g.next() - 0.5, static_cast<int>(g.next() * 1024));
        break;
      case 2:  // tiny exponents
        a[i] = std::ldexp(g.next() + 0.5, static_cast<int>(g.next() * 200) - 100);
        b[i] = std::ldexp(g.next() - 0.5, -static_cast<int>(g.next() * 1070));
        break;
      case 3:  // results near overflow and underflow
        a[i] = std::ldexp(g.next() + 0.5, static_cast<int>(g.next() * 20) - 10);
        b[i] = (g.next() - 0.5) * 2400.0;
        break;
      default:  // model-like: funding ratios and elasticities
        a[i] = 0.05 + g.next() * 3.0;
        b[i] = g.next() * 1.5;
        break;
    }
  }
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_TRUE(a[i] > 0 && a[i] < kInf && std::fabs(b[i]) < kInf) << i;  // no special row
    want[i] = pow(a[i], b[i]);
  }
  for (const LaneBuild& build : lane_builds()) {
    build.pow(n, got.data(), a.data(), b.data());
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_TRUE(same(got[i], want[i])) << build.name << " " << i;
  }
}

// A row whose x are all normal and whose |y| are all <= 1 (elasticities) runs pow_magnitude
// without its over- and underflow guards: scalar pow's bits still, over the whole normal
// range (down to 2^-1022, up to the largest double, next to 1) and |y| up to exactly 1;
// and one lane past either bound (a subnormal x, |y| just above 1) moves the row to the
// guarded tier, still with the scalar bits.
TEST(PortableMathLanes, ModerateRowsGiveTheScalarBits) {
  constexpr std::size_t n = 1027;
  std::vector<double> a(n), b(n), got(n);
  Lcg g;
  const double edge_x[] = {0x1p-1022, std::numeric_limits<double>::max(), 1.0,
                           std::nextafter(1.0, 0.0), std::nextafter(1.0, 2.0)};
  const double edge_y[] = {1.0, -1.0, 0.0, -0.0, 0x1p-1074, std::nextafter(1.0, 0.0)};
  for (std::size_t i = 0; i < n; ++i) {
    a[i] = i < 5 ? edge_x[i] : std::ldexp(1.0 + g.next(), static_cast<int>(g.next() * 2045) - 1022);
    b[i] = i % 7 < 6 ? edge_y[i % 7] : 2.0 * g.next() - 1.0;
    if (i % 3 == 0) b[i] = 2.0 * g.next() - 1.0;
  }
  const auto check = [&](const char* what) {
    for (const LaneBuild& build : lane_builds()) {
      build.pow(n, got.data(), a.data(), b.data());
      for (std::size_t i = 0; i < n; ++i)
        ASSERT_TRUE(same(got[i], pow(a[i], b[i]))) << what << " " << build.name << " " << i;
    }
  };
  check("moderate");
  a[500] = 0x1p-1023;
  check("one subnormal x");
  a[500] = 0.5;
  b[501] = std::nextafter(1.0, 2.0);
  check("one |y| above 1");
}

// The lane functions run eight lanes at a time (sixteen in AVX-512) and the rest in a
// padded pack, and one special value sends a whole pow row through the full function.
// Every row length from 1 to 40, with a special lane in every position, gives the scalar
// bits, and nothing is written past the row.
TEST(PortableMathLanes, EveryRowLengthAndSpecialPositionGivesTheScalarBits) {
  constexpr std::size_t kMax = 40, kGuard = 16;
  constexpr double kSentinel = 12345.0;
  const double specials[] = {-2.0, 0.0, kInf, std::numeric_limits<double>::quiet_NaN(), 1.0};
  Lcg g;
  std::vector<double> a(kMax), b(kMax), got(kMax + kGuard);
  const auto check = [&](std::size_t n, const char* what, auto scalar, auto lanes) {
    std::fill(got.begin(), got.end(), kSentinel);
    lanes(n, got.data());
    for (std::size_t i = 0; i < n; ++i)
      ASSERT_TRUE(same(got[i], scalar(a[i], b[i]))) << what << " n=" << n << " lane " << i;
    for (std::size_t i = n; i < got.size(); ++i)
      ASSERT_EQ(got[i], kSentinel) << what << " n=" << n << " wrote lane " << i;
  };
  const std::vector<LaneBuild> builds = lane_builds();
  const auto check_all = [&](std::size_t n) {
    for (const LaneBuild& build : builds) {
      SCOPED_TRACE(build.name);
      check(
          n, "pow", [](double x, double y) { return pow(x, y); },
          [&](std::size_t m, double* d) { build.pow(m, d, a.data(), b.data()); });
      check(
          n, "exp", [](double x, double) { return exp(x); },
          [&](std::size_t m, double* d) { build.exp(m, d, a.data()); });
      check(
          n, "log", [](double x, double) { return log(x); },
          [&](std::size_t m, double* d) { build.log(m, d, a.data()); });
      check(
          n, "logistic", [](double x, double) { return logistic(x); },
          [&](std::size_t m, double* d) { build.logistic(m, d, a.data()); });
    }
  };
  for (std::size_t n = 1; n <= kMax; ++n) {
    for (std::size_t i = 0; i < kMax; ++i)
      a[i] = 0.05 + 3.0 * g.next(), b[i] = 3.0 * g.next() - 1.5;
    check_all(n);                             // no special lane: the fast pow rows
    for (std::size_t at = 0; at < n; ++at) {  // x special, then y
      const double keep_a = a[at], keep_b = b[at];
      a[at] = specials[(n + at) % std::size(specials)];
      check_all(n);
      a[at] = keep_a;
      b[at] = -specials[(n + at + 2) % std::size(specials)];
      check_all(n);
      b[at] = keep_b;
    }
  }
}

}  // namespace
}  // namespace tamnhin::pmath
