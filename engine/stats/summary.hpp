// Summaries of one column of draws: mean, sample sd and "type 7" quantiles (linear
// interpolation between order statistics, the default of R and NumPy), all computed in
// draw order so the result does not depend on how the draws were computed.
#pragma once

#include <span>
#include <vector>

namespace tamnhin::stats {

struct Summary {
  double mean = 0, sd = 0, p05 = 0, p25 = 0, p50 = 0, p75 = 0, p95 = 0;
};

// Quantile p in [0,1] of already sorted values (type 7). Requires a non-empty range.
double quantile_type7(std::span<const double> sorted, double p);

// `scratch` is reused between calls to avoid allocation. sd is 0 for a single draw.
Summary summarise(std::span<const double> values, std::vector<double>& scratch);

}  // namespace tamnhin::stats
