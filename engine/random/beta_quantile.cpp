#include "engine/random/beta_quantile.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <boost/math/distributions/beta.hpp>
#include <cmath>
#include <exception>
#include <map>
#include <mutex>
#include <utility>

namespace tamnhin::random {

namespace {

// Boost's default promotes double to long double: about 7 us a quantile instead of 2.
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
using Beta = boost::math::beta_distribution<double, DoublePolicy>;

// The distance w = u or 1 - u of a node or midpoint: octave j (>= 1) covers
// [2^-(j+1), 2^-j), and position s in [0, intervals(j)] goes linearly across it. Exact.
double octave_point(int j, double s) {
  return std::ldexp(1.0 + s / BetaQuantile::intervals(j), -(j + 1));
}

}  // namespace

BetaQuantile::BetaQuantile(double alpha, double beta)
    : alpha_(alpha), beta_(beta), cubics_(std::size_t{2} * kHalf) {
  const Beta dist(alpha, beta);
  // Octaves are independent: built in parallel (the values do not depend on the split).
  oneapi::tbb::parallel_for(0, 2 * kOctaves, [&](int task) {
    const int side = task / kOctaves, j = task % kOctaves + 1;
    const double sign = side == 0 ? 1.0 : -1.0;  // of dx/dw
    // Boost's answers, NaN where Boost gives up (the intervals around are then left to
    // Boost too: a run meets Boost's error only if a draw lands there, as before the table).
    const auto guarded = [](auto f) {
      try {
        return f();
      } catch (const std::exception&) {
        return std::nan("");
      }
    };
    // The quantile at distance w from the side's end (w = u, or 1 - u), its mass (u, or
    // 1 - u, for a value x), and the density.
    const auto quantile = [&](double w) {
      return guarded([&] {
        return side == 0 ? boost::math::quantile(dist, w)
                         : boost::math::quantile(boost::math::complement(dist, w));
      });
    };
    const auto mass = [&](double x) {
      return guarded([&] {
        return side == 0 ? boost::math::cdf(dist, x)
                         : boost::math::cdf(boost::math::complement(dist, x));
      });
    };
    const auto density = [&](double x) {
      return guarded([&] { return boost::math::pdf(dist, x); });
    };
    // The quantile at w by Newton's method from `guess`, the previous node's tangent
    // (within ~1e-5): a CDF and a density per step, about a seventh of Boost's inverse,
    // which answers where Newton does not settle. A step of 1e-9 of x leaves an error
    // of order 1e-18 (quadratic convergence), far below kTolerance.
    const auto solve = [&](double w, double guess) {
      double x = guess;
      for (int step = 0; step < 5 && x > 0 && x < 1; ++step) {
        const double dx = sign * (mass(x) - w) / density(x);
        const double next = x - dx;
        if (std::fabs(dx) <= 1e-9 * next) return next;
        x = next;  // NaN ends the loop
      }
      return quantile(w);
    };
    const int n = intervals(j);
    const double width = std::ldexp(1.0, -(j + 1)) / n;  // in w, of one interval
    // dx/dt for t = (w - node) / width.
    const auto slope = [&](double x) { return sign * width / density(x); };
    double x0 = quantile(octave_point(j, 0));
    double m0 = slope(x0);
    Cubic* out = &cubics_[static_cast<std::size_t>(side * kHalf + first_interval(j))];
    for (int i = 0; i < n; ++i) {
      const double x1 = solve(octave_point(j, i + 1), x0 + m0);
      const double m1 = slope(x1);
      Cubic& c = out[i];
      c.c0 = x0;
      c.c1 = m0;
      c.c2 = 3 * (x1 - x0) - 2 * m0 - m1;
      c.c3 = 2 * (x0 - x1) + m0 + m1;
      // The cubic's error at the midpoint, in x: its miss in probability over the density
      // (first order, and that error is tiny). A zero or unbounded density at a node (an
      // end of the support) gives an infinite or NaN slope: then Boost answers.
      const double cubic = c.c0 + 0.5 * (c.c1 + 0.5 * (c.c2 + 0.5 * c.c3));
      const double miss = (mass(cubic) - octave_point(j, i + 0.5)) / density(cubic);
      const bool good = std::fabs(miss) <= kTolerance && std::isfinite(m0) && std::isfinite(m1) &&
                        std::isfinite(cubic);
      if (!good) c.c0 = std::nan("");
      x0 = x1;
      m0 = m1;
    }
  });
}

std::shared_ptr<const BetaQuantile> BetaQuantile::of(double alpha, double beta) {
  static std::mutex mutex;
  static std::map<std::pair<double, double>, std::shared_ptr<const BetaQuantile>> tables;
  const std::pair<double, double> key{alpha, beta};
  {
    const std::lock_guard lock(mutex);
    if (auto it = tables.find(key); it != tables.end()) return it->second;
  }
  // Built outside the lock: the build runs a parallel loop, and a thread waiting for it
  // may pick up another task that asks for a table. Two threads that race build the same
  // values; the first one stored is kept.
  auto built = std::make_shared<const BetaQuantile>(alpha, beta);
  const std::lock_guard lock(mutex);
  // A model has a few beta shapes; a process that meets many (a fuzzer, a study over
  // shapes) starts over rather than growing by ~330 KB a shape. Tables in use stay alive
  // with their holders.
  if (tables.size() >= 64) tables.clear();
  return tables.emplace(key, std::move(built)).first->second;
}

double BetaQuantile::boost_quantile(double u) const {
  return boost::math::quantile(Beta(alpha_, beta_), u);
}

double BetaQuantile::operator()(double u) const {
  const int side = u < 0.5 ? 0 : 1;
  const double w = side == 0 ? u : 1.0 - u;  // exact: Sterbenz for u >= 1/2
  // u = 1/2 (w = 1/2 lies outside every octave), 0, 1 or NaN: Boost's answer, or its error.
  if (!(w > 0 && w < 0.5)) return boost_quantile(u);
  const int e = std::ilogb(w);  // w in [2^e, 2^(e+1)), e <= -2
  const int j = -e - 1;
  if (j > kOctaves) return boost_quantile(u);
  const double s = (std::ldexp(w, -e) - 1.0) * intervals(j);  // exact: in [0, intervals(j))
  const int i = static_cast<int>(s);
  const double t = s - i;
  const Cubic& c = cubics_[static_cast<std::size_t>(side * kHalf + first_interval(j) + i)];
  if (std::isnan(c.c0)) return boost_quantile(u);
  return c.c0 + t * (c.c1 + t * (c.c2 + t * c.c3));
}

std::size_t BetaQuantile::tabulated_intervals() const {
  std::size_t n = 0;
  for (const Cubic& c : cubics_) n += std::isnan(c.c0) ? 0 : 1;
  return n;
}

}  // namespace tamnhin::random
