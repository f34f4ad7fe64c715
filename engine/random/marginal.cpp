// Parameter marginals as inverse CDFs of a uniform (STYLE.md 3). Normal and lognormal
// through the project's own AS 241 (plain arithmetic, the bits of standard_normals) and
// portable exp; triangular and beta through Boost.Math, the beta in double precision:
// Boost's default promotes double to long double, and its beta quantile then cost ~7 us
// per draw (docs/performance.md), the largest part of sampling a scenario's parameters.
#include "engine/random/marginal.hpp"

#include <algorithm>
#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>
#include <type_traits>

#include "engine/core/portable_math.hpp"
#include "engine/random/philox.hpp"

namespace tamnhin::random {

namespace {

using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;

namespace bm = boost::math;

// The normal or lognormal distribution of m, untruncated.
template <typename F>
auto with_distribution(const Marginal& m, F f) {
  if (m.kind == DistKind::lognormal) return f(bm::lognormal_distribution<double>(m.a, m.b));
  return f(bm::normal_distribution<double>(m.a, m.b));
}

// Inverse CDF of the distribution restricted to [lo, hi]: the quantile at the CDF value
// u of the way from F(lo) to F(hi). An interval in the upper tail works with survival
// probabilities instead, which keep their precision there (1 - F would round to 0).
template <typename Dist>
double truncated_quantile(const Dist& dist, double lo, double hi, double u) {
  const bool lower_open =
      std::isinf(lo) || (std::is_same_v<Dist, bm::lognormal_distribution<double>> && lo <= 0);
  const bool upper_open = std::isinf(hi);
  const double median = bm::median(dist);
  double x = 0;
  if (!lower_open && lo > median) {
    const double s_lo = bm::cdf(bm::complement(dist, lo));
    const double s_hi = upper_open ? 0.0 : bm::cdf(bm::complement(dist, hi));
    x = bm::quantile(bm::complement(dist, s_lo - u * (s_lo - s_hi)));
  } else {
    const double f_lo = lower_open ? 0.0 : bm::cdf(dist, lo);
    const double f_hi = upper_open ? 1.0 : bm::cdf(dist, hi);
    x = bm::quantile(dist, f_lo + u * (f_hi - f_lo));
  }
  return std::clamp(x, lo, hi);  // rounding in the CDF must not step outside the bounds
}

double mass(const Marginal& m) {
  return with_distribution(m, [&](const auto& dist) {
    const double lo = m.c, hi = m.d;
    const bool lower_open = std::isinf(lo) || (m.kind == DistKind::lognormal && lo <= 0);
    const double median = bm::median(dist);
    if (!lower_open && lo > median) {
      return bm::cdf(bm::complement(dist, lo)) -
             (std::isinf(hi) ? 0.0 : bm::cdf(bm::complement(dist, hi)));
    }
    return (std::isinf(hi) ? 1.0 : bm::cdf(dist, hi)) - (lower_open ? 0.0 : bm::cdf(dist, lo));
  });
}

}  // namespace

double kept_mass(const Marginal& m) {
  if (!m.truncated || (m.kind != DistKind::normal && m.kind != DistKind::lognormal)) return 1.0;
  return mass(m);
}

double quantile(const Marginal& m, double u) {
  if (m.truncated && (m.kind == DistKind::normal || m.kind == DistKind::lognormal)) {
    return with_distribution(
        m, [&](const auto& dist) { return truncated_quantile(dist, m.c, m.d, u); });
  }
  switch (m.kind) {
    case DistKind::constant:
      return m.a;
    case DistKind::normal:
      return m.a + m.b * inverse_normal_cdf(u);
    case DistKind::lognormal:
      return pmath::exp(m.a + m.b * inverse_normal_cdf(u));
    case DistKind::uniform:
      return m.a + (m.b - m.a) * u;
    case DistKind::triangular:
      return bm::quantile(bm::triangular_distribution<double>(m.a, m.b, m.c), u);
    case DistKind::beta:
      return m.c +
             (m.d - m.c) * bm::quantile(bm::beta_distribution<double, DoublePolicy>(m.a, m.b), u);
  }
  return m.a;  // unreachable: every DistKind is handled above
}

double mean(const Marginal& m) {
  if (m.truncated && (m.kind == DistKind::normal || m.kind == DistKind::lognormal)) {
    // Standardised bounds alpha, beta of x (normal) or of log x (lognormal).
    const bm::normal_distribution<double> standard;
    const bool lower_open = std::isinf(m.c) || (m.kind == DistKind::lognormal && m.c <= 0);
    const double lo = lower_open ? -INFINITY : m.kind == DistKind::lognormal ? std::log(m.c) : m.c;
    const double hi = std::isinf(m.d)                 ? INFINITY
                      : m.kind == DistKind::lognormal ? std::log(m.d)
                                                      : m.d;
    const double alpha = (lo - m.a) / m.b, beta = (hi - m.a) / m.b;
    const auto cdf = [&](double z) {
      return std::isinf(z) ? (z > 0 ? 1.0 : 0.0) : bm::cdf(standard, z);
    };
    const auto pdf = [&](double z) { return std::isinf(z) ? 0.0 : bm::pdf(standard, z); };
    const double kept = cdf(beta) - cdf(alpha);
    if (m.kind == DistKind::normal) return m.a + m.b * (pdf(alpha) - pdf(beta)) / kept;
    // E[e^Y; alpha <= (Y - mu)/sigma <= beta] = e^(mu + sigma^2/2) (Phi(beta - s) - Phi(alpha -
    // s)).
    return std::exp(m.a + 0.5 * m.b * m.b) * (cdf(beta - m.b) - cdf(alpha - m.b)) / kept;
  }
  switch (m.kind) {
    case DistKind::constant:
      return m.a;
    case DistKind::normal:
      return m.a;
    case DistKind::lognormal:
      return std::exp(m.a + 0.5 * m.b * m.b);
    case DistKind::uniform:
      return 0.5 * (m.a + m.b);
    case DistKind::triangular:
      return (m.a + m.b + m.c) / 3.0;
    case DistKind::beta:
      return m.c + (m.d - m.c) * m.a / (m.a + m.b);
  }
  return m.a;  // unreachable
}

}  // namespace tamnhin::random
