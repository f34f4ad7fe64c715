#include "engine/stats/column_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>

#include "engine/core/check.hpp"
#include "engine/core/portable_math_lanes.hpp"
#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"

namespace tamnhin::stats {

namespace {

// Standard deviations of a wanted rank's position kept on each side when narrowing, and a
// few ranks more for the two neighbours type 7 reads and for rounding.
constexpr double kMarginSds = 6.0;
constexpr double kMarginRanks = 8.0;

// The first order statistic (0-based) a type-7 quantile at p reads among n draws; it also
// reads the next one.
std::uint64_t lower_rank(std::size_t n, double p) {
  return static_cast<std::uint64_t>(std::floor(static_cast<double>(n - 1) * p));
}

// What one interval makes of a chunk: draws below lo, at lo and at hi; the draws strictly
// inside are appended to `kept` in draw order.
struct Tally {
  std::uint64_t below = 0, at_lo = 0, at_hi = 0;
};

// W draws at a time (vector extensions; a compare gives -1 or 0 per lane). An interval holds
// a few per cent of the draws once narrowed, so the branch that keeps is rarely taken. This
// loop, once per interval (about five) and column, is most of what streaming adds to the
// simulation: built for SSE2 (W = 2) and AVX2 (W = 4), chosen once at run time; the counts
// and the kept draws are the same either way.
// Lanes of W doubles and their compare masks (GCC ignores vector_size on an alias that
// depends on a template parameter, hence the specialisations).
template <std::size_t W>
struct Lanes;
template <>
struct Lanes<2> {
  using V = double __attribute__((vector_size(16)));
  using M = long long __attribute__((vector_size(16)));
};
template <>
struct Lanes<4> {
  using V = double __attribute__((vector_size(32)));
  using M = long long __attribute__((vector_size(32)));
};

template <std::size_t W>
[[gnu::always_inline]] inline Tally tally_lanes(const double* x, std::size_t n, double lo,
                                                double hi, std::vector<double>& kept) {
  using V = typename Lanes<W>::V;
  using M = typename Lanes<W>::M;
  const V l = V{} + lo, h = V{} + hi;
  M below{}, at_lo{}, at_hi{};
  std::size_t d = 0;
  for (; d + W <= n; d += W) {
    V v;
    std::memcpy(&v, x + d, sizeof v);
    below -= v < l;
    at_lo -= v == l;
    at_hi -= v == h;
    const M inside = (v > l) & (v < h);
    long long any = 0;
    for (std::size_t i = 0; i < W; ++i) any |= inside[i];
    if (any != 0) {
      for (std::size_t i = 0; i < W; ++i)
        if (inside[i] != 0) kept.push_back(v[i]);
    }
  }
  Tally t;
  for (; d < n; ++d) {
    const double v = x[d];
    t.below += v < lo ? 1 : 0;
    t.at_lo += v == lo ? 1 : 0;
    t.at_hi += v == hi ? 1 : 0;
    if (v > lo && v < hi) kept.push_back(v);
  }
  for (std::size_t i = 0; i < W; ++i) {
    t.below += static_cast<std::uint64_t>(below[i]);
    t.at_lo += static_cast<std::uint64_t>(at_lo[i]);
    t.at_hi += static_cast<std::uint64_t>(at_hi[i]);
  }
  return t;
}

Tally tally_generic(const double* x, std::size_t n, double lo, double hi,
                    std::vector<double>& kept) {
  return tally_lanes<2>(x, n, lo, hi, kept);
}

[[gnu::target("avx2")]] Tally tally_avx2(const double* x, std::size_t n, double lo, double hi,
                                         std::vector<double>& kept) {
  return tally_lanes<4>(x, n, lo, hi, kept);
}

Tally tally(const double* x, std::size_t n, double lo, double hi, std::vector<double>& kept) {
  return pmath::has_avx2() ? tally_avx2(x, n, lo, hi, kept) : tally_generic(x, n, lo, hi, kept);
}

}  // namespace

double ColumnStream::Interval::value_at(std::uint64_t k, std::size_t from) {
  if (k < at_lo) return lo;
  k -= at_lo;
  if (k >= kept.size()) return hi;
  auto* base = kept.data();
  std::nth_element(base + std::min<std::size_t>(from, k), base + k, base + kept.size());
  return base[k];
}

ColumnStream::ColumnStream(std::size_t total_draws) : total_(total_draws) {
  TAMNHIN_CHECK(total_draws > 0);
  constexpr double inf = std::numeric_limits<double>::infinity();
  intervals_.push_back({-inf, inf, 0, 0, 0, {}});
}

std::size_t ColumnStream::kept_values() const {
  std::size_t k = 0;
  for (const Interval& in : intervals_) k += in.kept.size();
  return k;
}

void ColumnStream::contribute(std::span<const double> chunk, ChunkContribution& out) const {
  TAMNHIN_CHECK(!chunk.empty());
  const std::size_t n = chunk.size();
  out.n = n;
  const detail::ColumnMoments m = detail::column_moments(chunk);
  out.mean = m.mean;
  out.m2 = m.m2;
  out.kept.clear();
  const std::size_t count = intervals_.size();
  out.below.resize(count);
  out.at_lo.resize(count);
  out.at_hi.resize(count);
  for (std::size_t j = 0; j < count; ++j) {
    const double lo = intervals_[j].lo, hi = intervals_[j].hi;
    const Tally t = tally(chunk.data(), n, lo, hi, out.kept);
    out.below[j] = t.below;
    out.at_lo[j] = t.at_lo;
    out.at_hi[j] = lo == hi ? 0 : t.at_hi;
  }
}

void ColumnStream::absorb(const ChunkContribution& c) {
  TAMNHIN_CHECK_EQ(c.below.size(), intervals_.size());
  TAMNHIN_CHECK_LE(n_ + c.n, total_);
  if (n_ == 0) {
    mean_ = c.mean;
    m2_ = c.m2;
  } else {
    // Chan, Golub and LeVeque: the union of two sets from their means and sums of squares.
    const double na = static_cast<double>(n_), nb = static_cast<double>(c.n);
    const double n = na + nb;
    const double delta = c.mean - mean_;
    mean_ += delta * (nb / n);
    m2_ += c.m2 + delta * delta * (na * nb / n);
  }
  n_ += c.n;
  for (std::size_t j = 0; j < intervals_.size(); ++j) {
    Interval& in = intervals_[j];
    in.below += c.below[j];
    in.at_lo += c.at_lo[j];
    in.at_hi += c.at_hi[j];
  }
  // Each kept draw is strictly inside exactly one interval (they are ascending and apart);
  // contribute() grouped them by interval.
  std::size_t j = 0;
  for (double v : c.kept) {
    while (!(v < intervals_[j].hi)) ++j;
    intervals_[j].kept.push_back(v);
  }
}

void ColumnStream::narrow() {
  if (n_ == 0) return;
  // Ranks among the n_ draws seen where each wanted rank is expected, with the margin;
  // overlapping ranges are merged.
  std::vector<std::pair<std::uint64_t, std::uint64_t>> want;  // inclusive, ascending
  const double seen = static_cast<double>(n_);
  for (double p : detail::kSummaryProbabilities) {
    const double centre =
        static_cast<double>(lower_rank(total_, p)) * seen / static_cast<double>(total_);
    const double half = kMarginSds * std::sqrt(seen * p * (1 - p)) + kMarginRanks;
    const double a = std::max(0.0, std::floor(centre - half));
    const double b = std::min(seen - 1, std::ceil(centre + 1 + half));
    const auto ra = static_cast<std::uint64_t>(a), rb = static_cast<std::uint64_t>(b);
    if (!want.empty() && ra <= want.back().second + 1)
      want.back().second = std::max(want.back().second, rb);
    else
      want.emplace_back(ra, rb);
  }
  std::vector<Interval> narrowed;
  for (Interval& in : intervals_) {
    const std::uint64_t first = in.below, count = in.size();
    if (count == 0) continue;
    // The value ranges [lo, hi] the wanted ranks ask for inside this interval, merged when
    // they touch (a tie at an edge must not be split between two intervals).
    std::vector<std::pair<double, double>> ranges;
    for (const auto& [a, b] : want) {
      if (b < first || a >= first + count) continue;
      const std::uint64_t la = std::max(a, first) - first;
      const double lo = in.value_at(la);
      // Everything past lo's place in `kept` is now at least lo: select hi among those.
      const std::size_t placed = la > in.at_lo ? la - in.at_lo : 0;
      const double hi = in.value_at(std::min(b, first + count - 1) - first, placed);
      if (!ranges.empty() && lo <= ranges.back().second)
        ranges.back().second = std::max(ranges.back().second, hi);
      else
        ranges.emplace_back(lo, hi);
    }
    // Draws of `in` below x and equal to x (lo <= x <= hi: the edges' copies are neither
    // inside a narrower range nor split).
    const auto tally = [&](double x, std::uint64_t& less, std::uint64_t& equal) {
      less = (in.lo < x ? in.at_lo : 0) + (in.hi < x ? in.at_hi : 0);
      equal = (in.lo == x ? in.at_lo : 0) + (in.hi == x ? in.at_hi : 0);
      for (double v : in.kept) {
        less += v < x ? 1 : 0;
        equal += v == x ? 1 : 0;
      }
    };
    for (const auto& [lo, hi] : ranges) {
      Interval out{lo, hi, 0, 0, 0, {}};
      std::uint64_t less = 0, unused = 0;
      tally(lo, less, out.at_lo);
      out.below = first + less;
      if (hi > lo) tally(hi, unused, out.at_hi);
      std::size_t inside = 0;
      for (double v : in.kept) inside += (v > lo && v < hi) ? 1 : 0;
      // Room for the draws the next round brings in (about as many again).
      out.kept.reserve(2 * inside + 16);
      for (double v : in.kept) {
        if (v > lo && v < hi) out.kept.push_back(v);
      }
      narrowed.push_back(std::move(out));
    }
  }
  intervals_ = std::move(narrowed);
}

bool ColumnStream::finish(Summary& out) {
  TAMNHIN_CHECK_EQ(n_, total_);
  out.mean = mean_;
  out.sd = n_ > 1 ? std::sqrt(std::max(m2_, 0.0) / static_cast<double>(n_ - 1)) : 0.0;
  // The order statistic of rank r, or false when no interval holds it.
  const auto statistic = [&](std::uint64_t r, double& value) {
    for (Interval& in : intervals_) {
      if (r < in.below || r >= in.below + in.size()) continue;
      value = in.value_at(r - in.below);
      return true;
    }
    return false;
  };
  // As detail::type7_quantiles, so the numbers are those of the in-memory summary.
  std::array<double, 5> q{};
  for (std::size_t i = 0; i < q.size(); ++i) {
    const double h = static_cast<double>(n_ - 1) * detail::kSummaryProbabilities[i];
    const double lo_floor = std::floor(h);
    const auto lo = static_cast<std::uint64_t>(lo_floor);
    const double fraction = h - lo_floor;
    double a = 0, b = 0;
    if (!statistic(lo, a)) return false;
    if (fraction == 0.0 || lo + 1 >= n_) {
      q[i] = a;
      continue;
    }
    if (!statistic(lo + 1, b)) return false;
    q[i] = detail::type7_between(a, b, fraction);
  }
  out.p05 = q[0];
  out.p25 = q[1];
  out.p50 = q[2];
  out.p75 = q[3];
  out.p95 = q[4];
  return true;
}

}  // namespace tamnhin::stats
