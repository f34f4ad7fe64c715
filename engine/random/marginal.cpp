// Parameter marginals as inverse CDFs of a uniform (STYLE.md 3). Normal and lognormal
// through the project's own AS 241 (plain arithmetic, the bits of standard_normals) and
// portable exp; triangular and beta through Boost.Math, the beta in double precision:
// Boost's default promotes double to long double, and its beta quantile then cost ~7 us
// per draw (docs/performance.md), the largest part of sampling a scenario's parameters.
#include "engine/random/marginal.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>

#include "engine/core/portable_math.hpp"
#include "engine/random/philox.hpp"

namespace tamnhin::random {

namespace {
using DoublePolicy = boost::math::policies::policy<boost::math::policies::promote_double<false>>;
}  // namespace

double quantile(const Marginal& m, double u) {
  namespace bm = boost::math;
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
