// Parameter marginals as inverse CDFs of a uniform (STYLE.md 3). Normal and lognormal,
// truncated or not, through the project's own AS 241 (plain arithmetic, the bits of
// standard_normals) and portable exp; the beta through a table of its quantile
// (beta_quantile.hpp: Boost's inverse cost 0.5-5 us a draw, the largest part of sampling a
// scenario's parameters); the triangular through Boost.Math's closed form.
#include "engine/random/marginal.hpp"

#include <algorithm>
#include <array>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>
#include <limits>

#include "engine/core/portable_math.hpp"
#include "engine/core/portable_math_lanes.hpp"
#include "engine/random/detail_bits.hpp"
#include "engine/random/philox.hpp"
#include "engine/random/philox_lanes.hpp"

namespace tamnhin::random {

namespace {

namespace bm = boost::math;

// The normal or lognormal distribution of m, untruncated.
template <typename F>
auto with_distribution(const Marginal& m, F f) {
  if (m.kind == DistKind::lognormal) return f(bm::lognormal_distribution<double>(m.a, m.b));
  return f(bm::normal_distribution<double>(m.a, m.b));
}

// A truncated normal's or lognormal's bounds as probabilities under the untruncated
// distribution: of the CDF, or of the survival function when the interval lies above the
// median (1 - F would lose its precision there).
struct TruncationBounds {
  double lower = 0, upper = 1;
  bool survival = false;
};

TruncationBounds truncation_bounds(const Marginal& m) {
  return with_distribution(m, [&](const auto& dist) {
    const bool lower_open = std::isinf(m.c) || (m.kind == DistKind::lognormal && m.c <= 0);
    const bool upper_open = std::isinf(m.d);
    if (!lower_open && m.c > bm::median(dist)) {
      return TruncationBounds{bm::cdf(bm::complement(dist, m.c)),
                              upper_open ? 0.0 : bm::cdf(bm::complement(dist, m.d)), true};
    }
    return TruncationBounds{lower_open ? 0.0 : bm::cdf(dist, m.c),
                            upper_open ? 1.0 : bm::cdf(dist, m.d), false};
  });
}

bool is_truncated_normal(const Marginal& m) {
  return m.truncated && (m.kind == DistKind::normal || m.kind == DistKind::lognormal);
}

}  // namespace

double kept_mass(const Marginal& m) {
  if (!is_truncated_normal(m)) return 1.0;
  const TruncationBounds b = truncation_bounds(m);
  return b.survival ? b.lower - b.upper : b.upper - b.lower;
}

QuantileFunction::QuantileFunction(const Marginal& m) : m_(m) {
  if (m.kind == DistKind::beta) beta_ = BetaQuantile::of(m.a, m.b);
  if (!is_truncated_normal(m)) return;
  // Once per marginal (Boost.Math): they used to be computed again for every draw.
  const TruncationBounds b = truncation_bounds(m);
  lower_ = b.lower;
  upper_ = b.upper;
  survival_ = b.survival;
}

double QuantileFunction::operator()(double u) const {
  const Marginal& m = m_;
  if (is_truncated_normal(m)) {
    // Kept inside (0, 1): the interval's end may round to 0 or 1, where the normal
    // quantile is infinite; the clamp below brings such a value to the bound anyway.
    const double p = std::clamp(lower_ + u * (upper_ - lower_), std::numeric_limits<double>::min(),
                                detail::kOneBelow);
    const double z = survival_ ? -inverse_normal_cdf(p) : inverse_normal_cdf(p);
    const double x = m.a + m.b * z;
    // Rounding in the bounds' probabilities must not step outside the bounds.
    return std::clamp(m.kind == DistKind::lognormal ? pmath::exp(x) : x, m.c, m.d);
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
      return m.c + (m.d - m.c) * (*beta_)(u);
  }
  return m.a;  // unreachable: every DistKind is handled above
}

void QuantileFunction::apply(double* values, std::size_t n) const {
  const Marginal& m = m_;
  const bool lanes =
      !is_truncated_normal(m) && (m.kind == DistKind::normal || m.kind == DistKind::lognormal);
  if (!lanes) {
    for (std::size_t i = 0; i < n; ++i) values[i] = (*this)(values[i]);
    return;
  }
  // As operator(): a + b z, and exp of that for the lognormal; the lane functions give
  // the bits of inverse_normal_cdf and pmath::exp (their unit tests compare them).
  std::array<double, detail::kNormalBlock> z;
  for (std::size_t first = 0; first < n; first += z.size()) {
    const std::size_t k = std::min(z.size(), n - first);
    double* v = values + first;
    detail::normals(v, k, z.data());
    for (std::size_t i = 0; i < k; ++i) z[i] = m.a + m.b * z[i];
    if (m.kind == DistKind::lognormal) {
      pmath::exp_lanes(k, v, z.data());
    } else {
      std::copy(z.begin(), z.begin() + static_cast<std::ptrdiff_t>(k), v);
    }
  }
}

double quantile(const Marginal& m, double u) {
  return QuantileFunction(m)(u);
}

double mean(const Marginal& m) {
  if (is_truncated_normal(m)) {
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
