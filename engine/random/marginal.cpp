// Parameter marginals as inverse CDFs of a uniform, through Boost.Math (STYLE.md 3).
#include "engine/random/marginal.hpp"

#include <boost/math/distributions/beta.hpp>
#include <boost/math/distributions/lognormal.hpp>
#include <boost/math/distributions/normal.hpp>
#include <boost/math/distributions/triangular.hpp>
#include <cmath>

namespace tamnhin::random {

double quantile(const Marginal& m, double u) {
  namespace bm = boost::math;
  switch (m.kind) {
    case DistKind::constant:
      return m.a;
    case DistKind::normal:
      return bm::quantile(bm::normal_distribution<double>(m.a, m.b), u);
    case DistKind::lognormal:
      return bm::quantile(bm::lognormal_distribution<double>(m.a, m.b), u);
    case DistKind::uniform:
      return m.a + (m.b - m.a) * u;
    case DistKind::triangular:
      return bm::quantile(bm::triangular_distribution<double>(m.a, m.b, m.c), u);
    case DistKind::beta:
      return m.c + (m.d - m.c) * bm::quantile(bm::beta_distribution<double>(m.a, m.b), u);
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
