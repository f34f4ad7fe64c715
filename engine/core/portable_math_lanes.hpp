// The functions of portable_math.hpp over arrays (a batch's lanes): dst[i] = f(a[i], b[i]).
// Built twice, for x86-64's baseline (SSE2, two lanes per instruction) and for AVX2 (four),
// and chosen once by the CPU. Both builds run the same IEEE-754 operations in the same
// order (no contraction into FMA: -ffp-contract=off), so they give the same bits; a unit
// test compares them. (The AVX2 build of pow computes the exact error of a product with
// one FMA instead of Dekker's splitting: exact either way, so the same bits.)
#pragma once

#include <cstddef>

namespace tamnhin::pmath {

void exp_lanes(std::size_t n, double* __restrict dst, const double* a);
void log_lanes(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes(std::size_t n, double* __restrict dst, const double* a);

// The builds themselves, for the test that compares them (avx2 only where the CPU has it).
// True where the CPU has AVX2 and FMA (every x86-64 CPU with AVX2 has both). The one CPU
// check of the project: every module's AVX2 builds (kernel, summaries, Philox) ask it.
bool has_avx2();
namespace detail {
void exp_lanes_generic(std::size_t n, double* __restrict dst, const double* a);
void log_lanes_generic(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes_generic(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes_generic(std::size_t n, double* __restrict dst, const double* a);
void exp_lanes_avx2(std::size_t n, double* __restrict dst, const double* a);
void log_lanes_avx2(std::size_t n, double* __restrict dst, const double* a);
void pow_lanes_avx2(std::size_t n, double* __restrict dst, const double* a, const double* b);
void logistic_lanes_avx2(std::size_t n, double* __restrict dst, const double* a);
}  // namespace detail

}  // namespace tamnhin::pmath
