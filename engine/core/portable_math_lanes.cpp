#include "engine/core/portable_math_lanes.hpp"

#include "engine/core/portable_math.hpp"

#include <cstdint>
#include <limits>

namespace tamnhin::pmath {

#if defined(__x86_64__) && defined(__GNUC__)
#define TAMNHIN_AVX2 [[gnu::target("avx2")]]
#define TAMNHIN_AVX2_FMA [[gnu::target("avx2,fma")]]
#else
#define TAMNHIN_AVX2
#define TAMNHIN_AVX2_FMA
#endif

// One loop body per one-argument function, instantiated for each build (pow has its own
// body, pow_body below).
#define TAMNHIN_LANES_1(name, f, attr)                                     \
  attr void name(std::size_t n, double* __restrict dst, const double* a) { \
    for (std::size_t i = 0; i < n; ++i) dst[i] = f(a[i]);                  \
  }

namespace {

// pow over a row: when every lane has x > 0 and finite and y finite (every pow of the
// shipped models), pow's sign and special-value selects change nothing, so the row runs
// pow_magnitude alone, which is pow's own value there: the same bits, a third fewer
// instructions. One special lane sends the whole row through pow.
template <bool kFma>
[[gnu::always_inline]] inline void pow_body(std::size_t n, double* __restrict dst, const double* a,
                                            const double* b) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::uint64_t special = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool plain = (a[i] > 0.0) & (a[i] < kInf) & (b[i] > -kInf) & (b[i] < kInf);
    special |= plain ? 0 : 1;
  }
  if (special == 0) {
    for (std::size_t i = 0; i < n; ++i) dst[i] = detail::pow_magnitude<kFma>(a[i], b[i]);
  } else {
    for (std::size_t i = 0; i < n; ++i) dst[i] = pow<kFma>(a[i], b[i]);
  }
}

}  // namespace

namespace detail {
TAMNHIN_LANES_1(exp_lanes_generic, pmath::exp, )
TAMNHIN_LANES_1(log_lanes_generic, pmath::log, )
TAMNHIN_LANES_1(logistic_lanes_generic, pmath::logistic, )
TAMNHIN_LANES_1(exp_lanes_avx2, pmath::exp, TAMNHIN_AVX2)
TAMNHIN_LANES_1(log_lanes_avx2, pmath::log, TAMNHIN_AVX2)
TAMNHIN_LANES_1(logistic_lanes_avx2, pmath::logistic, TAMNHIN_AVX2)

void pow_lanes_generic(std::size_t n, double* __restrict dst, const double* a, const double* b) {
  pow_body<false>(n, dst, a, b);
}

// With FMA for the exact products of pow (two_prod): the same bits as Dekker's splitting,
// in two instructions instead of seventeen.
TAMNHIN_AVX2_FMA void pow_lanes_avx2(std::size_t n, double* __restrict dst, const double* a,
                                     const double* b) {
  pow_body<true>(n, dst, a, b);
}
}  // namespace detail

bool has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  // FMA too: the AVX2 build of pow uses it (every x86-64 CPU with AVX2 has it).
  static const bool avx2 = __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
  return avx2;
#else
  return false;
#endif
}

void exp_lanes(std::size_t n, double* __restrict dst, const double* a) {
  has_avx2() ? detail::exp_lanes_avx2(n, dst, a) : detail::exp_lanes_generic(n, dst, a);
}
void log_lanes(std::size_t n, double* __restrict dst, const double* a) {
  has_avx2() ? detail::log_lanes_avx2(n, dst, a) : detail::log_lanes_generic(n, dst, a);
}
void pow_lanes(std::size_t n, double* __restrict dst, const double* a, const double* b) {
  has_avx2() ? detail::pow_lanes_avx2(n, dst, a, b) : detail::pow_lanes_generic(n, dst, a, b);
}
void logistic_lanes(std::size_t n, double* __restrict dst, const double* a) {
  has_avx2() ? detail::logistic_lanes_avx2(n, dst, a) : detail::logistic_lanes_generic(n, dst, a);
}

}  // namespace tamnhin::pmath
