#include "engine/core/portable_math_lanes.hpp"

#include "engine/core/portable_math.hpp"
#include "engine/core/portable_math_pack.hpp"

#include <cstdint>
#include <cstring>
#include <limits>
#include <type_traits>

namespace tamnhin::pmath {

#if defined(__x86_64__) && defined(__GNUC__)
#define TAMNHIN_AVX2 [[gnu::target("avx2")]]
#define TAMNHIN_AVX2_FMA [[gnu::target("avx2,fma")]]
#define TAMNHIN_AVX512 [[gnu::target("avx512f,avx512dq,fma")]]
#else
#define TAMNHIN_AVX2
#define TAMNHIN_AVX2_FMA
#define TAMNHIN_AVX512
#endif

namespace {

#if defined(__clang__)
// Clang builds the sanitizer and fuzzing configurations, where it takes minutes to compile
// the packs at -O1: there the lanes run one by one (the same bits, the same row logic).
using Avx512 = double;
using Avx2 = double;
using Sse2 = double;
#else
// Eight lanes at a time (portable_math_pack.hpp says why): two AVX2 vectors, or four SSE2
// ones in the baseline build; sixteen in two AVX-512 vectors.
using Avx512 = lanes::Pack<lanes::V8, 2>;
using Avx2 = lanes::Pack<lanes::V4, 2>;
using Sse2 = lanes::Pack<lanes::V2, 4>;
#endif
template <class P>
constexpr std::size_t kWidth = sizeof(P) / sizeof(double);

// Member by member: GCC 12 copies a whole pack through the stack.
template <class P>
TAMNHIN_PMATH_INLINE P load(const double* p) {
  if constexpr (std::is_same_v<P, double>) {
    return *p;
  } else {
    P r;
    for (auto& v : r.v) {
      std::memcpy(&v, p, sizeof v);
      p += sizeof v / sizeof(double);
    }
    return r;
  }
}
template <class P>
TAMNHIN_PMATH_INLINE void store(double* p, const P& x) {
  if constexpr (std::is_same_v<P, double>) {
    *p = x;
  } else {
    for (const auto& v : x.v) {
      std::memcpy(p, &v, sizeof v);
      p += sizeof v / sizeof(double);
    }
  }
}

// Lanes [i, n) as a pack of kWidth, the missing ones 1.0 (a value in every function's
// domain; their results are dropped).
template <class P>
TAMNHIN_PMATH_INLINE P load_tail(const double* p, std::size_t i, std::size_t n) {
  double pad[kWidth<P>];
  for (double& x : pad) x = 1.0;
  std::memcpy(pad, p + i, (n - i) * sizeof(double));
  return load<P>(pad);
}

// f over a row, eight lanes at a time, the last n % 8 in a padded pack. Lanes do not
// interact, so a lane's bits do not depend on the pack it is computed in.
template <class P, P (*f)(P)>
TAMNHIN_PMATH_INLINE void rows_1(std::size_t n, double* __restrict dst, const double* a) {
  std::size_t i = 0;
  for (; i + kWidth<P> <= n; i += kWidth<P>) {
    store(dst + i, f(load<P>(a + i)));
  }
  if (i == n) return;
  const P y = f(load_tail<P>(a, i, n));
  std::memcpy(dst + i, &y, (n - i) * sizeof(double));
}

// The same for two-argument functions.
template <class P, P (*f)(P, P)>
TAMNHIN_PMATH_INLINE void rows_2(std::size_t n, double* __restrict dst, const double* a,
                                 const double* b) {
  std::size_t i = 0;
  for (; i + kWidth<P> <= n; i += kWidth<P>) store(dst + i, f(load<P>(a + i), load<P>(b + i)));
  if (i == n) return;
  const P y = f(load_tail<P>(a, i, n), load_tail<P>(b, i, n));
  std::memcpy(dst + i, &y, (n - i) * sizeof(double));
}

// pow over a row, by what its lanes hold. When every lane has x > 0 and finite and y
// finite (every pow of the shipped models), pow's sign and special-value selects change
// nothing, so the row runs pow_magnitude alone, which is pow's own value there: the same
// bits, a third fewer instructions. When moreover every x is normal and every |y| <= 1
// (elasticities), pow_magnitude's guards against over- and underflow change nothing
// either and are left out too. One lane outside a tier sends the whole row to the next.
template <class P, bool kFma>
TAMNHIN_PMATH_INLINE void pow_body(std::size_t n, double* __restrict dst, const double* a,
                                   const double* b) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  std::uint64_t special = 0, wide = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool plain = (a[i] > 0.0) & (a[i] < kInf) & (b[i] > -kInf) & (b[i] < kInf);
    const bool moderate = (a[i] >= 0x1p-1022) & (b[i] >= -1.0) & (b[i] <= 1.0);
    special |= plain ? 0 : 1;
    wide |= moderate ? 0 : 1;
  }
  if (special != 0) {
    rows_2<P, detail::pow_v<kFma, P>>(n, dst, a, b);
  } else if (wide != 0) {
    rows_2<P, detail::pow_magnitude<kFma, false, P>>(n, dst, a, b);
  } else {
    rows_2<P, detail::pow_magnitude<kFma, true, P>>(n, dst, a, b);
  }
}

}  // namespace

