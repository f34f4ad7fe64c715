// Internal to engine/random: Philox4x32-10 over many counters at once, written with SSE2
// and AVX2 intrinsics (two and four counters per register), and AS 241's rationals over a
// block; the AVX2 build is chosen once by the CPU. Integer arithmetic and
// the same IEEE-754 operations in the same order (no FMA), so every build gives the bits
// of r123::Philox4x32 and of inverse_normal_cdf; unit tests compare them.
#pragma once

#include <cstddef>
#include <cstdint>

namespace tamnhin::random::detail {

// out[2i], out[2i+1] = the two uniforms of counter m0 + i (philox.hpp's layout), i < pairs.
void philox_pairs(std::uint64_t key, std::uint32_t year, std::uint64_t m0, std::size_t pairs,
                  double* out);

// z[i] = inverse_normal_cdf(u[i]) for i < n <= kNormalBlock, u[i] in (0, 1).
inline constexpr std::size_t kNormalBlock = 256;
void normals(const double* u, std::size_t n, double* z);

bool philox_has_avx2();
void philox_pairs_sse2(std::uint64_t key, std::uint32_t year, std::uint64_t m0, std::size_t pairs,
                       double* out);
void philox_pairs_avx2(std::uint64_t key, std::uint32_t year, std::uint64_t m0, std::size_t pairs,
                       double* out);
// out[i] = u01_from_bits(hi[i]:lo[i]) for i < n, n a multiple of 4: the vector conversion
// of the builds above, exposed for the unit test of its edge cases.
void words_to_uniforms_sse2(const std::uint32_t* lo, const std::uint32_t* hi, std::size_t n,
                            double* out);
void words_to_uniforms_avx2(const std::uint32_t* lo, const std::uint32_t* hi, std::size_t n,
                            double* out);
void normals_generic(const double* u, std::size_t n, double* z);
void normals_avx2(const double* u, std::size_t n, double* z);

}  // namespace tamnhin::random::detail
