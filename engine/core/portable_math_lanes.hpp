// The functions of portable_math.hpp over arrays (a batch's lanes): dst[i] = f(a[i], b[i]).
// Built for x86-64's baseline (SSE2, two lanes per instruction), AVX2 (four) and, but for
// log, AVX-512 (eight), and chosen once by the CPU. Every build runs the same IEEE-754
// operations in the same order (no contraction into FMA: -ffp-contract=off), so they give
// the same bits; a unit test compares them. (The AVX2 and AVX-512 builds of pow compute the
// exact error of a product with one FMA instead of Dekker's splitting: exact either way,
// so the same bits.)
#pragma once

#include <cstddef>

namespace tamnhin::pmath {

void exp_lanes(std::size_t n, double* __restrict dst, const double* a);
void log_lanes(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes(std::size_t n, double* __restrict dst, const double* a);

// The builds themselves, for the test that compares them (avx2 only where the CPU has it).
// True where the CPU has AVX2 and FMA (every x86-64 CPU with AVX2 has both). The CPU check
// of the project's AVX2 builds: every module's (kernel, summaries, Philox) asks it.
bool has_avx2();
// True where the CPU has AVX-512 F and DQ too (and the build is GCC's): exp, pow and
// logistic then run sixteen lanes in two 512-bit vectors, the same operations per lane
// (log stays in AVX2, faster there).
bool has_avx512();
namespace detail {
void exp_lanes_generic(std::size_t n, double* __restrict dst, const double* a);
void log_lanes_generic(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes_generic(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes_generic(std::size_t n, double* __restrict dst, const double* a);
void exp_lanes_avx2(std::size_t n, double* __restrict dst, const double* a);
void log_lanes_avx2(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes_avx2(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes_avx2(std::size_t n, double* __restrict dst, const double* a);
void exp_lanes_avx512(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes_avx512(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes_avx512(std::size_t n, double* __restrict dst, const double* a);
}  // namespace detail

}  // namespace tamnhin::pmath
