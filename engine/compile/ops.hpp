// The instruction set of a compiled program and the lane kernels that execute it.
// Each op is a tight loop over the lanes of a batch (one lane per draw), so the cost of
// interpretation is paid once per op per year, not per draw (ARCHITECTURE.md, decision 1).
// The same kernels fold constants at compile time (with one lane), so folding can never
// disagree with running. exp, log, pow and logistic are engine/core/portable_math.hpp's:
// plain arithmetic, so their bits do not depend on the C library or the CPU, run over the
// lanes by portable_math_lanes.cpp (vectorised, with an AVX2 build chosen at run time).
#pragma once

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <type_traits>

#include "engine/core/check.hpp"
#include "engine/core/portable_math_lanes.hpp"

namespace tamnhin {

enum class OpCode : std::uint8_t {
  // pure: dst = f(in...), run by run_pure_op below
  copy,
  negate,
  add,
  sub,
  mul,
  div,
  pow,
  lt,
  le,
  gt,
  ge,
  eq,
  ne,
  logical_and,
  logical_or,
  logical_not,
  min,
  max,
  clamp,
  abs,
  exp,
  log,
  sqrt,
  select,
  logistic,
  triangular,  // in: u, min, mode, max  -> inverse CDF of the triangular distribution
  sin,
  cos,
  floor,
  ceil,
  round,  // half away from zero, as std::round
  mod,    // a - b * floor(a / b): the sign of b, as in Python and Vensim's MODULO
  // with program data or state, run by the simulator (aux indexes into a Program table)
  lookup,       // in: x; aux = table
  ramp,         // in: v0, v1; aux = ramp (y0, y1): v0 before y0, v1 after y1, linear between
  normal_z,     // aux = random site: standard normal for (site, draw, year)
  uniform_u,    // aux = random site: uniform in (0, 1) for (site, draw, year)
  path,         // aux = path: the keyframe value of this year
  smooth,       // in: x, tau, prev(state); aux = year index at which the state starts at x
  delay_out,    // in: x, tau, prev(stock); aux = first year index: x then, else prev(stock)/tau
  delay_stock,  // in: x, tau, prev(stock), out; aux as delay_out: x*tau, else stock - out + x
  shock_group,  // aux = shock group: correlated standard normals into each member's slot
  finish_var,   // aux = variable: clamp, check finite, record (and seed its history)
};

// What the compiler and the simulator need to know of each op. Every op is listed (no
// default), so a new op that is not described here does not compile (-Wswitch).
struct OpTraits {
  int arity = 0;      // inputs read (pure ops)
  bool pure = false;  // a function of its inputs only: folded at compile time, run by
                      // run_pure_op; otherwise run by the simulator
};

constexpr OpTraits traits(OpCode code) {
  switch (code) {
    case OpCode::copy:
    case OpCode::negate:
    case OpCode::logical_not:
    case OpCode::abs:
    case OpCode::exp:
    case OpCode::log:
    case OpCode::sqrt:
    case OpCode::logistic:
    case OpCode::sin:
    case OpCode::cos:
    case OpCode::floor:
    case OpCode::ceil:
    case OpCode::round:
      return {1, true};
    case OpCode::add:
    case OpCode::sub:
    case OpCode::mul:
    case OpCode::div:
    case OpCode::pow:
    case OpCode::lt:
    case OpCode::le:
    case OpCode::gt:
    case OpCode::ge:
    case OpCode::eq:
    case OpCode::ne:
    case OpCode::logical_and:
    case OpCode::logical_or:
    case OpCode::min:
    case OpCode::max:
    case OpCode::mod:
      return {2, true};
    case OpCode::clamp:
    case OpCode::select:
      return {3, true};
    case OpCode::triangular:
      return {4, true};
    case OpCode::lookup:
      return {1, false};
    case OpCode::ramp:
      return {2, false};
    case OpCode::smooth:
    case OpCode::delay_out:
      return {3, false};
    case OpCode::delay_stock:
      return {4, false};
    case OpCode::normal_z:
    case OpCode::uniform_u:
    case OpCode::path:
    case OpCode::shock_group:
    case OpCode::finish_var:
      return {0, false};
  }
  return {};
}

// Number of inputs of an op.
constexpr int arity(OpCode code) {
  return traits(code).arity;
}

constexpr bool is_pure(OpCode code) {
  return traits(code).pure;
}

// One value for every lane: an input the kernel reads from Program::constants rather than
// from a row of lanes (a constant slot), so a loop such as dst[i] = a[i] * k reads one row
// instead of two. Each lane runs the same IEEE-754 operation on the same values either way.
struct Broadcast {
  double value;
  double operator[](std::size_t) const { return value; }
};

// Whether run_pure_op_on can take inputs of `code` as Broadcast. exp, log, pow and logistic
// run portable_math_lanes.cpp's loops over rows, so their inputs stay rows.
constexpr bool takes_broadcast(OpCode code) {
  switch (code) {
    case OpCode::pow:
    case OpCode::exp:
    case OpCode::log:
    case OpCode::logistic:
      return false;
    default:
      return is_pure(code);
  }
}

// exp, log, pow and logistic over rows: portable_math_lanes.cpp's loops.
inline void run_portable_op(OpCode code, std::size_t n, double* __restrict dst, const double* a,
                            const double* b) {
  switch (code) {
    case OpCode::pow:
      pmath::pow_lanes(n, dst, a, b);
      break;
    case OpCode::exp:
      pmath::exp_lanes(n, dst, a);
      break;
    case OpCode::log:
      pmath::log_lanes(n, dst, a);
      break;
    case OpCode::logistic:
      pmath::logistic_lanes(n, dst, a);
      break;
    default:
      detail::check_failed("a portable function's op", static_cast<int>(code), 0, __FILE__,
                           __LINE__);
  }
}

// Executes a pure op over n lanes; each input is a row (const double*) or a Broadcast
// (only where takes_broadcast(code)). The switch is outside the loops.
template <class A, class B, class C, class D>
inline void run_pure_op_on(OpCode code, std::size_t n, double* __restrict dst, A a, B b, C c, D d) {
  // The portable functions take rows only (takes_broadcast): a plan that broadcast one of
  // their inputs would leave dst unwritten, so that instantiation fails loudly instead.
  constexpr bool kRows = std::is_pointer_v<A> && std::is_pointer_v<B>;
  if constexpr (!kRows) {
    if (!takes_broadcast(code)) detail::check_failed("takes_broadcast(code)", __FILE__, __LINE__);
  }
  switch (code) {
    case OpCode::copy:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i];
      break;
    case OpCode::negate:
      for (std::size_t i = 0; i < n; ++i) dst[i] = -a[i];
      break;
    case OpCode::add:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] + b[i];
      break;
    case OpCode::sub:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] - b[i];
      break;
    case OpCode::mul:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] * b[i];
      break;
    case OpCode::div:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] / b[i];
      break;
    case OpCode::pow:
    case OpCode::exp:
    case OpCode::log:
    case OpCode::logistic:
      if constexpr (kRows) run_portable_op(code, n, dst, a, b);
      break;
    case OpCode::lt:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] < b[i] ? 1.0 : 0.0;
      break;
    case OpCode::le:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] <= b[i] ? 1.0 : 0.0;
      break;
    case OpCode::gt:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] > b[i] ? 1.0 : 0.0;
      break;
    case OpCode::ge:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] >= b[i] ? 1.0 : 0.0;
      break;
    case OpCode::eq:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] == b[i] ? 1.0 : 0.0;
      break;
    case OpCode::ne:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] != b[i] ? 1.0 : 0.0;
      break;
    case OpCode::logical_and:
      for (std::size_t i = 0; i < n; ++i) dst[i] = (a[i] != 0.0 && b[i] != 0.0) ? 1.0 : 0.0;
      break;
    case OpCode::logical_or:
      for (std::size_t i = 0; i < n; ++i) dst[i] = (a[i] != 0.0 || b[i] != 0.0) ? 1.0 : 0.0;
      break;
    case OpCode::logical_not:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] == 0.0 ? 1.0 : 0.0;
      break;
    // min/max/clamp propagate NaN instead of hiding it, so a bad value is still caught.
    case OpCode::min:
      for (std::size_t i = 0; i < n; ++i) dst[i] = (a[i] < b[i] || a[i] != a[i]) ? a[i] : b[i];
      break;
    case OpCode::max:
      for (std::size_t i = 0; i < n; ++i) dst[i] = (a[i] > b[i] || a[i] != a[i]) ? a[i] : b[i];
      break;
    case OpCode::clamp:
      for (std::size_t i = 0; i < n; ++i) {
        const double x = a[i] < b[i] ? b[i] : a[i];
        dst[i] = x > c[i] ? c[i] : x;
      }
      break;
    case OpCode::abs:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::fabs(a[i]);
      break;
    case OpCode::sqrt:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::sqrt(a[i]);
      break;
    case OpCode::select:
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] != 0.0 ? b[i] : c[i];
      break;
    case OpCode::triangular:
      for (std::size_t i = 0; i < n; ++i) {
        const double u = a[i], lo = b[i], mode = c[i], hi = d[i];
        const double width = hi - lo;
        const double left = (mode - lo) / width;
        dst[i] = u < left ? lo + std::sqrt(u * width * (mode - lo))
                          : hi - std::sqrt((1.0 - u) * width * (hi - mode));
      }
      break;
    case OpCode::sin:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::sin(a[i]);
      break;
    case OpCode::cos:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::cos(a[i]);
      break;
    case OpCode::floor:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::floor(a[i]);
      break;
    case OpCode::ceil:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::ceil(a[i]);
      break;
    case OpCode::round:
      for (std::size_t i = 0; i < n; ++i) dst[i] = std::round(a[i]);
      break;
    case OpCode::mod:
      // b == 0 gives NaN (caught as a non-finite value), like a division by zero.
      for (std::size_t i = 0; i < n; ++i) dst[i] = a[i] - b[i] * std::floor(a[i] / b[i]);
      break;
    default:
      break;
  }
}

inline void run_pure_op(OpCode code, std::size_t n, double* __restrict dst, const double* a,
                        const double* b, const double* c, const double* d) {
  run_pure_op_on(code, n, dst, a, b, c, d);
}

inline double fold_pure_op(OpCode code, double a, double b = 0, double c = 0, double d = 0) {
  double out = 0;
  run_pure_op(code, 1, &out, &a, &b, &c, &d);
  return out;
}

}  // namespace tamnhin
