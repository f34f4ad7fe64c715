// The SSE2 and AVX2 builds of the batched generator (engine/random/philox_lanes.cpp) give
// the bits of the scalar functions: r123's Philox4x32 through uniform(), and
// inverse_normal_cdf, including both tail rationals.
#include "engine/random/philox_lanes.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

#include "engine/random/detail_bits.hpp"
#include "engine/random/philox.hpp"

namespace tamnhin::random::detail {
namespace {

std::uint64_t bits(double x) {
  return std::bit_cast<std::uint64_t>(x);
}

TEST(PhiloxLanes, EveryBuildGivesTheUniformsOfEachCounter) {
  const std::uint64_t key = site_key(7, "eq/x/0");
  for (std::uint64_t m0 : {0ULL, 3ULL, (1ULL << 32) - 5, (1ULL << 61) + 9}) {
    for (std::size_t pairs : {0u, 1u, 3u, 4u, 7u, 8u, 9u, 16u, 21u, 128u}) {
      std::vector<double> sse2(2 * pairs + 1, -1.0), avx2(2 * pairs + 1, -1.0);
      philox_pairs_sse2(key, 2035, m0, pairs, sse2.data());
      if (philox_has_avx2()) philox_pairs_avx2(key, 2035, m0, pairs, avx2.data());
      for (std::size_t i = 0; i < 2 * pairs; ++i) {
        const std::uint64_t want = bits(uniform(key, 2 * m0 + i, 2035));
        ASSERT_EQ(bits(sse2[i]), want) << "m0 " << m0 << " pairs " << pairs << " i " << i;
        if (philox_has_avx2()) {
          ASSERT_EQ(bits(avx2[i]), want) << "avx2, m0 " << m0 << " pairs " << pairs << " i " << i;
        }
      }
      EXPECT_EQ(sse2[2 * pairs], -1.0) << "wrote past the end";
    }
  }
}

TEST(PhiloxLanes, TheVectorConversionGivesU01FromBitsAtItsEdges) {
  // The conversion builds u from the mantissa bits and the top bit t of x >> 11 with a
  // round-to-even tie when t = 1 (philox_lanes.cpp): every combination of t, the parity
  // of the last bit, the smallest and largest values and the capped top cell, with
  // garbage in the upper halves of neither word (the lanes' own cleaning is tested above).
  std::vector<std::uint64_t> xs;
  for (std::uint64_t top : {0ULL, 1ULL << 63, 0x7ffULL << 53})
    for (std::uint64_t mid : {0ULL, 0x5555555555555555ULL, 0x000fffffffffffffULL})
      for (std::uint64_t last : {0ULL, 1ULL, 0x7ffULL, 0x800ULL, 0xfffULL, 0x801ULL})
        xs.push_back(top | ((mid << 12) & ~(0x7ffULL << 53) & ~(1ULL << 63)) | last);
  for (std::uint64_t x : {0ULL, ~0ULL, ~0ULL << 11, (1ULL << 63) - 1, 1ULL << 63,
                          (1ULL << 63) | (1ULL << 11), (1ULL << 63) | (3ULL << 11)})
    xs.push_back(x);
  std::uint64_t z = 12345;
  for (int i = 0; i < 4096; ++i) xs.push_back(z = mix64(z));
  while (xs.size() % 4 != 0) xs.push_back(0);
  std::vector<std::uint32_t> lo, hi;
  for (std::uint64_t x : xs) {
    lo.push_back(static_cast<std::uint32_t>(x));
    hi.push_back(static_cast<std::uint32_t>(x >> 32));
  }
  std::vector<double> sse2(xs.size()), avx2(xs.size());
  words_to_uniforms_sse2(lo.data(), hi.data(), xs.size(), sse2.data());
  if (philox_has_avx2()) words_to_uniforms_avx2(lo.data(), hi.data(), xs.size(), avx2.data());
  for (std::size_t i = 0; i < xs.size(); ++i) {
    const std::uint64_t want = bits(u01_from_bits(xs[i]));
    ASSERT_EQ(bits(sse2[i]), want) << std::hex << xs[i];
    if (philox_has_avx2()) {
      ASSERT_EQ(bits(avx2[i]), want) << "avx2, " << std::hex << xs[i];
    }
  }
}

TEST(PhiloxLanes, EveryBuildGivesTheInverseCdfIncludingBothTails) {
  // Central and tail draws mixed, down to u = 1e-300 (the far rational, r > 5).
  std::vector<double> u;
  for (int i = 1; i < static_cast<int>(kNormalBlock); ++i) {
    const double v = static_cast<double>(i) / kNormalBlock;
    u.push_back(i % 7 == 0   ? std::ldexp(1.0, -i * 4)
                : i % 5 == 0 ? 1.0 - std::ldexp(1.0, -i / 5 - 1)
                             : v);
  }
  u.push_back(1e-300);
  ASSERT_EQ(u.size(), kNormalBlock);
  std::vector<double> generic(u.size()), avx2(u.size());
  for (std::size_t n : {u.size(), std::size_t{5}, std::size_t{1}}) {
    normals_generic(u.data(), n, generic.data());
    if (philox_has_avx2()) normals_avx2(u.data(), n, avx2.data());
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t want = bits(inverse_normal_cdf(u[i]));
      ASSERT_EQ(bits(generic[i]), want) << "u " << u[i];
      if (philox_has_avx2()) {
        ASSERT_EQ(bits(avx2[i]), want) << "avx2, u " << u[i];
      }
    }
  }
}

}  // namespace
}  // namespace tamnhin::random::detail
