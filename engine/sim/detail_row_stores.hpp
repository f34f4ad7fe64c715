// Internal to engine/sim: how the batch kernel (simulate.cpp) writes a finished row of a
// recorded variable into its cube column, around the caches, and checks it is finite on
// the way. One copy per width of store: x86-64's baseline (16 bytes) and AVX-512 (64).
#pragma once

#include <bit>
#include <cstddef>
#include <cstdint>

#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace tamnhin::detail {

#if defined(__SSE2__)
// One value streamed alone (before a vector loop's aligned stores, and after its last whole
// vector); returns the bits of x - x.
inline std::uint64_t stream_one(double x, double* to) {
  _mm_stream_si64(reinterpret_cast<long long*>(to), std::bit_cast<long long>(x));
  return std::bit_cast<std::uint64_t>(x - x);
}
#endif

// Copies n values into a cube column with non-temporal stores: the cube is written once per
// batch and read only after the whole round (summaries, comparisons), so the stores go
// around the caches instead of first reading every line they write (a quarter of the
// kernel's time on Long An went to that, with the stores computed in place) and of
// evicting the workspace that the next op reads. Callers end with stream_fence().
// Returns the OR of the bits of x - x over the values (finish_var's finiteness check, see
// there), so that the values are read once for both.
inline std::uint64_t stream_copy(const double* from, std::size_t n, double* to) {
  std::uint64_t non_finite_bits = 0;
#if defined(__SSE2__)
  std::size_t i = 0;
  for (; i < n && (reinterpret_cast<std::uintptr_t>(to + i) & 15) != 0; ++i)
    non_finite_bits |= stream_one(from[i], to + i);
  __m128d bits = _mm_setzero_pd();
  for (; i + 2 <= n; i += 2) {
    const __m128d x = _mm_loadu_pd(from + i);
    bits = _mm_or_pd(bits, _mm_sub_pd(x, x));
    _mm_stream_pd(to + i, x);
  }
  for (; i < n; ++i) non_finite_bits |= stream_one(from[i], to + i);
  non_finite_bits |=
      static_cast<std::uint64_t>(_mm_cvtsi128_si64(_mm_castpd_si128(bits)) |
                                 _mm_cvtsi128_si64(_mm_castpd_si128(_mm_unpackhi_pd(bits, bits))));
#else
  for (std::size_t i = 0; i < n; ++i) {
    non_finite_bits |= std::bit_cast<std::uint64_t>(from[i] - from[i]);
    to[i] = from[i];
  }
#endif
  return non_finite_bits;
}

#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
// stream_copy in 64-byte stores, for the AVX-512 build: each store writes a whole cache line,
// which the write-combining buffers then send at once. 2 KB rows into the columns of a
// 228 MB cube, as the kernel writes them: 12-15 ms a pass against 22-26 ms in 16-byte
// stores on docs/performance.md's Intel VM (tenth session).
[[gnu::target("avx512f,avx512dq")]] inline std::uint64_t stream_copy_avx512(const double* from,
                                                                            std::size_t n,
                                                                            double* to) {
  std::uint64_t non_finite_bits = 0;
  std::size_t i = 0;
  for (; i < n && (reinterpret_cast<std::uintptr_t>(to + i) & 63) != 0; ++i)
    non_finite_bits |= stream_one(from[i], to + i);
  __m512d bits = _mm512_setzero_pd();
  for (; i + 8 <= n; i += 8) {
    const __m512d x = _mm512_loadu_pd(from + i);
    bits = _mm512_or_pd(bits, _mm512_sub_pd(x, x));
    _mm512_stream_pd(to + i, x);
  }
  for (; i < n; ++i) non_finite_bits |= stream_one(from[i], to + i);
  // Reduced through memory: GCC 12's _mm512_reduce_or_epi64 warns of an uninitialised value.
  alignas(64) std::uint64_t lanes[8];
  _mm512_store_si512(lanes, _mm512_castpd_si512(bits));
  for (const std::uint64_t lane : lanes) non_finite_bits |= lane;
  return non_finite_bits;
}
#endif

// How a build copies a finished row into the cube (stream_copy or a wider one).
using StreamCopy = std::uint64_t (*)(const double* from, std::size_t n, double* to);

// Orders the non-temporal stores before whatever the thread does next (the end of its work
// item, after which another thread may read the cube).
inline void stream_fence() {
#if defined(__SSE2__)
  _mm_sfence();
#endif
}

}  // namespace tamnhin::detail
