// The SSE2 and AVX2 builds of the batched generator (engine/random/philox_lanes.cpp) give
// the bits of the scalar functions: r123's Philox4x32 through uniform(), and
// inverse_normal_cdf, including both tail rationals.
#include "engine/random/philox_lanes.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <vector>

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
