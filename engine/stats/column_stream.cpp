#include "engine/stats/column_stream.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstring>
#include <limits>
#include <utility>

#include "engine/core/check.hpp"
#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/detail_tally.hpp"

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

// The tally's two passes (detail_tally.hpp): the intervals, ascending and apart, and
// what draws add to each: draws below lo, equal to lo, equal to hi (when hi > lo).
using detail::Bounds;
struct Counts {
  std::uint64_t* below;
  std::uint64_t* at_lo;
  std::uint64_t* at_hi;
};

// The second pass: the interval of each near draw (the number of hi's below it), ties with
// an edge counted, the others handed to keep(interval, draw).
template <class Keep>
void place(const double* near, std::size_t count, Bounds b, Counts c, Keep keep) {
  for (std::size_t i = 0; i < count; ++i) {
    const double v = near[i];
    std::size_t j = 0;
    for (std::size_t k = 0; k < b.count; ++k) j += v > b.hi[k] ? 1 : 0;
    if (v == b.lo[j])
      ++c.at_lo[j];
    else if (v == b.hi[j])
      ++c.at_hi[j];
    else
      keep(j, v);
  }
}

// A chunk's mean and sum of squared deviations in one pass over it, about its first draw
// k: r = sum (v - k) and q = sum (v - k)^2 in eight lanes (draw d in lane d mod 8, four
// vectors, so the sums do not wait on each other), then mean = k + r / n and m2 = q - r^2 / n.
// The shift keeps q - r^2 / n from cancelling: k is a draw of the chunk, within a few sds of
// its mean. The column_moments of the in-memory summary takes two passes whose sums wait
// on each other, for bits that do not depend on how a column is split; a chunk is merged
// by Chan's update anyway, so its own sums need only be accurate (column_stream.hpp's
// bound, tested). A constant chunk gives exactly its value and 0. One build for every CPU:
// the same operations in the same order, so the same bits.
void chunk_moments(std::span<const double> chunk, double& mean, double& m2) {
  // Two-lane vectors, native to every x86-64 build, keep the sums in registers (GCC keeps
  // wider generic vectors in memory without AVX).
  using Lanes2 = double __attribute__((vector_size(16)));
  constexpr std::size_t kLanes = 8;
  const std::size_t n = chunk.size();
  const double* __restrict x = chunk.data();
  const double k = x[0];
  const Lanes2 k2 = Lanes2{} + k;
  Lanes2 r0{}, r1{}, r2{}, r3{}, q0{}, q1{}, q2{}, q3{};
  const auto step = [&](const double* at, Lanes2& r, Lanes2& q) {
    Lanes2 v;
    std::memcpy(&v, at, sizeof v);
    const Lanes2 dev = v - k2;
    r += dev;
    q += dev * dev;
  };
  std::size_t d = 0;
  for (; d + kLanes <= n; d += kLanes) {
    step(x + d, r0, q0);
    step(x + d + 2, r1, q1);
    step(x + d + 4, r2, q2);
    step(x + d + 6, r3, q3);
  }
  const Lanes2 r_lanes = (r0 + r1) + (r2 + r3), q_lanes = (q0 + q1) + (q2 + q3);
  std::array<double, 2> rl{}, ql{};
  std::memcpy(rl.data(), &r_lanes, sizeof r_lanes);
  std::memcpy(ql.data(), &q_lanes, sizeof q_lanes);
  double r = rl[0] + rl[1], q = ql[0] + ql[1];
  for (; d < n; ++d) {
    const double dev = x[d] - k;
    r += dev;
    q += dev * dev;
  }
  const auto count = static_cast<double>(n);
  mean = k + r / count;
  m2 = std::max(0.0, q - r * r / count);
}

}  // namespace

void ColumnStream::Interval::values_at(std::span<const std::uint64_t> ranks, double* out) const {
  // The ranks that fall in `kept`, as indices there, found by the bucket selection of the
  // in-memory summaries (detail_order_statistics.hpp: a few vectorised passes, whatever the
  // number of ranks), which leaves `kept` as it is.
  thread_local std::vector<std::size_t> at;
  thread_local std::vector<double> found, scratch;
  at.clear();
  for (std::uint64_t k : ranks) {
    if (k < at_lo || k - at_lo >= kept.size()) continue;
    if (at.empty() || at.back() < k - at_lo) at.push_back(k - at_lo);
  }
  found.resize(at.size());
  if (!at.empty()) detail::order_statistics(kept, at, found, scratch);
  for (std::size_t i = 0; i < ranks.size(); ++i) {
    const std::uint64_t k = ranks[i];
    if (k < at_lo) {
      out[i] = lo;
    } else if (k - at_lo >= kept.size()) {
      out[i] = hi;
    } else {
      const auto where = std::lower_bound(at.begin(), at.end(), k - at_lo) - at.begin();
      out[i] = found[static_cast<std::size_t>(where)];
    }
  }
}

