// Pack<V, N>: N vectors of doubles (GCC vector extensions) operated on side by side, with
// the operators and the detail::Lanes traits that the templates of portable_math.hpp need.
// Only portable_math_lanes.cpp includes it.
//
// Why: pow is one long dependent chain per lane (log, the exact product, exp). A loop over
// single 4-lane vectors runs ~135 instructions per iteration whose every step waits for the
// previous one, and the out-of-order core overlapped barely two iterations (IPC ~1.6). A
// pack of two vectors puts two independent chains side by side in the instruction stream,
// so the core always has independent work at hand. Each lane still runs the scalar
// function's operations in the scalar function's order, so it gets the same bits. (GCC's
// own vectors wider than the registers would say this more briefly, but GCC 12 splits
// their compares and selects into scalar code.)
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "engine/core/portable_math.hpp"

namespace tamnhin::pmath {

namespace lanes {

template <class V, int N>
struct Pack {
  V v[N];
  Pack() = default;
  // A double as every lane (the arms of select).
  TAMNHIN_PMATH_INLINE Pack(double x) {  // NOLINT: implicit on purpose
    for (int i = 0; i < N; ++i)
      for (std::size_t j = 0; j < sizeof(V) / sizeof(double); ++j) v[i][j] = x;
  }
};

template <class V>
using Mask = decltype(V{} < V{});
template <class V>
using Elem = std::remove_cvref_t<decltype(V{}[0])>;

// Each operator applies the vectors' own operator member by member; a scalar operand is
// converted to the lanes' type first (GCC then broadcasts it).
#define TAMNHIN_PACK_BINARY(op)                                                                 \
  template <class V, int N>                                                                     \
  TAMNHIN_PMATH_INLINE auto operator op(const Pack<V, N>& a, const Pack<V, N>& b) {             \
    Pack<decltype(a.v[0] op b.v[0]), N> r;                                                      \
    for (int i = 0; i < N; ++i) r.v[i] = a.v[i] op b.v[i];                                      \
    return r;                                                                                   \
  }                                                                                             \
  template <class V, int N, class S>                                                            \
  requires std::is_arithmetic_v<S> TAMNHIN_PMATH_INLINE auto operator op(const Pack<V, N>& a,   \
                                                                         S b) {                 \
    Pack<decltype(a.v[0] op a.v[0]), N> r;                                                      \
    for (int i = 0; i < N; ++i) r.v[i] = a.v[i] op static_cast<Elem<V>>(b);                     \
    return r;                                                                                   \
  }                                                                                             \
  template <class V, int N, class S>                                                            \
  requires std::is_arithmetic_v<S> TAMNHIN_PMATH_INLINE auto operator op(S a,                   \
                                                                         const Pack<V, N>& b) { \
    Pack<decltype(b.v[0] op b.v[0]), N> r;                                                      \
    for (int i = 0; i < N; ++i) r.v[i] = static_cast<Elem<V>>(a) op b.v[i];                     \
    return r;                                                                                   \
  }
TAMNHIN_PACK_BINARY(+)
TAMNHIN_PACK_BINARY(-)
TAMNHIN_PACK_BINARY(*)
TAMNHIN_PACK_BINARY(/)
TAMNHIN_PACK_BINARY(<)
TAMNHIN_PACK_BINARY(>)
TAMNHIN_PACK_BINARY(>=)
TAMNHIN_PACK_BINARY(==)
TAMNHIN_PACK_BINARY(!=)
TAMNHIN_PACK_BINARY(&)
TAMNHIN_PACK_BINARY(|)
TAMNHIN_PACK_BINARY(<<)
TAMNHIN_PACK_BINARY(>>)
#undef TAMNHIN_PACK_BINARY

template <class V, int N>
TAMNHIN_PMATH_INLINE Pack<V, N> operator-(const Pack<V, N>& a) {
  Pack<V, N> r;
  for (int i = 0; i < N; ++i) r.v[i] = -a.v[i];
  return r;
}

// The vectors of the builds (AVX-512, AVX2, SSE2), and the unsigned 64-bit lanes of their
// bits.
using V8 = double __attribute__((vector_size(8 * sizeof(double))));
using V4 = double __attribute__((vector_size(4 * sizeof(double))));
using V2 = double __attribute__((vector_size(2 * sizeof(double))));
template <class V>
struct BitsOf;
template <>
struct BitsOf<V8> {
  using type = std::uint64_t __attribute__((vector_size(sizeof(V8))));
};
template <>
struct BitsOf<V4> {
  using type = std::uint64_t __attribute__((vector_size(sizeof(V4))));
};
template <>
struct BitsOf<V2> {
  using type = std::uint64_t __attribute__((vector_size(sizeof(V2))));
};

}  // namespace lanes

// What portable_math.hpp's templates ask of a value type (see detail::Lanes<double>).
template <class V, int N>
struct detail::Lanes<lanes::Pack<V, N>> {
  using P = lanes::Pack<V, N>;
  using Bits = lanes::Pack<typename lanes::BitsOf<V>::type, N>;
  TAMNHIN_PMATH_INLINE static P select(const lanes::Pack<lanes::Mask<V>, N>& m, const P& a,
                                       const P& b) {
    P r;
    for (int i = 0; i < N; ++i) r.v[i] = m.v[i] ? a.v[i] : b.v[i];
    return r;
  }
  // Lane by lane; GCC turns each vector's lanes into one FMA instruction.
  TAMNHIN_PMATH_INLINE static P fms(const P& a, const P& b, const P& p) {
    P r;
    for (int i = 0; i < N; ++i)
      for (std::size_t j = 0; j < sizeof(V) / sizeof(double); ++j)
        r.v[i][j] = __builtin_fma(a.v[i][j], b.v[i][j], -p.v[i][j]);
    return r;
  }
};

}  // namespace tamnhin::pmath
