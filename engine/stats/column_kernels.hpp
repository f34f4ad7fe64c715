// Internal to engine/stats: the hot loops of a column's summary (detail_moments.hpp,
// detail_order_statistics.hpp), built twice like portable_math_lanes: for x86-64's baseline
// (SSE2) and for AVX2, chosen once by the CPU. Both builds run the same IEEE-754 operations
// per draw in the same order (no FMA), so they give the same bits; a unit test compares them.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

#include "engine/core/comparator.hpp"

namespace tamnhin::stats::detail {

struct ColumnMoments;
struct BucketTally;

// What column_moments' first pass leaves in its four lanes (detail_moments.hpp): the
// compensated sums, min, max and the NaN-sticky sum of v - v. A pass that reads the column
// anyway can make it instead (column_difference does, for the differences it writes).
struct FirstPass {
  std::array<double, 4> sum{}, comp{}, lo{}, hi{}, not_finite{};
};

// Mean, sd, range and the sort checks of a non-empty column (detail_moments.hpp). With a
// `tally`, its second pass also finds the bucket of every draw and counts the draws per
// bucket, as order_statistics would (detail_order_statistics.hpp), when selection will
// use them; else it leaves tally->buckets at 0.
// With `first`, the first pass over these values is taken as made (the same numbers).
ColumnMoments column_moments(std::span<const double> values, BucketTally* tally = nullptr,
                             const FirstPass* first = nullptr);

// index[d] = min(int32((values[d] - lo) * scale), buckets - 1) for every draw: the bucket of
// each draw (values within [lo, hi], scale = buckets / (hi - lo)).
void bucket_indices(std::span<const double> values, double lo, double scale, std::uint16_t buckets,
                    std::uint16_t* index);

// count[b] = the draws d < n with index[d] == b, for every b < buckets (every index[d]
// is below buckets).
void count_buckets(const std::uint16_t* index, std::size_t n, std::size_t buckets,
                   std::uint32_t* count);

// Appends to out[slot[index[d]] - 1] (a cursor per wanted bucket, advanced) every draw whose
// bucket is wanted (slot != 0), in draw order. `wanted` lists those buckets.
void gather_wanted(std::span<const double> values, const std::uint16_t* index,
                   std::span<const std::uint16_t> wanted, const std::uint16_t* slot,
                   std::size_t* cursor, double* out);

// What one pass over two columns of the same length finds while it writes
// diff[d] = a[d] - b[d] (stats::paired_summary).
struct ColumnDifference {
  std::uint64_t higher = 0;  // draws with a[d] > b[d]
  // The bit patterns of every difference OR-ed together: 0 exactly when every difference
  // is +0.0 (not -0.0, a NaN or an infinity).
  std::uint64_t difference_bits = 0;
  // The bits of a[d] XOR those of b[d], OR-ed: 0 exactly when the columns are the same, bit
  // for bit (+0.0 against -0.0 differs, though its difference is +0.0).
  std::uint64_t changed_bits = 0;
  FirstPass first;    // column_moments' first pass over the differences
  FirstPass first_a;  // and over a (summarise_given)
};
ColumnDifference column_difference(std::span<const double> a, std::span<const double> b,
                                   double* diff);

// The draws of `values` for which holds(comparator, value, threshold): a target's hits.
std::size_t count_meeting(std::span<const double> values, Comparator comparator, double threshold);

// One year of a target's first years: every draw d not yet reached (first_year[d] = +inf)
// that meets the target in `values` (that year's column) gets first_year[d] = year.
// Returns how many did.
std::size_t mark_first_year(std::span<const double> values, Comparator comparator, double threshold,
                            double year, double* first_year);

// The builds themselves, for the test that compares them (avx2 only where the CPU has it).
bool columns_have_avx2();
ColumnMoments column_moments_generic(std::span<const double> values, BucketTally* tally = nullptr,
                                     const FirstPass* first = nullptr);
ColumnMoments column_moments_avx2(std::span<const double> values, BucketTally* tally = nullptr,
                                  const FirstPass* first = nullptr);
void bucket_indices_generic(std::span<const double> values, double lo, double scale,
                            std::uint16_t buckets, std::uint16_t* index);
void bucket_indices_avx2(std::span<const double> values, double lo, double scale,
                         std::uint16_t buckets, std::uint16_t* index);
void gather_wanted_generic(std::span<const double> values, const std::uint16_t* index,
                           std::span<const std::uint16_t> wanted, const std::uint16_t* slot,
                           std::size_t* cursor, double* out);
void gather_wanted_avx2(std::span<const double> values, const std::uint16_t* index,
                        std::span<const std::uint16_t> wanted, const std::uint16_t* slot,
                        std::size_t* cursor, double* out);
ColumnDifference column_difference_generic(std::span<const double> a, std::span<const double> b,
                                           double* diff);
ColumnDifference column_difference_avx2(std::span<const double> a, std::span<const double> b,
                                        double* diff);
std::size_t count_meeting_generic(std::span<const double> values, Comparator comparator,
                                  double threshold);
std::size_t count_meeting_avx2(std::span<const double> values, Comparator comparator,
                               double threshold);
std::size_t mark_first_year_generic(std::span<const double> values, Comparator comparator,
                                    double threshold, double year, double* first_year);
std::size_t mark_first_year_avx2(std::span<const double> values, Comparator comparator,
                                 double threshold, double year, double* first_year);

}  // namespace tamnhin::stats::detail