ColumnStream::ColumnStream(std::size_t total_draws) : total_(total_draws) {
  TAMNHIN_CHECK(total_draws > 0);
  constexpr double inf = std::numeric_limits<double>::infinity();
  intervals_.push_back({-inf, inf, 0, 0, 0, {}});
  lo_.push_back(-inf);
  hi_.push_back(inf);
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
  const std::size_t count = intervals_.size();
  out.below.assign(count, 0);
  out.at.assign(count, 0);
  thread_local std::vector<double> near;
  if (near.size() < detail::near_room(n, count)) near.resize(detail::near_room(n, count));
  const std::size_t found = detail::near_draws(chunk.data(), n, {lo_.data(), hi_.data(), count},
                                               out.below.data(), out.at.data(), near.data());
  out.near.assign(near.data(), near.data() + found);
  chunk_moments(chunk, out.mean, out.m2);
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
  const std::size_t count = intervals_.size();
  for (std::size_t j = 0; j < count; ++j) {
    intervals_[j].below += c.below[j];
    intervals_[j].at_lo += c.at[j];
  }
  // One interval (the whole line until the first narrowing: every draw is near): when no
  // draw ties with its edges, all are kept, in one copy.
  if (count == 1) {
    Interval& in = intervals_[0];
    std::size_t ties = 0;
    for (double v : c.near) ties += ((v == in.lo) | (v == in.hi)) ? 1 : 0;
    if (ties == 0) {
      in.kept.insert(in.kept.end(), c.near.begin(), c.near.end());
      return;
    }
  }
  // The second pass of the tally (place() above, on the intervals themselves).
  for (double v : c.near) {
    std::size_t j = 0;
    for (std::size_t k = 0; k < count; ++k) j += v > hi_[k] ? 1 : 0;
    Interval& in = intervals_[j];
    if (v == in.lo)
      ++in.at_lo;
    else if (v == in.hi)
      ++in.at_hi;
    else
      in.kept.push_back(v);
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
  thread_local std::vector<std::uint64_t> ranks;
  thread_local std::vector<double> values;
  // Per new interval of `in`: its bounds and counts.
  thread_local std::vector<double> lo, hi;
  thread_local std::vector<std::uint64_t> below, at_lo, at_hi;
  thread_local std::vector<double> near;
  thread_local std::vector<std::uint64_t> inside;
  thread_local std::vector<std::pair<std::uint32_t, double>> where;
  for (Interval& in : intervals_) {
    const std::uint64_t first = in.below, count = in.size();
    if (count == 0) continue;
    // The interval's ranks the wanted ranges ask for (ascending), found all at once.
    ranks.clear();
    for (const auto& [a, b] : want) {
      if (b < first || a >= first + count) continue;
      ranks.push_back(std::max(a, first) - first);
      ranks.push_back(std::min(b, first + count - 1) - first);
    }
    if (ranks.empty()) continue;
    values.resize(ranks.size());
    in.values_at(ranks, values.data());
    // The value ranges [lo, hi] at those ranks, merged when they touch (a tie at an edge must
    // not be split between two intervals).
    lo.clear();
    hi.clear();
    for (std::size_t r = 0; r < ranks.size(); r += 2) {
      const double a = values[r], b = values[r + 1];
      if (!lo.empty() && a <= hi.back()) {
        hi.back() = std::max(hi.back(), b);
      } else {
        lo.push_back(a);
        hi.push_back(b);
      }
    }
    // The edges' copies of `in` are counted as a draw equal to the edge would be; the draws
    // strictly inside it are tallied in one pass against the new intervals.
    const std::size_t k = lo.size();
    below.assign(k, first);
    at_lo.assign(k, 0);
    at_hi.assign(k, 0);
    for (std::size_t j = 0; j < k; ++j) {
      for (const auto& [edge, copies] : {std::pair{in.lo, in.at_lo}, std::pair{in.hi, in.at_hi}}) {
        if (edge < lo[j])
          below[j] += copies;
        else if (edge == lo[j])
          at_lo[j] += copies;
        else if (edge == hi[j])
          at_hi[j] += copies;
      }
    }
    if (near.size() < detail::near_room(in.kept.size(), k))
      near.resize(detail::near_room(in.kept.size(), k));
    const Bounds bounds{lo.data(), hi.data(), k};
    const std::size_t found = detail::near_draws(in.kept.data(), in.kept.size(), bounds,
                                                 below.data(), at_lo.data(), near.data());
    // The draws inside each new interval, counted first so that each gets one allocation, with
    // room for the draws the next round brings in (about as many again).
    inside.assign(k, 0);
    where.clear();
    place(near.data(), found, bounds, {below.data(), at_lo.data(), at_hi.data()},
          [&](std::size_t j, double v) {
            ++inside[j];
            where.emplace_back(static_cast<std::uint32_t>(j), v);
          });
    const std::size_t start = narrowed.size();
    for (std::size_t j = 0; j < k; ++j) {
      narrowed.push_back({lo[j], hi[j], 0, 0, 0, {}});
      narrowed.back().kept.reserve(2 * inside[j] + 16);
    }
    for (const auto& [j, v] : where) narrowed[start + j].kept.push_back(v);
    for (std::size_t j = 0; j < k; ++j) {
      Interval& out = narrowed[start + j];
      out.below = below[j];
      out.at_lo = at_lo[j];
      out.at_hi = hi[j] > lo[j] ? at_hi[j] : 0;
    }
  }
  intervals_ = std::move(narrowed);
  lo_.clear();
  hi_.clear();
  for (const Interval& in : intervals_) {
    lo_.push_back(in.lo);
    hi_.push_back(in.hi);
  }
}

bool ColumnStream::finish(Summary& out) {
  TAMNHIN_CHECK_EQ(n_, total_);
  out.mean = mean_;
  out.sd = n_ > 1 ? std::sqrt(std::max(m2_, 0.0) / static_cast<double>(n_ - 1)) : 0.0;
  // The order statistics type 7 reads (as detail::type7_quantiles, so the numbers are those
  // of the in-memory summary), each found in the interval that holds it, all of one
  // interval at once.
  std::array<double, 5> h{}, fraction{};
  std::array<std::uint64_t, 10> rank{};
  std::array<double, 10> value{};
  for (std::size_t i = 0; i < h.size(); ++i) {
    h[i] = static_cast<double>(n_ - 1) * detail::kSummaryProbabilities[i];
    const double lo_floor = std::floor(h[i]);
    fraction[i] = h[i] - lo_floor;
    const auto lo = static_cast<std::uint64_t>(lo_floor);
    rank[2 * i] = lo;
    rank[2 * i + 1] = fraction[i] == 0.0 || lo + 1 >= n_ ? lo : lo + 1;
  }
  std::array<bool, 10> found{};
  std::vector<std::uint64_t> local;
  std::vector<double> local_value;
  for (const Interval& in : intervals_) {
    const auto inside = [&](std::size_t r) {
      return rank[r] >= in.below && rank[r] < in.below + in.size();
    };
    local.clear();
    for (std::size_t r = 0; r < rank.size(); ++r)
      if (inside(r)) local.push_back(rank[r] - in.below);
    if (local.empty()) continue;
    local_value.resize(local.size());
    in.values_at(local, local_value.data());
    std::size_t i = 0;
    for (std::size_t r = 0; r < rank.size(); ++r) {
      if (!inside(r)) continue;
      value[r] = local_value[i++];
      found[r] = true;
    }
  }
  std::array<double, 5> q{};
  for (std::size_t i = 0; i < q.size(); ++i) {
    if (!found[2 * i] || !found[2 * i + 1]) return false;
    q[i] = rank[2 * i + 1] == rank[2 * i]
               ? value[2 * i]
               : detail::type7_between(value[2 * i], value[2 * i + 1], fraction[i]);
  }
  out.p05 = q[0];
  out.p25 = q[1];
  out.p50 = q[2];
  out.p75 = q[3];
  out.p95 = q[4];
  return true;
}

}  // namespace tamnhin::stats
