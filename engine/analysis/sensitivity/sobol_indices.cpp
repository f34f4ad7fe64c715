#include "engine/analysis/sensitivity/sobol_indices.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "engine/core/check.hpp"
#include "engine/random/philox.hpp"

namespace tamnhin::analysis {

namespace {

constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

// Percentile of sorted values, linear between order statistics (R's type 7).
double percentile(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return kNaN;
  const double h = p * static_cast<double>(sorted.size() - 1);
  const auto lo = static_cast<std::size_t>(std::floor(h));
  const std::size_t hi = std::min(lo + 1, sorted.size() - 1);
  return sorted[lo] + (h - static_cast<double>(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

std::vector<SobolPoint> sobol_point_estimates(const SobolOutputs& y,
                                              std::span<const std::size_t> rows,
                                              double* variance_out) {
  const std::size_t k = y.ab.size();
  const auto n = static_cast<double>(rows.size());
  // Variance of f(A) and f(B) pooled (2n values), two-pass for accuracy.
  double mean = 0;
  for (std::size_t j : rows) mean += y.a[j] + y.b[j];
  mean /= 2 * n;
  double var = 0;
  for (std::size_t j : rows) {
    const double da = y.a[j] - mean, db = y.b[j] - mean;
    var += da * da + db * db;
  }
  var /= 2 * n;
  if (variance_out != nullptr) *variance_out = var;
  std::vector<SobolPoint> out(k);
  for (std::size_t i = 0; i < k; ++i) {
    const std::span<const double> abi = y.ab[i];
    double first = 0, total = 0;
    for (std::size_t j : rows) {
      first += (y.b[j] - mean) * (abi[j] - y.a[j]);
      const double d = y.a[j] - abi[j];
      total += d * d;
    }
    if (var > 0) {
      out[i].s1 = first / n / var;
      out[i].st = total / (2 * n) / var;
    } else {
      out[i].s1 = out[i].st = kNaN;
    }
  }
  return out;
}

SobolResult sobol_indices(const SobolOutputs& y, const SobolOptions& options) {
  const std::size_t n = y.a.size();
  const std::size_t k = y.ab.size();
  TAMNHIN_CHECK_EQ(y.b.size(), n);
  for (const auto& abi : y.ab) TAMNHIN_CHECK_EQ(abi.size(), n);
  TAMNHIN_CHECK_LE(kMinSobolSamples, n);
  TAMNHIN_CHECK_LE(std::size_t{2}, options.resamples);
  SobolResult result;
  result.factors.resize(k);

  std::vector<std::size_t> all(n);
  std::iota(all.begin(), all.end(), std::size_t{0});
  const std::vector<SobolPoint> full = sobol_point_estimates(y, all, &result.variance);
  const std::vector<SobolPoint> half =
      sobol_point_estimates(y, std::span<const std::size_t>(all).first(n / 2));

  // Bootstrap: resample r is computed from (key, r) alone, so the result does not depend
  // on the scheduling of the parallel loop.
  const std::size_t resamples = options.resamples;
  std::vector<double> s1(resamples * k), st(resamples * k);  // resample-major
  const std::size_t last = std::min(options.last_resample, resamples);
  TAMNHIN_CHECK_LE(options.first_resample, last);
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(options.first_resample, last),
      [&](const tbb::blocked_range<std::size_t>& range) {
        std::vector<double> u(n);
        std::vector<std::size_t> rows(n);
        for (std::size_t r = range.begin(); r != range.end(); ++r) {
          random::uniforms(options.bootstrap_key, static_cast<std::uint32_t>(r), 0, n, u.data());
          for (std::size_t j = 0; j < n; ++j)
            rows[j] = std::min(n - 1, static_cast<std::size_t>(u[j] * static_cast<double>(n)));
          const std::vector<SobolPoint> e = sobol_point_estimates(y, rows);
          for (std::size_t i = 0; i < k; ++i) {
            s1[r * k + i] = e[i].s1;
            st[r * k + i] = e[i].st;
          }
        }
      });
  if (options.share) {
    options.share(s1, k);
    options.share(st, k);
  }

  const double tail = (1 - options.confidence) / 2;
  std::vector<double> sorted;
  for (std::size_t i = 0; i < k; ++i) {
    SobolIndex& f = result.factors[i];
    f.s1 = full[i].s1;
    f.st = full[i].st;
    f.s1_half = half[i].s1;
    f.st_half = half[i].st;
    if (!(result.variance > 0)) {
      f.s1_low = f.s1_high = f.st_low = f.st_high = kNaN;
      continue;
    }
    // A resample whose outputs happen to be all equal (a rare binary output) has no
    // variance and no indices; the interval is taken over the others.
    const auto finite_sorted = [&](const std::vector<double>& values) {
      sorted.clear();
      for (std::size_t r = 0; r < resamples; ++r)
        if (std::isfinite(values[r * k + i])) sorted.push_back(values[r * k + i]);
      std::sort(sorted.begin(), sorted.end());
      return sorted;
    };
    const std::vector<double> s1_sorted = finite_sorted(s1);
    f.s1_low = percentile(s1_sorted, tail);
    f.s1_high = percentile(s1_sorted, 1 - tail);
    const std::vector<double> st_sorted = finite_sorted(st);
    f.st_low = percentile(st_sorted, tail);
    f.st_high = percentile(st_sorted, 1 - tail);
    result.max_change =
        std::max({result.max_change, std::abs(f.s1 - f.s1_half), std::abs(f.st - f.st_half)});
  }
  result.settled = result.variance > 0 && result.max_change <= options.settle_tolerance;
  return result;
}

}  // namespace tamnhin::analysis
