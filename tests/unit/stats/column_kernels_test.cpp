// The summary's hot loops (engine/stats/column_kernels.cpp): the SSE2 and AVX2 builds give
// the same bits (and count targets as holds() does), and bucket selection gives the order
// statistics of a full sort, bit for bit, on columns large enough to take the selection path.
#include "engine/stats/column_kernels.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <string>
#include <vector>

#include "engine/stats/detail_moments.hpp"
#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats::detail {
namespace {

// A fixed generator (no std:: distributions, whose algorithms vary by library).
struct Lcg {
  std::uint64_t state = 0x9e3779b97f4a7c15ULL;
  double next() {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) * 0x1p-53;
  }
};

bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}

// Columns of several shapes; sizes not a multiple of any vector width.
std::vector<std::pair<std::string, std::vector<double>>> columns() {
  Lcg g;
  std::vector<std::pair<std::string, std::vector<double>>> out;
  const auto make = [&](const std::string& name, std::size_t n, auto f) {
    std::vector<double> x(n);
    for (double& v : x) v = f();
    out.emplace_back(name, std::move(x));
  };
  make("lognormal-like", 10'003, [&] { return 150.0 * std::exp(0.4 * (g.next() - 0.5)); });
  make("skewed, negative", 4'099, [&] {
    const double u = g.next();
    return -1e6 * u * u * u;
  });
  make("ties", 5'001, [&] { return std::floor(g.next() * 7.0) * 0.25 - 0.5; });
  make("one outlier", 3'001, [&] { return g.next(); });
  out.back().second[17] = 1e12;  // every other draw in the first bucket
  make("both zeros", 1'000, [&] { return g.next() < 0.5 ? 0.0 : -0.0; });
  out.back().second[3] = 2.0;
  make("constant", 999, [] { return 3.25; });
  // Short columns select among fewer buckets (bucket_count): 64, 256 and 512 of them.
  make("short, 257 draws", 257, [&] { return std::exp(g.next() * 3.0); });
  make("short, 600 draws", 600, [&] { return g.next() * g.next(); });
  make("short with ties, 2,001 draws", 2'001, [&] { return std::floor(g.next() * 40.0); });
  return out;
}

TEST(ColumnKernels, EveryBuildGivesTheSameMomentsAndBuckets) {
  for (const auto& [name, x] : columns()) {
    const ColumnMoments a = column_moments_generic(x);
    const ColumnMoments want = column_moments(x);
    EXPECT_TRUE(same(a.mean, want.mean) && same(a.sd, want.sd) && same(a.m2, want.m2)) << name;
    EXPECT_TRUE(same(a.lo, want.lo) && same(a.hi, want.hi)) << name;
    EXPECT_EQ(a.needs_full_sort, want.needs_full_sort) << name;
    if (!columns_have_avx2()) continue;
    const ColumnMoments b = column_moments_avx2(x);
    EXPECT_TRUE(same(b.mean, a.mean) && same(b.sd, a.sd) && same(b.m2, a.m2)) << name;
    EXPECT_TRUE(same(b.lo, a.lo) && same(b.hi, a.hi)) << name;
    if (a.needs_full_sort || a.lo == a.hi) continue;
    const double scale = static_cast<double>(kBuckets) / (a.hi - a.lo);
    std::vector<std::uint16_t> ig(x.size()), ia(x.size());
    bucket_indices_generic(x, a.lo, scale, kBuckets, ig.data());
    bucket_indices_avx2(x, a.lo, scale, kBuckets, ia.data());
    EXPECT_EQ(ig, ia) << name;
    // Gather the draws of 1 to 16 buckets (the scan is compiled for 4, 8 and 16): those of
    // draws spread over the column, and the last bucket.
    for (const std::size_t count : {1u, 3u, 5u, 6u, 11u, 16u}) {
      std::vector<std::uint16_t> distinct = {kBuckets - 1};
      for (std::size_t d = 0; distinct.size() < count && d < x.size(); d += x.size() / 40 + 1)
        if (std::find(distinct.begin(), distinct.end(), ig[d]) == distinct.end())
          distinct.push_back(ig[d]);
      std::sort(distinct.begin(), distinct.end());
      std::array<std::uint16_t, kBuckets> slot{};
      std::array<std::size_t, 16> cursor_g{}, cursor_a{};
      for (std::size_t w = 0; w < distinct.size(); ++w) {
        slot[distinct[w]] = static_cast<std::uint16_t>(w + 1);
        cursor_g[w] = cursor_a[w] = w * x.size();
      }
      std::vector<double> out_g(distinct.size() * x.size()), out_a(out_g.size());
      gather_wanted_generic(x, ig.data(), distinct, slot.data(), cursor_g.data(), out_g.data());
      gather_wanted_avx2(x, ig.data(), distinct, slot.data(), cursor_a.data(), out_a.data());
      EXPECT_EQ(cursor_g, cursor_a) << name;
      for (std::size_t w = 0; w < distinct.size(); ++w) {
        std::vector<double> want_w;  // the draws of bucket distinct[w], in draw order
        for (std::size_t d = 0; d < x.size(); ++d)
          if (ig[d] == distinct[w]) want_w.push_back(x[d]);
        ASSERT_EQ(cursor_g[w] - w * x.size(), want_w.size()) << name << ", " << count;
        for (std::size_t k = 0; k < want_w.size(); ++k) {
          EXPECT_TRUE(same(out_g[w * x.size() + k], want_w[k])) << name << ", " << count;
          EXPECT_TRUE(same(out_a[w * x.size() + k], want_w[k])) << name << ", " << count;
        }
      }
    }
  }
}

// column_moments' second pass tallies the buckets exactly as order_statistics would
// (bucket_indices, then counting), in every build, and only where selection buckets the
// column; selection from that tally gives the order statistics it finds alone.
TEST(ColumnKernels, TheMomentsPassTalliesTheBucketsSelectionCounts) {
  auto all = columns();
  std::vector<double> huge_range(3'000);
  for (std::size_t d = 0; d < huge_range.size(); ++d)
    huge_range[d] = d % 2 == 0 ? -1e308 : 1e308;  // hi - lo overflows: sorted, not bucketed
  all.emplace_back("range too wide to bucket", huge_range);
  std::vector<double> with_nan(5'000, 1.0);
  with_nan[2'500] = std::nan("");
  all.emplace_back("a NaN", with_nan);
  for (const auto& column : all) {
    const std::string& name = column.first;
    const std::vector<double>& x = column.second;
    const ColumnMoments plain = column_moments_generic(x);
    const double scale = plain.needs_full_sort ? 0.0 : bucket_scale(x.size(), plain.lo, plain.hi);
    const auto check = [&](auto moments, const char* build) {
      BucketTally tally;
      tally.buckets = 99;  // reset by every call
      const ColumnMoments m = moments(x, &tally);
      EXPECT_TRUE(same(m.mean, plain.mean) || (std::isnan(m.mean) && std::isnan(plain.mean)))
          << name << ' ' << build;
      EXPECT_TRUE(same(m.sd, plain.sd) || (std::isnan(m.sd) && std::isnan(plain.sd)))
          << name << ' ' << build;
      if (scale == 0.0 || std::isnan(plain.mean)) {
        EXPECT_EQ(tally.buckets, 0u) << name << ' ' << build;
        return;
      }
      const std::size_t buckets = bucket_count(x.size());
      ASSERT_EQ(tally.buckets, buckets) << name << ' ' << build;
      std::vector<std::uint16_t> index(x.size());
      bucket_indices_generic(x, plain.lo, scale, static_cast<std::uint16_t>(buckets), index.data());
      EXPECT_EQ(tally.index, index) << name << ' ' << build;
      std::vector<std::uint32_t> count(buckets, 0);
      for (const std::uint16_t b : index) ++count[b];
      EXPECT_TRUE(std::equal(count.begin(), count.end(), tally.count.begin()))
          << name << ' ' << build;
      // Ranks at both ends and in the middle, from the tally and without it.
      const std::array<std::size_t, 7> ranks = {
          0, 1, x.size() / 20, x.size() / 2, x.size() / 2 + 1, x.size() - 2, x.size() - 1};
      std::array<double, 7> from_tally{}, alone{};
      std::vector<double> scratch;
      const ColumnRange range{m.lo, m.hi, m.needs_full_sort};
      order_statistics(x, ranks, from_tally, scratch, &range, &tally);
      order_statistics(x, ranks, alone, scratch, &range);
      for (std::size_t i = 0; i < ranks.size(); ++i)
        EXPECT_TRUE(same(from_tally[i], alone[i])) << name << ' ' << build << " rank " << ranks[i];
    };
    check([](std::span<const double> v, BucketTally* t) { return column_moments_generic(v, t); },
          "generic");
    if (columns_have_avx2())
      check([](std::span<const double> v, BucketTally* t) { return column_moments_avx2(v, t); },
            "avx2");
  }
}

TEST(ColumnKernels, EveryBuildGivesTheSameDifferences) {
  for (const auto& column : columns()) {
    // Named, not a structured binding: clang before 16 cannot capture one in a lambda.
    const std::string& name = column.first;
    const std::vector<double>& x = column.second;
    // b: x with every third draw changed, so some differences are +0.0 and some not.
    std::vector<double> b = x;
    for (std::size_t d = 0; d < b.size(); d += 3) b[d] = x[d] * 0.5 - 1.0;
    std::vector<double> want(x.size());
    std::uint64_t higher = 0, bits = 0, changed = 0;
    for (std::size_t d = 0; d < x.size(); ++d) {
      want[d] = x[d] - b[d];
      higher += x[d] > b[d] ? 1 : 0;
      bits |= std::bit_cast<std::uint64_t>(want[d]);
      changed |= std::bit_cast<std::uint64_t>(x[d]) ^ std::bit_cast<std::uint64_t>(b[d]);
    }
    // Each build against the loop above, then on identical columns (every difference +0.0).
    const auto check = [&](auto difference, const char* build) {
      std::vector<double> out(x.size());
      const ColumnDifference r = difference(x, b, out.data());
      EXPECT_EQ(r.higher, higher) << name << ' ' << build;
      EXPECT_EQ(r.difference_bits, bits) << name << ' ' << build;
      EXPECT_EQ(r.changed_bits, changed) << name << ' ' << build;
      for (std::size_t d = 0; d < x.size(); ++d)
        EXPECT_TRUE(same(out[d], want[d])) << name << ' ' << build;
      // The first pass it made over the differences is column_moments' own.
      const ColumnMoments given = column_moments(out, nullptr, &r.first);
      const ColumnMoments alone = column_moments(out);
      EXPECT_TRUE(same(given.mean, alone.mean) && same(given.sd, alone.sd) &&
                  same(given.m2, alone.m2))
          << name << ' ' << build;
      EXPECT_TRUE(same(given.lo, alone.lo) && same(given.hi, alone.hi)) << name << ' ' << build;
      EXPECT_EQ(given.needs_full_sort, alone.needs_full_sort) << name << ' ' << build;
      const ColumnDifference self = difference(x, x, out.data());
      EXPECT_EQ(self.difference_bits, 0u) << name << ' ' << build;
      EXPECT_EQ(self.changed_bits, 0u) << name << ' ' << build;
    };
    check(column_difference_generic, "generic");
    if (columns_have_avx2()) check(column_difference_avx2, "avx2");
  }
}

TEST(ColumnKernels, EveryBuildCountsTargetsAsHoldsDoes) {
  constexpr std::array<Comparator, 4> kComparators = {Comparator::below, Comparator::at_most,
                                                      Comparator::above, Comparator::at_least};
  for (const auto& column : columns()) {
    const std::string& name = column.first;
    std::vector<double> x = column.second;
    // Draws at the threshold (where < and <= part), a NaN (meets nothing) and infinities.
    const double threshold = x[x.size() / 2];
    for (std::size_t d = 0; d < x.size(); d += 7) x[d] = threshold;
    x[1] = std::nan("");
    x[2] = INFINITY;
    x[4] = -INFINITY;
    for (const Comparator c : kComparators) {
      const std::string what = name + ' ' + std::string(to_string(c));
      std::size_t hits = 0;
      // A second year: the draws already reached keep their year, the others may reach.
      std::vector<double> start(x.size(), INFINITY), want(x.size());
      for (std::size_t d = 0; d < x.size(); d += 3) start[d] = 0.0;
      std::size_t fresh = 0;
      for (std::size_t d = 0; d < x.size(); ++d) {
        const bool meets = holds(c, x[d], threshold);
        hits += meets ? 1 : 0;
        const bool now = std::isinf(start[d]) && meets;
        fresh += now ? 1 : 0;
        want[d] = now ? 1.0 : start[d];
      }
      EXPECT_GT(hits, 0u) << what;
      EXPECT_LT(hits, x.size()) << what;
      const auto check = [&](auto count, auto mark, const char* build) {
        EXPECT_EQ(count(x, c, threshold), hits) << what << ' ' << build;
        std::vector<double> first = start;
        EXPECT_EQ(mark(x, c, threshold, 1.0, first.data()), fresh) << what << ' ' << build;
        for (std::size_t d = 0; d < x.size(); ++d)
          EXPECT_TRUE(same(first[d], want[d])) << what << ' ' << build << " draw " << d;
      };
      check(count_meeting_generic, mark_first_year_generic, "generic");
      if (columns_have_avx2()) check(count_meeting_avx2, mark_first_year_avx2, "avx2");
    }
  }
}

TEST(ColumnKernels, SelectionGivesTheQuantilesOfAFullSort) {
  for (const auto& [name, x] : columns()) {
    std::vector<double> sorted = x, scratch;
    std::sort(sorted.begin(), sorted.end());
    const Summary s = summarise(x, scratch);
    const std::array<double, 5> got = {s.p05, s.p25, s.p50, s.p75, s.p95};
    for (std::size_t i = 0; i < got.size(); ++i) {
      EXPECT_TRUE(same(got[i], quantile_type7(sorted, kSummaryProbabilities[i])))
          << name << " p" << kSummaryProbabilities[i];
    }
    // Every rank of a few, straight from order_statistics.
    const std::array<std::size_t, 6> ranks = {
        0, 1, x.size() / 3, x.size() / 2, x.size() - 2, x.size() - 1};
    std::array<double, 6> stat{};
    order_statistics(x, ranks, stat, scratch);
    for (std::size_t i = 0; i < ranks.size(); ++i)
      EXPECT_TRUE(same(stat[i], sorted[ranks[i]]) || (stat[i] == 0 && sorted[ranks[i]] == 0))
          << name << " rank " << ranks[i];
  }
}

// -0.0 and +0.0 compare equal, so a column holding both must be sorted in full to give
// the same order statistics as a sort; one sign alone, or zeros beside other values, must
// not. The zeros are looked for in the vector body and in the scalar tail of every build.
TEST(ColumnKernels, BothSignedZerosAreFoundWhereverTheyAre) {
  const std::size_t n = 1'003;  // a tail of 3 after groups of 4
  for (const std::size_t neg_at : {std::size_t{5}, std::size_t{1'001}}) {
    for (const std::size_t pos_at : {std::size_t{6}, std::size_t{1'002}}) {
      std::vector<double> x(n);
      for (std::size_t d = 0; d < n; ++d) x[d] = static_cast<double>(d % 17) - 8.5;
      x[neg_at] = -0.0;
      std::vector<double> one_sign = x;
      x[pos_at] = 0.0;
      const std::string where =
          "-0 at " + std::to_string(neg_at) + ", +0 at " + std::to_string(pos_at);
      EXPECT_TRUE(column_moments_generic(x).needs_full_sort) << where;
      EXPECT_FALSE(column_moments_generic(one_sign).needs_full_sort) << where;
      one_sign[neg_at] = 0.0;
      one_sign[pos_at] = 0.0;
      EXPECT_FALSE(column_moments_generic(one_sign).needs_full_sort) << where;
      if (!columns_have_avx2()) continue;
      EXPECT_TRUE(column_moments_avx2(x).needs_full_sort) << where;
      EXPECT_FALSE(column_moments_avx2(one_sign).needs_full_sort) << where;
    }
  }
}

}  // namespace
}  // namespace tamnhin::stats::detail
