// Parameter sampling designs (mc, lhs, sobol) and their correlation treatment. Every
// value is a function of (seed, parameter name, draw), computed in fixed-size chunks of
// draws, so the result does not depend on the number of threads.
#include "engine/random/sampling.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <boost/random/sobol.hpp>
#include <cmath>
#include <limits>

#include "engine/core/check.hpp"
#include "engine/random/correlation.hpp"
#include "engine/random/detail_bits.hpp"
#include "engine/random/detail_iman_conover.hpp"
#include "engine/random/philox.hpp"

namespace tamnhin::random {

std::uint32_t permutation_element(std::uint32_t i, std::uint32_t n, std::uint64_t key) {
  TAMNHIN_CHECK_LT(i, n);
  // Kensler (2013), "Correlated Multi-Jittered Sampling", as in pbrt-v4's
  // PermutationElement: an invertible hash on the smallest power-of-two domain covering n,
  // applied repeatedly until it lands in [0, n) (cycle walking), then rotated by p.
  const auto p = static_cast<std::uint32_t>(key ^ (key >> 32));  // 32-bit seed from the key
  std::uint32_t w = n - 1;
  w |= w >> 1;
  w |= w >> 2;
  w |= w >> 4;
  w |= w >> 8;
  w |= w >> 16;
  do {
    i ^= p;
    i *= 0xe170893d;
    i ^= p >> 16;
    i ^= (i & w) >> 4;
    i ^= p >> 8;
    i *= 0x0929eb3f;
    i ^= p >> 23;
    i ^= (i & w) >> 1;
    i *= 1 | p >> 27;
    i *= 0x6935fa69;
    i ^= (i & w) >> 11;
    i *= 0x74dcb303;
    i ^= (i & w) >> 2;
    i *= 0x9e501cc3;
    i ^= (i & w) >> 2;
    i *= 0xc860a3df;
    i &= w;
    i ^= i >> 5;
  } while (i >= n);
  return static_cast<std::uint32_t>((std::uint64_t{i} + p) % n);
}

namespace {

// Draws per parallel task. Fixed, so the work split never depends on the thread count
// (it would not matter for the values anyway: each is a pure function of its draw).
constexpr std::size_t kChunk = 2048;

// A correlation group restricted to its random members (constants carry no randomness).
struct Group {
  std::vector<std::size_t> members;
  std::vector<double> factor;  // k*k row-major, F F^T = the members' sub-matrix
};

std::vector<Group> prepare_groups(std::span<const ParamSpecForSampling> params,
                                  std::span<const CorrelationGroup> correlations) {
  std::vector<Group> groups;
  std::vector<bool> grouped(params.size(), false);
  for (const CorrelationGroup& g : correlations) {
    const std::size_t k = g.members.size();
    TAMNHIN_CHECK_EQ(g.matrix.size(), k * k);
    std::vector<std::size_t> keep;  // positions within g.members of random members
    for (std::size_t i = 0; i < k; ++i) {
      const std::size_t p = g.members[i];
      TAMNHIN_CHECK_LT(p, params.size());
      TAMNHIN_CHECK(!grouped[p]);  // a parameter belongs to at most one group
      grouped[p] = true;
      if (params[p].marginal.is_random()) keep.push_back(i);
    }
    if (keep.size() < 2) continue;  // nothing left to correlate
    std::vector<double> sub(keep.size() * keep.size());
    for (std::size_t r = 0; r < keep.size(); ++r)
      for (std::size_t c = 0; c < keep.size(); ++c)
        sub[r * keep.size() + c] = g.matrix[keep[r] * k + keep[c]];
    auto factor = correlation_factor(sub, keep.size());
    TAMNHIN_CHECK(factor.has_value());  // the model validated the matrix as PSD
    Group out{{}, std::move(*factor)};
    for (std::size_t i : keep) out.members.push_back(g.members[i]);
    groups.push_back(std::move(out));
  }
  return groups;
}

// The draws [first, first + count) of a run, and where each parameter's values for them
// are kept: values[p * count + (d - first)].
struct Window {
  std::size_t first, count;
  double* values;
  double& at(std::size_t p, std::size_t d) const { return values[p * count + (d - first)]; }
  double* column(std::size_t p) const { return values + p * count; }
};

// fn(begin, end) over the window's draws in chunks of kChunk draws counted from draw 0 of
// the run, so a chunk is the same draws whichever window holds it.
template <typename Fn>
void for_each_chunk(const Window& w, Fn&& fn) {
  const std::size_t end = w.first + w.count;
  const std::size_t first_chunk = w.first / kChunk;
  const std::size_t chunks = (end + kChunk - 1) / kChunk - first_chunk;
  const auto run = [&](std::size_t c) {  // the window's part of chunk first_chunk + c
    const std::size_t chunk = first_chunk + c;
    fn(std::max(w.first, chunk * kChunk), std::min(end, (chunk + 1) * kChunk));
  };
  if (w.count <= kChunk) {  // a streamed chunk's window, inside a parallel task already
    for (std::size_t c = 0; c < chunks; ++c) run(c);
    return;
  }
  tbb::parallel_for(
      tbb::blocked_range<std::size_t>(0, chunks, 1),
      [&](const tbb::blocked_range<std::size_t>& r) {
        for (std::size_t c = r.begin(); c != r.end(); ++c) run(c);
      },
      tbb::simple_partitioner());
}

// Standard normal CDF through erfc, kept inside the open interval (0,1) so every
// marginal's quantile stays finite.
double normal_cdf_open(double z) {
  const double u = 0.5 * boost::math::erfc(-z * 0.70710678118654752440);
  return std::clamp(u, std::numeric_limits<double>::min(), detail::kOneBelow);
}

// Gaussian copula over one chunk: z = Phi^-1(u), z' = F z, u' = Phi(z').
void apply_copula(const Group& g, const Window& u, std::size_t begin, std::size_t end) {
  const std::size_t k = g.members.size();
  std::vector<double> z(k);
  for (std::size_t d = begin; d < end; ++d) {
    for (std::size_t i = 0; i < k; ++i) z[i] = inverse_normal_cdf(u.at(g.members[i], d));
    for (std::size_t i = 0; i < k; ++i) {
      double zi = 0.0;
      for (std::size_t j = 0; j < k; ++j) zi += g.factor[i * k + j] * z[j];
      u.at(g.members[i], d) = normal_cdf_open(zi);
    }
  }
}

// Sobol points for draws [begin, end). Draw 0 takes the origin and draw d > 0 the point
// Boost's sequence gives after seed(d - 1) (Boost's engine itself starts after the
// origin). Keeping the origin makes the first 2^m draws a (0, m, s)-net, so each
// parameter has exactly one draw in each of 2^m equal strata (Owen 2020, "On dropping the
// first Sobol' point"); the random digital shift (XOR) per dimension moves the origin
// away from 0 and preserves that property. Boost's default table covers 3667 dimensions.
void sobol_chunk(std::span<const std::size_t> random_params, std::span<const std::uint64_t> shift,
                 const Window& u, std::size_t begin, std::size_t end) {
  std::size_t d = begin;
  if (d == 0 && d < end) {
    for (std::size_t j = 0; j < random_params.size(); ++j)
      u.at(random_params[j], 0) = detail::u01_from_bits(shift[j]);
    ++d;
  }
  if (d >= end) return;
  boost::random::sobol engine(random_params.size());
  engine.seed(static_cast<boost::random::sobol::result_type>(d - 1));
  for (; d < end; ++d)
    for (std::size_t j = 0; j < random_params.size(); ++j)
      u.at(random_params[j], d) = detail::u01_from_bits(engine() ^ shift[j]);
}

}  // namespace

namespace {

// sample_parameters' values for the window's draws (all of them for lhs).
void sample_window(std::span<const ParamSpecForSampling> params,
                   std::span<const CorrelationGroup> correlations, SamplingDesign design,
                   std::uint64_t seed, std::size_t draws, const Window& window) {
  const std::vector<Group> groups = prepare_groups(params, correlations);
  if (window.count == 0) return;
  if (design == SamplingDesign::lhs)
    TAMNHIN_CHECK_LE(draws, std::size_t{std::numeric_limits<std::uint32_t>::max()});

  // Keys by name (never by position), computed once. `stream` is the design's main key:
  // "param/<name>" (mc), "lhs/<name>" (lhs permutation), "sobol/<name>" (digital shift).
  std::vector<std::size_t> random_params;
  std::vector<std::uint64_t> stream, jitter;
  const std::string prefix = design_info(design).site_prefix;
  for (std::size_t p = 0; p < params.size(); ++p) {
    if (params[p].marginal.is_random()) random_params.push_back(p);
  }
  // Sobol dimensions go to the random parameters in name order, so reordering a model
  // file changes nothing (adding a parameter can still move later dimensions: a Sobol
  // point is joint across dimensions).
  std::sort(random_params.begin(), random_params.end(),
            [&](std::size_t a, std::size_t b) { return params[a].name < params[b].name; });
  for (std::size_t p : random_params) {
    stream.push_back(site_key(seed, prefix + params[p].name));
    if (design == SamplingDesign::lhs)
      jitter.push_back(site_key(seed, "lhs-jitter/" + params[p].name));
  }

  // Pass 1: uniforms in (0,1) for every random parameter (and, for mc and sobol, the
  // Gaussian copula, which only mixes values of the same draw).
  const auto n32 = static_cast<std::uint32_t>(
      std::min<std::size_t>(draws, std::numeric_limits<std::uint32_t>::max()));
  const auto n_real = static_cast<double>(draws);
  for_each_chunk(window, [&](std::size_t begin, std::size_t end) {
    if (design == SamplingDesign::sobol) {
      if (!random_params.empty()) sobol_chunk(random_params, stream, window, begin, end);
    } else {
      for (std::size_t j = 0; j < random_params.size(); ++j) {
        double* col = &window.at(random_params[j], begin);
        if (design == SamplingDesign::mc) {
          uniforms(stream[j], 0, begin, end - begin, col);
          continue;
        }
        // lhs: stratum permutation_element(d) of N, jittered inside the stratum. The
        // clamp catches (N - 1 + j) / N rounding up to 1 when j is within 2^-53 of 1.
        uniforms(jitter[j], 0, begin, end - begin, col);
        for (std::size_t d = begin; d < end; ++d) {
          const std::uint32_t stratum =
              permutation_element(static_cast<std::uint32_t>(d), n32, stream[j]);
          col[d - begin] =
              std::min((static_cast<double>(stratum) + col[d - begin]) / n_real, detail::kOneBelow);
        }
      }
    }
    if (design != SamplingDesign::lhs)
      for (const Group& g : groups) apply_copula(g, window, begin, end);
  });

  // Pass 2 (lhs): rank correlation by reordering whole columns, group by group.
  if (design == SamplingDesign::lhs) {
    for (const Group& g : groups) {
      std::vector<double*> columns;
      std::vector<std::uint64_t> keys;
      for (std::size_t p : g.members) {
        columns.push_back(window.column(p));
        keys.push_back(site_key(seed, "lhs-ic/" + params[p].name));
      }
      detail::iman_conover(columns, keys, g.factor, draws);
    }
  }

  // Pass 3: the marginals' inverse CDFs, in place; constants are their value.
  std::vector<QuantileFunction> quantiles;
  for (const ParamSpecForSampling& p : params) quantiles.emplace_back(p.marginal);
  for_each_chunk(window, [&](std::size_t begin, std::size_t end) {
    for (std::size_t p = 0; p < params.size(); ++p) {
      const Marginal& m = params[p].marginal;
      double* col = &window.at(p, begin);
      if (!m.is_random()) {
        std::fill(col, col + (end - begin), m.a);
        continue;
      }
      quantiles[p].apply(col, end - begin);
    }
  });
}

}  // namespace

ParamDraws sample_parameters(std::span<const ParamSpecForSampling> params,
                             std::span<const CorrelationGroup> correlations, SamplingDesign design,
                             std::uint64_t seed, std::size_t draws) {
  ParamDraws out;
  out.params = params.size();
  out.draws = draws;
  out.values.assign(params.size() * draws, 0.0);
  sample_window(params, correlations, design, seed, draws, {0, draws, out.values.data()});
  return out;
}

ParamDraws sample_parameter_window(std::span<const ParamSpecForSampling> params,
                                   std::span<const CorrelationGroup> correlations,
                                   SamplingDesign design, std::uint64_t seed, std::size_t draws,
                                   std::size_t first, std::size_t count) {
  TAMNHIN_CHECK(design_info(design).per_draw);
  TAMNHIN_CHECK_LE(first, draws);
  TAMNHIN_CHECK_LE(count, draws - first);
  ParamDraws out;
  out.params = params.size();
  out.draws = count;
  out.first_draw = first;
  out.values.assign(params.size() * count, 0.0);
  sample_window(params, correlations, design, seed, draws, {first, count, out.values.data()});
  return out;
}

}  // namespace tamnhin::random
