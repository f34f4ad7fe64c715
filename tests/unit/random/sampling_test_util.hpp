// Small helpers shared by the sampling tests.
#pragma once

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <vector>

#include "engine/random/philox.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin::random::testing {

inline ParamSpecForSampling param(std::string name, DistKind kind, double a, double b = 0,
                                  double c = 0, double d = 0) {
  ParamSpecForSampling p;
  p.name = std::move(name);
  p.marginal.kind = kind;
  p.marginal.a = a;
  p.marginal.b = b;
  p.marginal.c = c;
  p.marginal.d = d;
  return p;
}

inline ParamSpecForSampling unit_uniform(std::string name) {
  return param(std::move(name), DistKind::uniform, 0.0, 1.0);
}

inline std::vector<double> column(const ParamDraws& r, std::size_t p) {
  return {r.column(p), r.column(p) + r.draws};
}

inline double pearson(const std::vector<double>& x, const std::vector<double>& y) {
  const double n = static_cast<double>(x.size());
  const double mx = std::accumulate(x.begin(), x.end(), 0.0) / n;
  const double my = std::accumulate(y.begin(), y.end(), 0.0) / n;
  double sxy = 0, sxx = 0, syy = 0;
  for (std::size_t i = 0; i < x.size(); ++i) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) * (x[i] - mx);
    syy += (y[i] - my) * (y[i] - my);
  }
  return sxy / std::sqrt(sxx * syy);
}

// Ranks 0..n-1 (the tests' samples have no ties).
inline std::vector<double> ranks(const std::vector<double>& x) {
  std::vector<std::size_t> order(x.size());
  std::iota(order.begin(), order.end(), std::size_t{0});
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return x[a] < x[b]; });
  std::vector<double> r(x.size());
  for (std::size_t i = 0; i < order.size(); ++i) r[order[i]] = static_cast<double>(i);
  return r;
}

inline double spearman(const std::vector<double>& x, const std::vector<double>& y) {
  return pearson(ranks(x), ranks(y));
}

// Normal scores Phi^-1(u) of values that are themselves uniforms in (0,1).
inline std::vector<double> normal_scores(const std::vector<double>& u) {
  std::vector<double> z(u.size());
  for (std::size_t i = 0; i < u.size(); ++i) z[i] = inverse_normal_cdf(u[i]);
  return z;
}

// True when floor(u * n) visits every stratum [i/n, (i+1)/n) exactly once.
inline bool exactly_stratified(const std::vector<double>& u) {
  const std::size_t n = u.size();
  std::vector<int> hits(n, 0);
  for (double x : u) {
    const auto i = static_cast<std::size_t>(x * static_cast<double>(n));
    if (!(x > 0 && x < 1) || i >= n || hits[i]++) return false;
  }
  return true;
}

// max_i |x_(i) - (i + 1/2)/n| * n over the sorted sample.
inline double sorted_deviation_in_strata(std::vector<double> u) {
  std::sort(u.begin(), u.end());
  const double n = static_cast<double>(u.size());
  double worst = 0;
  for (std::size_t i = 0; i < u.size(); ++i)
    worst = std::max(worst, std::fabs(u[i] - (static_cast<double>(i) + 0.5) / n) * n);
  return worst;
}

inline double mean_of(const std::vector<double>& x) {
  return std::accumulate(x.begin(), x.end(), 0.0) / static_cast<double>(x.size());
}

}  // namespace tamnhin::random::testing
