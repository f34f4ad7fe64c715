// stats::paired_summary against the full path it shortcuts: when every difference a - b is
// +0.0 (under common random numbers, a variable a scenario's levers do not touch), it
// returns +0.0 everywhere without the moments and quantiles, and those are exactly the bits
// the full path gives; a column differing anywhere, by a signed zero included, takes the
// full path.
#include "engine/stats/paired.hpp"

#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/stats/column_kernels.hpp"
#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats {
namespace {

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

// What paired_summary computed before it had a shortcut, written out: the difference
// column, its moments and its type-7 quantiles.
PairedSummary full_path(const std::vector<double>& a, const std::vector<double>& b) {
  std::vector<double> diff(a.size()), scratch;
  std::size_t higher = 0;
  for (std::size_t i = 0; i < a.size(); ++i) {
    diff[i] = a[i] - b[i];
    higher += a[i] > b[i] ? 1 : 0;
  }
  const detail::ColumnMoments m = detail::column_moments(diff);
  const detail::ColumnRange range{m.lo, m.hi, m.needs_full_sort};
  const auto q =
      detail::type7_quantiles(diff, std::array<double, 3>{0.05, 0.50, 0.95}, scratch, &range);
  return {m.mean, q[0], q[1], q[2], static_cast<double>(higher) / static_cast<double>(a.size())};
}

void expect_same_bits(const PairedSummary& got, const PairedSummary& want,
                      const std::string& what) {
  EXPECT_EQ(bits(got.mean_diff), bits(want.mean_diff)) << what;
  EXPECT_EQ(bits(got.p05_diff), bits(want.p05_diff)) << what;
  EXPECT_EQ(bits(got.p50_diff), bits(want.p50_diff)) << what;
  EXPECT_EQ(bits(got.p95_diff), bits(want.p95_diff)) << what;
  EXPECT_EQ(bits(got.prob_higher), bits(want.prob_higher)) << what;
}

// A column of positive values of varied size (a fixed generator: no std:: distributions).
std::vector<double> column(std::size_t n) {
  std::vector<double> x(n);
  std::uint64_t state = 0x9e3779b97f4a7c15ULL + n;
  for (double& v : x) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    v = 100.0 * std::exp(static_cast<double>(state >> 11) * 0x1p-53);
  }
  return x;
}

// Sizes on both sides of kSelectAbove (the quantiles sort or select), with tails after
// the groups of four draws.
constexpr std::array<std::size_t, 6> kSizes = {1, 3, 255, 256, 1'003, 4'099};

TEST(PairedSummary, IdenticalColumnsGiveTheFullPathsZeros) {
  for (const std::size_t n : kSizes) {
    const std::vector<double> a = column(n);
    const std::string what = std::to_string(n) + " draws";
    std::vector<double> scratch;
    const PairedSummary got = paired_summary(a, a, scratch);
    expect_same_bits(got, full_path(a, a), what);
    expect_same_bits(got, PairedSummary{0.0, 0.0, 0.0, 0.0, 0.0}, what);  // +0.0, all of them
    // The same column in other memory: read, and found identical by its bits, with the same
    // numbers as the same memory, which is not read.
    const std::vector<double> copy = a;
    bool identical = false, same_memory_identical = false;
    expect_same_bits(paired_summary(a, copy, scratch, identical), got, what);
    expect_same_bits(paired_summary(a, a, scratch, same_memory_identical), got, what);
    EXPECT_TRUE(identical) << what;
    EXPECT_TRUE(same_memory_identical) << what;
    // -0 - -0 is +0.0 too.
    const std::vector<double> zeros(n, -0.0);
    expect_same_bits(paired_summary(zeros, zeros, scratch), full_path(zeros, zeros), what);
  }
}

TEST(PairedSummary, OneDifferentDrawTakesTheFullPath) {
  for (const std::size_t n : kSizes) {
    for (const std::size_t at : {std::size_t{0}, n / 2, n - 1}) {  // vector body and tail
      const std::vector<double> b = column(n);
      std::vector<double> a = b;
      a[at] += 1.0;
      const std::string what = std::to_string(n) + " draws, draw " + std::to_string(at);
      std::vector<double> scratch;
      const PairedSummary got = paired_summary(a, b, scratch);
      expect_same_bits(got, full_path(a, b), what);
      EXPECT_GT(got.mean_diff, 0.0) << what;
      EXPECT_EQ(got.prob_higher, 1.0 / static_cast<double>(n)) << what;
      // And the other way round: a < b on that draw.
      expect_same_bits(paired_summary(b, a, scratch), full_path(b, a), what);
    }
  }
}

