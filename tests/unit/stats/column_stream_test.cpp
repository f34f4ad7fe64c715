// The streamed summary of a column against the in-memory one (a full sort's order
// statistics): quantiles bit for bit, mean and sd within the stated bound; and the
// admission that a rank was not kept when draws come in sorted order.
#include "engine/stats/column_stream.hpp"
#include "engine/stats/detail_tally.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

#include "engine/stats/detail_moments.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::stats {
namespace {

// Streams `x` in chunks of `chunk` draws, narrowing each time the draws seen have doubled
// since `first_narrow` (the schedule of engine/sim/stream_scenario.cpp).
bool stream(const std::vector<double>& x, std::size_t chunk, std::size_t first_narrow, Summary& out,
            std::size_t* largest_kept = nullptr) {
  ColumnStream s(x.size());
  ChunkContribution c;
  std::size_t next = first_narrow;
  for (std::size_t d = 0; d < x.size(); d += chunk) {
    const std::size_t n = std::min(chunk, x.size() - d);
    s.contribute(std::span<const double>(x.data() + d, n), c);
    s.absorb(c);
    if (s.seen() >= next && s.seen() < x.size()) {
      s.narrow();
      next = 2 * s.seen();
    }
    if (largest_kept != nullptr) *largest_kept = std::max(*largest_kept, s.kept_values());
  }
  return s.finish(out);
}

// Type 7 on a fully sorted copy: the definition, not the selection the summaries use.
Summary by_full_sort(std::vector<double> x) {
  std::sort(x.begin(), x.end());
  Summary s;
  s.p05 = quantile_type7(x, 0.05);
  s.p25 = quantile_type7(x, 0.25);
  s.p50 = quantile_type7(x, 0.50);
  s.p75 = quantile_type7(x, 0.75);
  s.p95 = quantile_type7(x, 0.95);
  return s;
}

void expect_matches(const std::vector<double>& x, const std::string& what) {
  Summary streamed;
  std::size_t kept = 0;
  ASSERT_TRUE(stream(x, 1024, 16384, streamed, &kept)) << what;
  const Summary sorted = by_full_sort(x);
  const double got[] = {streamed.p05, streamed.p25, streamed.p50, streamed.p75, streamed.p95};
  const double want[] = {sorted.p05, sorted.p25, sorted.p50, sorted.p75, sorted.p95};
  EXPECT_EQ(std::memcmp(got, want, sizeof got), 0)
      << what << ": p50 " << streamed.p50 << " vs " << sorted.p50;
  // The bound of column_stream.hpp: mean and sd within 1e-12 of the larger of |mean| and
  // sd. Observed: up to 1.2e-13 (sd of a discrete column of 120,001 draws), where the
  // in-memory sum of squares, a plain sum in four lanes, is itself the less accurate one.
  std::vector<double> scratch;
  const Summary memory = summarise(x, scratch);
  const double scale = std::max(std::fabs(memory.mean), memory.sd);
  EXPECT_LE(std::fabs(streamed.mean - memory.mean), 1e-12 * scale) << what;
  EXPECT_LE(std::fabs(streamed.sd - memory.sd), 1e-12 * scale) << what;
  // Narrowing drops draws: a 50,000-draw column is never held whole.
  if (x.size() >= 50'000) {
    EXPECT_LT(kept, x.size()) << what;
  }
}

std::vector<double> draws(std::size_t n, const std::function<double(std::mt19937_64&)>& f,
                          std::uint64_t seed) {
  std::mt19937_64 g(seed);
  std::vector<double> x(n);
  for (double& v : x) v = f(g);
  return x;
}

TEST(ColumnStream, QuantilesEqualAFullSortBitForBit) {
  std::normal_distribution<double> normal(3.0, 2.0);
  std::lognormal_distribution<double> lognormal(0.0, 1.5);
  std::uniform_int_distribution<int> small(0, 3);
  std::exponential_distribution<double> expo(1.0);
  for (std::size_t n : {1u, 2u, 1000u, 16385u, 50'000u, 120'001u}) {
    const std::string size = " n=" + std::to_string(n);
    expect_matches(draws(
                       n, [&](auto& g) { return normal(g); }, 1),
                   "normal" + size);
    expect_matches(draws(
                       n, [&](auto& g) { return 1e6 + lognormal(g); }, 2),
                   "lognormal" + size);
    // Many ties, at and around the wanted ranks.
    expect_matches(draws(
                       n, [&](auto& g) { return small(g) * 0.5; }, 3),
                   "ties" + size);
    // A clamp: a third of the draws at the bound, exactly.
    expect_matches(draws(
                       n, [&](auto& g) { return std::max(1.5, normal(g)); }, 4),
                   "clamped" + size);
    expect_matches(draws(
                       n, [&](auto&) { return 7.25; }, 5),
                   "constant" + size);
    expect_matches(draws(
                       n, [&](auto& g) { return -expo(g); }, 6),
                   "negative" + size);
  }
}

TEST(ColumnStream, AKeptShareThatShrinksWithTheDraws) {
  std::normal_distribution<double> normal(0.0, 1.0);
  const auto x = draws(
      200'000, [&](auto& g) { return normal(g); }, 7);
  Summary s;
  std::size_t largest = 0;
  ASSERT_TRUE(stream(x, 1024, 16384, s, &largest));
  // Before the first narrowing every draw is kept (16,384 and the chunk crossing it); at
  // the end a few per cent: the five wanted ranks with 6 sds of margin, sum 2 * 6 *
  // sqrt(n p (1 - p)) over p = 0.05 .. 0.95, about 23,000 of 200,000, at most twice that
  // between two narrowings.
  EXPECT_LE(largest, 2 * 23'000 + 17'408u);
}

TEST(ColumnStream, EveryBuildOfTheTallyKeepsWhatTheBaselineKeeps) {
  // The first pass of the tally is built for any CPU, AVX2 and AVX-512 (column_tally.cpp);
  // this compares every build this machine runs with the baseline.
  std::normal_distribution<double> normal(3.0, 2.0);
  std::uniform_int_distribution<int> small(0, 3);
  const std::vector<std::vector<double>> columns = {
      draws(
          50'003, [&](auto& g) { return normal(g); }, 8),
      draws(
          50'003, [&](auto& g) { return small(g) * 0.5; }, 9),
      draws(
          50'003, [&](auto& g) { return std::max(1.5, normal(g)); }, 10),
      std::vector<double>(50'003, -2.0)};
  const auto streamed = [&](const std::vector<double>& x, detail::TallyBuild build,
                            std::size_t& kept) {
    Summary s;
    detail::use_tally_build(build);
    const bool exact = stream(x, 1024, 16384, s, &kept);
    detail::use_tally_build(std::nullopt);
    EXPECT_TRUE(exact);
    return s;
  };
  for (const auto& x : columns) {
    std::size_t kept_baseline = 0;
    const Summary baseline = streamed(x, detail::TallyBuild::baseline, kept_baseline);
    for (const detail::TallyBuild build : detail::tally_builds()) {
      std::size_t kept = 0;
      const Summary s = streamed(x, build, kept);
      EXPECT_EQ(kept, kept_baseline) << static_cast<int>(build);
      EXPECT_EQ(std::memcmp(&s, &baseline, sizeof s), 0) << static_cast<int>(build);
    }
  }
}

TEST(ColumnStream, AConstantColumnsMeanIsItsValueExactly) {
  // A constant column (an eighth of Long An's) streams to exactly its value as mean and 0
  // as sd, as the in-memory summary gives: each chunk's moments are taken about its first
  // draw, so every deviation is 0, and Chan's update then adds nothing.
  std::mt19937_64 g(11);
  std::uniform_real_distribution<double> exponent(-1000.0, 990.0);
  std::vector<double> values = {0.1, 1.0 / 3.0, -7.25, 8.5, 1e-300, -3e299, 0x1p-1074, 0.0, -0.0};
  for (int i = 0; i < 50; ++i)
    values.push_back(std::ldexp(1.0 + exponent(g) / 1e4, static_cast<int>(exponent(g))));
  for (std::size_t n : {1u, 3u, 1024u, 5000u}) {
    for (double c : values) {
      const std::vector<double> x(n, c);
      Summary s;
      ASSERT_TRUE(stream(x, 1024, 16384, s, nullptr)) << c << " n=" << n;
      EXPECT_EQ(s.mean, c) << c << " n=" << n;  // (-0.0 == 0.0: either sign of zero)
      if (c != 0.0) {
        EXPECT_EQ(std::memcmp(&s.mean, &c, sizeof c), 0) << c << " n=" << n;
      }
      EXPECT_EQ(s.sd, 0.0) << c << " n=" << n;
      EXPECT_FALSE(std::signbit(s.sd)) << c << " n=" << n;
      EXPECT_EQ(s.p05, c);
      EXPECT_EQ(s.p95, c);
    }
  }
}

TEST(ColumnStream, SortedArrivalIsAdmittedNotGuessed) {
  // Draws in ascending order: what is kept early sits far below where the ranks end.
  std::vector<double> x(60'000);
  for (std::size_t d = 0; d < x.size(); ++d) x[d] = static_cast<double>(d) * 0.001;
  Summary s;
  EXPECT_FALSE(stream(x, 1024, 16384, s));
  // Without narrowing, the same column is exact.
  ASSERT_TRUE(stream(x, 1024, x.size() + 1, s));
  EXPECT_EQ(s.p50, by_full_sort(x).p50);
}

}  // namespace
}  // namespace tamnhin::stats
