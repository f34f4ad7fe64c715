// Sobol' first-order and total indices from the outputs of Saltelli's design
// (saltelli.hpp), with bootstrap confidence intervals and a convergence check.
//
//   V    = variance of the 2N outputs f(A), f(B) together
//   S1_i = (1/N) sum_j (f(B)_j - m) (f(AB_i)_j - f(A)_j) / V    (Saltelli et al. 2010, b)
//   ST_i = (1/2N) sum_j (f(A)_j - f(AB_i)_j)^2 / V              (Jansen 1999)
//
// S1_i is the share of the output's variance that factor i explains alone; ST_i the share
// it takes part in, interactions included (so ST_i >= S1_i up to sampling error, and
// 1 - sum S1 is the share due to interactions). The estimators are those of SALib, except
// that f(B) is centred by m, the mean of f(A) and f(B): the same estimate in expectation
// (E[f(AB_i) - f(A)] = 0), but without it the variance grows with the output's mean over
// its spread (GRDP per capita 2030 in Long An: an S1 interval 1.3 wide at N = 1024).
//
// Intervals: percentile bootstrap over the N rows (resampled with Philox-keyed indices:
// resample r takes row floor(N u(key, j, r)) as its j-th row, so the intervals are a pure
// function of the inputs and the key, whatever the thread count). Convergence: the indices
// from the first N/2 rows against those from all N; they have "settled" when no index
// moved by more than `settle_tolerance`.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <span>
#include <vector>

namespace tamnhin::analysis {

struct SobolOutputs {
  std::span<const double> a;                // f(A), N values
  std::span<const double> b;                // f(B)
  std::vector<std::span<const double>> ab;  // f(AB_i) per factor
};

struct SobolIndex {
  double s1 = 0, s1_low = 0, s1_high = 0;
  double st = 0, st_low = 0, st_high = 0;
  double s1_half = 0, st_half = 0;  // from the first N/2 rows
};

struct SobolOptions {
  std::size_t resamples = 1000;
  double confidence = 0.95;
  std::uint64_t bootstrap_key = 0;  // random::site_key(seed, "bootstrap/<output>")
  double settle_tolerance = 0.05;
  // The bootstrap shared out, between the ranks of a run (rank_split.hpp): this process
  // computes the resamples [first_resample, last_resample) only, then `share` fills in the
  // others' values (`width` per resample, resample-major) from the processes that computed
  // them. Each resample is a function of (key, r) alone, so the split changes no number.
  // Unset: every resample here.
  std::size_t first_resample = 0;
  std::size_t last_resample = static_cast<std::size_t>(-1);
  std::function<void(std::span<double> values, std::size_t width)> share;
};

struct SobolResult {
  std::vector<SobolIndex> factors;
  double variance = 0;    // V; when 0 the indices are undefined (NaN)
  double max_change = 0;  // largest |index(N) - index(N/2)| over S1 and ST
  bool settled = false;   // max_change <= settle_tolerance
};

// The fewest rows the estimators accept: the bootstrap and the N/2 check need enough rows
// for a resample to differ from the sample and for N/2 to estimate anything.
inline constexpr std::size_t kMinSobolSamples = 64;

struct SobolPoint {
  double s1 = 0, st = 0;
};

// Point estimates from rows `rows` (indices into the N rows; repeated rows allowed).
// variance_out receives V of those rows.
std::vector<SobolPoint> sobol_point_estimates(const SobolOutputs& y,
                                              std::span<const std::size_t> rows,
                                              double* variance_out = nullptr);

// Everything: estimates, intervals, convergence. Parallel over resamples (oneTBB).
SobolResult sobol_indices(const SobolOutputs& y, const SobolOptions& options);

}  // namespace tamnhin::analysis