TEST(PairedSummary, MinusZeroDifferencesTakeTheFullPath) {
  // -0.0 - (+0.0) = -0.0: equal values, but not a +0.0 difference, so not the shortcut.
  for (const std::size_t n : kSizes) {
    const std::vector<double> a(n, -0.0), b(n, 0.0);
    const std::string what = std::to_string(n) + " draws";
    std::vector<double> scratch;
    const PairedSummary got = paired_summary(a, b, scratch);
    expect_same_bits(got, full_path(a, b), what);
    // Under kSelectAbove draws the quantiles come from a sort of -0.0s: -0.0, which the
    // shortcut's +0.0 would have got wrong.
    if (n < detail::kSelectAbove) {
      EXPECT_TRUE(std::signbit(got.p50_diff)) << what;
    }
    // One -0.0 difference among +0.0 ones, in the vector body and in the tail.
    for (const std::size_t at : {std::size_t{0}, n - 1}) {
      std::vector<double> one = column(n);
      std::vector<double> other = one;
      one[at] = -0.0;
      other[at] = 0.0;
      expect_same_bits(paired_summary(one, other, scratch), full_path(one, other),
                       what + ", -0 at " + std::to_string(at));
      std::vector<double> diff(n);
      EXPECT_NE(detail::column_difference(one, other, diff.data()).difference_bits, 0u) << what;
    }
  }
}

TEST(PairedSummary, SaysWhetherTheColumnsAreTheSameBitForBit) {
  for (const std::size_t n : kSizes) {
    const std::string what = std::to_string(n) + " draws";
    const std::vector<double> a = column(n);
    std::vector<double> scratch;
    bool identical = false;
    paired_summary(a, a, scratch, identical);
    EXPECT_TRUE(identical) << what;
    for (const std::size_t at : {std::size_t{0}, n - 1}) {  // vector body and tail
      std::vector<double> b = a;
      b[at] = std::nextafter(b[at], 0.0);
      paired_summary(a, b, scratch, identical);
      EXPECT_FALSE(identical) << what;
      // +0.0 - (-0.0) is +0.0: a zero difference everywhere, but not the same bits.
      std::vector<double> plus = a, minus = a;
      plus[at] = 0.0;
      minus[at] = -0.0;
      const PairedSummary zero = paired_summary(plus, minus, scratch, identical);
      EXPECT_FALSE(identical) << what;
      expect_same_bits(zero, full_path(plus, minus), what);
      paired_summary(minus, minus, scratch, identical);
      EXPECT_TRUE(identical) << what;
    }
  }
}

TEST(PairedSummary, NotFiniteDifferencesAreNotZero) {
  // inf - inf and NaN - NaN are NaN: their bits are not 0 (the run stops on non-finite
  // values before any summary; the shortcut must not hide them anyway).
  for (const double bad : {INFINITY, NAN}) {
    std::vector<double> a = column(1'003);
    a[500] = bad;
    std::vector<double> diff(a.size());
    EXPECT_NE(detail::column_difference(a, a, diff.data()).difference_bits, 0u);
  }
}

// With a_summary, the summary of a comes from the first pass made beside the differences:
// summarise(a)'s numbers, bit for bit, on columns that select and that sort, with tails,
// with both signed zeros (sorted in full) and constant; untouched for identical columns.
TEST(PairedSummary, TheSummaryOfAMadeBesideTheDifferencesIsSummarisesBitForBit) {
  const auto same = [](const Summary& x, const Summary& y) {
    for (double Summary::*m : {&Summary::mean, &Summary::sd, &Summary::p05, &Summary::p25,
                               &Summary::p50, &Summary::p75, &Summary::p95})
      if (bits(x.*m) != bits(y.*m)) return false;
    return true;
  };
  for (const std::size_t n : kSizes) {
    const std::vector<double> a = column(n);
    std::vector<double> zeros = a, constant(n, 2.5);
    zeros[0] = 0.0;
    zeros[n - 1] = -0.0;
    for (const std::vector<double>* x :
         std::array<const std::vector<double>*, 3>{&a, &zeros, &constant}) {
      std::vector<double> b = *x;
      b[n / 2] += 1.0;
      std::vector<double> scratch;
      bool identical = true;
      Summary got{-1, -1, -1, -1, -1, -1, -1};
      paired_summary(*x, b, scratch, identical, &got);
      EXPECT_FALSE(identical);
      EXPECT_TRUE(same(got, summarise(*x, scratch))) << n << " draws";
    }
    std::vector<double> scratch;
    bool identical = false;
    const Summary untouched{-1, -1, -1, -1, -1, -1, -1};
    Summary got = untouched;
    paired_summary(a, a, scratch, identical, &got);
    EXPECT_TRUE(identical);
    EXPECT_TRUE(same(got, untouched)) << n << " draws";
  }
}

}  // namespace
}  // namespace tamnhin::stats
