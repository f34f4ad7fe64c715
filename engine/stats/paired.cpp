#include "engine/stats/paired.hpp"

#include <algorithm>
#include <array>
#include <cmath>

#include "engine/core/check.hpp"
#include "engine/stats/column_kernels.hpp"
#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"

namespace tamnhin::stats {

namespace {
constexpr std::array<double, 3> kPairedProbabilities = {0.05, 0.50, 0.95};
}  // namespace

PairedSummary paired_summary(std::span<const double> a, std::span<const double> b,
                             std::vector<double>& scratch) {
  bool identical = false;
  return paired_summary(a, b, scratch, identical);
}

PairedSummary paired_summary(std::span<const double> a, std::span<const double> b,
                             std::vector<double>& scratch, bool& identical, Summary* a_summary) {
  TAMNHIN_CHECK_EQ(a.size(), b.size());
  TAMNHIN_CHECK(!a.empty());
  // The same memory (a scenario that reuses its reference's cube, StudySettings::held_cube):
  // identical, and what the path below gives identical columns (see there), unread.
  if (a.data() == b.data()) {
    identical = true;
    return kSameColumns;
  }
  // Reused: a fresh vector per column was zeroed, then overwritten.
  thread_local std::vector<double> diff;
  diff.resize(a.size());
  // One pass writes the differences, counts a > b and ORs the differences' bits
  // (column_kernels.cpp, four draws at a time).
  const detail::ColumnDifference pass = detail::column_difference(a, b, diff.data());
  identical = pass.changed_bits == 0;
  if (a_summary != nullptr && !identical)
    *a_summary = detail::summarise_given(a, scratch, pass.first_a);
  // Every difference +0.0 (a variable the scenario's levers do not touch is, under common
  // random numbers, the reference's bit for bit: a third of a run's rows): the full path
  // below gives exactly +0.0 everywhere, so it is skipped. column_moments sums +0.0 from
  // +0.0 starting sums, so mean = (+0 + +0) / n + (+0) / n = +0; the range is [+0, +0]:
  // a constant column, whose order statistics are its value (or, under kSelectAbove
  // draws, a sort of +0.0s), and type7_between(+0, +0, f) = +0 + f * +0 = +0; no draw has
  // a > b. A -0.0 difference (-0 - +0), a NaN or an infinity leaves a bit set.
  if (pass.difference_bits == 0) return kSameColumns;
  // Only the mean and three quantiles: no sd, and the order statistics of p25 and p75 are
  // not searched for (the same numbers as summarise's, which reads the same ones).
  thread_local detail::BucketTally tally;  // found by the moments' second pass (summary.cpp)
  // The first of its two passes was made by column_difference, on the way.
  const detail::ColumnMoments m = detail::column_moments(diff, &tally, &pass.first);
  const detail::ColumnRange range{m.lo, m.hi, m.needs_full_sort};
  const auto q = detail::type7_quantiles(diff, kPairedProbabilities, scratch, &range, &tally);
  return {m.mean, q[0], q[1], q[2],
          static_cast<double>(pass.higher) / static_cast<double>(a.size())};
}

MeanAndError mean_and_error(std::span<const double> values) {
  TAMNHIN_CHECK(!values.empty());
  // Welford in draw order: the same bits for any thread count.
  double mean = 0, m2 = 0;
  for (std::size_t i = 0; i < values.size(); ++i) {
    const double delta = values[i] - mean;
    mean += delta / static_cast<double>(i + 1);
    m2 += delta * (values[i] - mean);
  }
  const double n = static_cast<double>(values.size());
  const double var = values.size() > 1 ? m2 / (n - 1) : 0.0;
  return {mean, std::sqrt(var / n)};
}

MeanAndError paired_mean_and_error(std::span<const double> a, std::span<const double> b) {
  TAMNHIN_CHECK_EQ(a.size(), b.size());
  std::vector<double> diff(a.size());
  for (std::size_t i = 0; i < a.size(); ++i) diff[i] = a[i] - b[i];
  return mean_and_error(diff);
}

PairedTarget paired_target(std::span<const std::uint8_t> a, std::span<const std::uint8_t> b) {
  TAMNHIN_CHECK_EQ(a.size(), b.size());
  TAMNHIN_CHECK(!a.empty());
  // Counts are exact; the variance of d_i in {-1, 0, 1} follows from them.
  std::size_t na = 0, nb = 0, up = 0, down = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    na += a[i];
    nb += b[i];
    up += a[i] > b[i] ? 1 : 0;
    down += a[i] < b[i] ? 1 : 0;
  }
  const double n = static_cast<double>(a.size());
  PairedTarget t;
  t.probability = static_cast<double>(na) / n;
  t.reference_probability = static_cast<double>(nb) / n;
  t.difference = t.probability - t.reference_probability;
  if (a.size() > 1) {
    const double mean = (static_cast<double>(up) - static_cast<double>(down)) / n;
    const double sum_sq = static_cast<double>(up + down);  // d_i^2 is 1 where they differ
    const double var = (sum_sq - n * mean * mean) / (n - 1);
    t.difference_se = std::sqrt(std::max(0.0, var) / n);
  }
  return t;
}

}  // namespace tamnhin::stats
