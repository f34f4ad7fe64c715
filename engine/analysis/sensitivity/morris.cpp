#include "engine/analysis/sensitivity/morris.hpp"

#include <cmath>

#include "engine/core/check.hpp"
#include "engine/random/philox.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin::analysis {

MorrisDesign morris_design(std::span<const std::size_t> factor_of, std::size_t factors,
                           std::size_t trajectories, std::size_t levels, std::uint64_t key) {
  TAMNHIN_CHECK(levels >= 2 && levels % 2 == 0);
  TAMNHIN_CHECK_LT(std::size_t{0}, factors);
  TAMNHIN_CHECK_LE(factors, std::size_t{std::numeric_limits<std::uint32_t>::max()});
  for (std::size_t f : factor_of) TAMNHIN_CHECK_LT(f, factors);
  MorrisDesign d;
  d.trajectories = trajectories;
  d.dims = factor_of.size();
  d.factors = factors;
  d.levels = levels;
  d.delta = 0.5;
  const std::size_t r = trajectories, k = factors, half = levels / 2;
  const double p = static_cast<double>(levels);
  d.order.resize(r * k);
  d.direction.resize(r * k);
  d.points.assign(k + 1, std::vector<double>(d.dims * r));
  // Independent sub-keys by role: (trajectory, coordinate or factor) is the counter.
  const std::uint64_t base_key = key ^ 0x6261736531ULL;       // "base1"
  const std::uint64_t direction_key = key ^ 0x6469726563ULL;  // "direc"
  const std::uint64_t order_key = key ^ 0x6f72646572ULL;      // "order"
  std::vector<std::size_t> level(d.dims);
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t f = 0; f < k; ++f)
      d.direction[t * k + f] =
          random::uniform(direction_key, t, static_cast<std::uint32_t>(f)) < 0.5 ? 1 : -1;
    const std::uint64_t perm_key = random::site_key(order_key, std::to_string(t));
    for (std::size_t j = 0; j < k; ++j)
      d.order[t * k + j] = random::permutation_element(static_cast<std::uint32_t>(j),
                                                       static_cast<std::uint32_t>(k), perm_key);
    // Start: a level in the lower half when the factor moves up, the upper half when down.
    for (std::size_t c = 0; c < d.dims; ++c) {
      const double u = random::uniform(base_key, t, static_cast<std::uint32_t>(c));
      const std::size_t l =
          std::min(half - 1, static_cast<std::size_t>(u * static_cast<double>(half)));
      level[c] = d.direction[t * k + factor_of[c]] > 0 ? l : l + half;
    }
    for (std::size_t j = 0; j <= k; ++j) {
      if (j > 0) {
        const std::size_t moved = d.order[t * k + j - 1];
        for (std::size_t c = 0; c < d.dims; ++c)
          if (factor_of[c] == moved)
            level[c] = d.direction[t * k + moved] > 0 ? level[c] + half : level[c] - half;
      }
      for (std::size_t c = 0; c < d.dims; ++c)
        d.points[j][c * r + t] = (static_cast<double>(level[c]) + 0.5) / p;
    }
  }
  return d;
}

std::vector<MorrisIndex> morris_indices(const MorrisDesign& design,
                                        const std::vector<std::span<const double>>& outputs) {
  const std::size_t r = design.trajectories, k = design.factors;
  TAMNHIN_CHECK_EQ(outputs.size(), k + 1);
  for (const auto& o : outputs) TAMNHIN_CHECK_EQ(o.size(), r);
  std::vector<double> sum(k, 0), sum_abs(k, 0);
  std::vector<std::vector<double>> effects(k, std::vector<double>(r));
  for (std::size_t t = 0; t < r; ++t) {
    for (std::size_t j = 0; j < k; ++j) {
      const std::size_t f = design.order[t * k + j];
      const double ee = (outputs[j + 1][t] - outputs[j][t]) / design.delta *
                        static_cast<double>(design.direction[t * k + f]);
      effects[f][t] = ee;
    }
  }
  std::vector<MorrisIndex> out(k);
  for (std::size_t f = 0; f < k; ++f) {
    double mean = 0, mean_abs = 0;
    for (double e : effects[f]) {
      mean += e;
      mean_abs += std::abs(e);
    }
    mean /= static_cast<double>(r);
    mean_abs /= static_cast<double>(r);
    double ss = 0;
    for (double e : effects[f]) ss += (e - mean) * (e - mean);
    out[f].mu = mean;
    out[f].mu_star = mean_abs;
    out[f].sigma = r > 1 ? std::sqrt(ss / static_cast<double>(r - 1)) : 0.0;
  }
  return out;
}

}  // namespace tamnhin::analysis
