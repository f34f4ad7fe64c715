// The distribution of one uncertain parameter, as a function of a uniform: every
// parameter value is quantile(marginal, u) for a u in (0,1), whatever the sampling design
// (STYLE.md: distributions are functions of uniforms, never std::*_distribution).
#pragma once

#include <cstddef>
#include <memory>

#include "engine/random/beta_quantile.hpp"

namespace tamnhin::random {

enum class DistKind { constant, normal, lognormal, uniform, triangular, beta };

struct Marginal {
  DistKind kind = DistKind::constant;
  // Meaning by kind:
  //   constant   a = value
  //   normal     a = mean, b = sd (> 0); truncated: c = min, d = max (either may be infinite)
  //   lognormal  a = mu, b = sigma (> 0), of the log; truncated: c = min, d = max, as values
  //   uniform    a = min, b = max (min < max)
  //   triangular a = min, b = mode, c = max (min <= mode <= max, min < max)
  //   beta       a = alpha (> 0), b = beta (> 0), c = min, d = max (min < max)
  double a = 0, b = 0, c = 0, d = 0;
  // normal and lognormal only: restricted to [c, d] and renormalised (sampled by the inverse
  // CDF of the truncated distribution, so lhs and sobol keep their stratification).
  bool truncated = false;

  bool is_random() const { return kind != DistKind::constant; }
};

// The inverse CDF of one marginal, prepared for many uniforms: what depends only on the
// marginal is done once (a beta's table, beta_quantile.hpp; the probabilities of a
// truncation's bounds). Normal and lognormal go through the project's own AS 241
// (inverse_normal_cdf) and portable exp, truncated or not; triangular through Boost.Math.
class QuantileFunction {
 public:
  explicit QuantileFunction(const Marginal& m);
  double operator()(double u) const;  // u in (0, 1)
  // values[i] = (*this)(values[i]) for i < n, the same bits; normal and lognormal a block
  // of lanes at a time (the vectorised AS 241 and exp).
  void apply(double* values, std::size_t n) const;

 private:
  Marginal m_;
  // Truncated normal and lognormal: the bounds as probabilities, of the CDF or (survival_,
  // an interval above the median) of the survival function; the standard normal score is
  // taken at lower_ + u * (upper_ - lower_).
  double lower_ = 0, upper_ = 1;
  bool survival_ = false;
  std::shared_ptr<const BetaQuantile> beta_;
};

// Inverse CDF of the marginal at u in (0,1): QuantileFunction(m)(u). For `constant`, a.
double quantile(const Marginal& m, double u);

// The mean of the marginal (closed form); used by tests and by docs.
double mean(const Marginal& m);

// The probability a truncated normal or lognormal keeps: P(c <= X <= d) under the
// untruncated distribution. 1 for every other marginal.
double kept_mass(const Marginal& m);

}  // namespace tamnhin::random