// One loop body per one-argument function, instantiated for each build.
#define TAMNHIN_LANES_1(name, f, P, attr)                                  \
  attr void name(std::size_t n, double* __restrict dst, const double* a) { \
    rows_1<P, f<P>>(n, dst, a);                                            \
  }

namespace detail {
TAMNHIN_LANES_1(exp_lanes_generic, exp_v, Sse2, )
TAMNHIN_LANES_1(log_lanes_generic, log_v, Sse2, )
TAMNHIN_LANES_1(logistic_lanes_generic, logistic_v, Sse2, )
TAMNHIN_LANES_1(exp_lanes_avx2, exp_v, Avx2, TAMNHIN_AVX2)
TAMNHIN_LANES_1(log_lanes_avx2, log_v, Avx2, TAMNHIN_AVX2)
TAMNHIN_LANES_1(logistic_lanes_avx2, logistic_v, Avx2, TAMNHIN_AVX2)
TAMNHIN_LANES_1(exp_lanes_avx512, exp_v, Avx512, TAMNHIN_AVX512)
TAMNHIN_LANES_1(logistic_lanes_avx512, logistic_v, Avx512, TAMNHIN_AVX512)

void pow_lanes_generic(std::size_t n, double* __restrict dst, const double* a, const double* b) {
  pow_body<Sse2, false>(n, dst, a, b);
}

// With FMA for the exact products of pow (two_prod): the same bits as Dekker's splitting,
// in two instructions instead of seventeen.
TAMNHIN_AVX2_FMA void pow_lanes_avx2(std::size_t n, double* __restrict dst, const double* a,
                                     const double* b) {
  pow_body<Avx2, true>(n, dst, a, b);
}

TAMNHIN_AVX512 void pow_lanes_avx512(std::size_t n, double* __restrict dst, const double* a,
                                     const double* b) {
  pow_body<Avx512, true>(n, dst, a, b);
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

bool has_avx512() {
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
  static const bool avx512 =
      has_avx2() && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512dq");
  return avx512;
#else
  return false;  // clang's builds (sanitizers) run the lanes one by one anyway
#endif
}

void exp_lanes(std::size_t n, double* __restrict dst, const double* a) {
  if (has_avx512()) return detail::exp_lanes_avx512(n, dst, a);
  has_avx2() ? detail::exp_lanes_avx2(n, dst, a) : detail::exp_lanes_generic(n, dst, a);
}
// log stays in AVX2: GCC 12's AVX-512 build of it took 1.18 us for 256 lanes, against 0.74.
void log_lanes(std::size_t n, double* __restrict dst, const double* a) {
  has_avx2() ? detail::log_lanes_avx2(n, dst, a) : detail::log_lanes_generic(n, dst, a);
}
void pow_lanes(std::size_t n, double* __restrict dst, const double* a, const double* b) {
  if (has_avx512()) return detail::pow_lanes_avx512(n, dst, a, b);
  has_avx2() ? detail::pow_lanes_avx2(n, dst, a, b) : detail::pow_lanes_generic(n, dst, a, b);
}
void logistic_lanes(std::size_t n, double* __restrict dst, const double* a) {
  if (has_avx512()) return detail::logistic_lanes_avx512(n, dst, a);
  has_avx2() ? detail::logistic_lanes_avx2(n, dst, a) : detail::logistic_lanes_generic(n, dst, a);
}

}  // namespace tamnhin::pmath
