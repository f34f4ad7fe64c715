// The summary of one column of draws too long to hold in memory (a million draws of every
// recorded variable and year), computed from chunks of draws that arrive in draw order.
//
// Quantiles are exact. Only a few order statistics are read (the ranks of type-7
// quantiles), so a column keeps, per wanted rank, an interval of values [lo, hi] with every
// draw seen inside it and the count of draws seen below it; draws outside every interval are
// counted and dropped. The intervals start as the whole line and are narrowed as draws
// arrive, around where the wanted ranks stand among the draws seen so far, with a margin
// of 6 standard deviations of that position (a sample quantile's rank among n seen draws
// moves by about sqrt(n p (1 - p)) when more draws come). Narrowing only ever drops draws
// it has counted, so what is kept is always exact; if a wanted rank still ended outside
// every interval (draws arriving in a sorted order, or a 1-in-10^9 event), finish() says so
// and the caller computes that column again in full (engine/sim/stream_scenario.cpp).
//
// Mean and sd: each chunk's mean and sum of squared deviations in one pass, about the
// chunk's first draw, then Chan, Golub and LeVeque's pairwise update, chunk by chunk in draw
// order. The result is deterministic (chunks are absorbed in draw order whatever computed
// them) and agrees with the in-memory summary within 1e-12 of max(|mean|, sd), not bit for
// bit (tested; observed up to 1.2e-15 for the mean and 1.2e-13 for the sd, about the
// in-memory sum of squares' own rounding).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "engine/stats/summary.hpp"

namespace tamnhin::stats {

// What one chunk of draws contributes to a column. Reused from chunk to chunk.
struct ChunkContribution {
  std::size_t n = 0;
  double mean = 0, m2 = 0;  // m2: sum of squared deviations from the chunk's mean
  // Per interval: draws below its lo, and (when it is a single value) draws equal to it.
  std::vector<std::uint64_t> below, at;
  std::vector<double> near;  // draws in some other interval's [lo, hi], in draw order
};

class ColumnStream {
 public:
  // `total_draws`: the column's length once every chunk has been absorbed.
  explicit ColumnStream(std::size_t total_draws);

  // What `chunk` contributes, given the intervals as they are now. Const: chunks of one
  // round of absorbs may be contributed in parallel.
  void contribute(std::span<const double> chunk, ChunkContribution& out) const;
  // Chunks must be absorbed in draw order, each contributed after the last narrow().
  void absorb(const ChunkContribution& c);
  // Drops the draws kept that are no longer near a wanted rank (counting them).
  void narrow();
  // Once every draw has been absorbed: false when a wanted rank is outside every interval
  // (then `out` holds the mean and sd only).
  bool finish(Summary& out);

  std::size_t seen() const { return n_; }
  std::size_t kept_values() const;

 private:
  // The draws seen in [lo, hi], in order: at_lo copies of lo, `kept` (those strictly
  // between, unordered), at_hi copies of hi. Ties at the edges are only counted, so a
  // constant or discrete column keeps nothing.
  struct Interval {
    double lo, hi;
    std::uint64_t below = 0;             // draws seen below lo
    std::uint64_t at_lo = 0, at_hi = 0;  // at_hi stays 0 when lo == hi
    std::vector<double> kept;
    std::uint64_t size() const { return at_lo + kept.size() + at_hi; }
    // out[i]: the ranks[i]-th smallest of the interval's draws, for ranks ascending and
    // below size().
    void values_at(std::span<const std::uint64_t> ranks, double* out) const;
  };
  std::size_t total_;
  std::size_t n_ = 0;
  double mean_ = 0, m2_ = 0;
  std::vector<Interval> intervals_;
  std::vector<double> lo_, hi_;  // the intervals' bounds, for the tally's one pass
};

}  // namespace tamnhin::stats
