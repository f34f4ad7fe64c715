// Internal to engine/stats: the first pass of ColumnStream's tally of a chunk's draws
// against its intervals.
//
// The tally of draws against the intervals is two passes. The first, over every draw, is
// what streaming adds to the simulation and is kept free of branches: per interval a
// compare with lo (counted into below) and one with hi; a draw's counts of lo's above it and
// of hi's not below it differ exactly when it is in some closed [lo, hi]. Those draws (3 to
// 20 per cent of a chunk: too many, and too scattered, for a branch per draw to predict)
// are written out in draw order, and the second pass, over them only, finds their
// interval, counts the ties with an edge and keeps the others. An interval that is a single
// value (a constant column's, or a clamp's) would send all its ties to the second pass: the
// first counts them itself (draws <= hi less draws < lo) and counts them out of `near`. The
// first pass is here (column_tally.cpp), built for AVX-512 (eight draws at a time, the near
// ones packed by a compress), AVX2 (four, packed by a permutation) and any CPU (one at a
// time), chosen once at run time; all find the same draws in the same order. The second
// pass is ColumnStream's own (column_stream.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <vector>

namespace tamnhin::stats::detail {

// Intervals, ascending and apart (hi of one < lo of the next), and what draws add to each:
// draws below lo, equal to lo, equal to hi (when hi > lo).
struct Bounds {
  const double* lo;
  const double* hi;
  std::size_t count;
};

// The first pass. Per interval: below += draws of x below lo, and for an interval that is a
// single value, at += draws equal to it; the draws in some other [lo, hi] are written to
// `near` (room for near_room(n, intervals): the packed stores write eight lanes whatever the
// count), in order; returns how many.
std::size_t near_draws(const double* x, std::size_t n, Bounds b, std::uint64_t* below,
                       std::uint64_t* at, double* near);
std::size_t near_room(std::size_t n, std::size_t intervals);

// The builds of the first pass: for any CPU, AVX2 and AVX-512, the same draws in the same
// order. Those this CPU and compiler run, best last; tests choose one (nullopt: the best
// again).
enum class TallyBuild { baseline, avx2, avx512 };
std::vector<TallyBuild> tally_builds();
void use_tally_build(std::optional<TallyBuild> build);

}  // namespace tamnhin::stats::detail
