#include "engine/core/portable_math_lanes.hpp"

#include "engine/core/portable_math.hpp"

namespace tamnhin::pmath {

#if defined(__x86_64__) && defined(__GNUC__)
#define TAMNHIN_AVX2 [[gnu::target("avx2")]]
#else
#define TAMNHIN_AVX2
#endif

// One loop body per function, instantiated for each build.
#define TAMNHIN_LANES_1(name, f, attr)                                     \
  attr void name(std::size_t n, double* __restrict dst, const double* a) { \
    for (std::size_t i = 0; i < n; ++i) dst[i] = f(a[i]);                  \
  }
#define TAMNHIN_LANES_2(name, f, attr)                                                      \
  attr void name(std::size_t n, double* __restrict dst, const double* a, const double* b) { \
    for (std::size_t i = 0; i < n; ++i) dst[i] = f(a[i], b[i]);                             \
  }

namespace detail {
TAMNHIN_LANES_1(exp_lanes_generic, pmath::exp, )
TAMNHIN_LANES_1(log_lanes_generic, pmath::log, )
TAMNHIN_LANES_2(pow_lanes_generic, pmath::pow, )
TAMNHIN_LANES_1(logistic_lanes_generic, pmath::logistic, )
TAMNHIN_LANES_1(exp_lanes_avx2, pmath::exp, TAMNHIN_AVX2)
TAMNHIN_LANES_1(log_lanes_avx2, pmath::log, TAMNHIN_AVX2)
TAMNHIN_LANES_2(pow_lanes_avx2, pmath::pow, TAMNHIN_AVX2)
TAMNHIN_LANES_1(logistic_lanes_avx2, pmath::logistic, TAMNHIN_AVX2)
}  // namespace detail

bool has_avx2() {
#if defined(__x86_64__) && defined(__GNUC__)
  static const bool avx2 = __builtin_cpu_supports("avx2");
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
