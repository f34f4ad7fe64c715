// exp, log, pow and logistic in plain IEEE-754 double arithmetic (+ - * / and bit
// operations only, no libm), so that
//   - the bits do not depend on the C library or the CPU: every operation is a basic
//     operation rounded to nearest, and the project builds with -ffp-contract=off (the one
//     FMA, in an AVX2 build's two_prod, computes an exact error term: the same bits);
//   - loops over them vectorise (no branches, no table lookups, no calls; the integer work
//     is 64-bit add, shift and mask, which SSE2 has).
// exp and log follow FreeBSD's msun (fdlibm: e_exp.c, e_log.c) with the branches turned
// into selects; pow is exp(y log x) with log in double-double and the product y log x
// carried with its rounding error into exp, so its error does not grow with |y log x| the
// way a plain exp(y * log(x)) does. Accuracy against MPFR, in ulps, is measured by
// tests/unit/core/portable_math_test.cpp and stated in docs/performance.md.
//
// Special values follow C99 Annex F where a model can meet them: exp(NaN) = NaN,
// exp(+inf) = +inf, exp(-inf) = 0; log(0) = -inf, log(x < 0) = NaN, log(+inf) = +inf;
// pow(x, 0) = 1, pow(1, y) = 1, pow(x < 0, integer y) = ±|x|^y, pow(x < 0, other y) = NaN,
// pow(±0, y < 0) = +inf.
#pragma once

#include <bit>
#include <cmath>
#include <cstdint>
#include <limits>

// Always inlined: a call inside a loop would stop it from vectorising.
#define TAMNHIN_PMATH_INLINE [[gnu::always_inline]] inline

namespace tamnhin::pmath {

namespace detail {

// The formulas below are templates over the value type T: double, or a pack of vectors of
// doubles (portable_math_lanes.cpp runs them on 8 lanes at a time, as two 4-lane vectors
// whose instructions sit side by side). Every operation is the same IEEE-754 operation on
// each lane, so a lane gets the same bits as the scalar function. A comparison yields bool
// for double and a lane mask for a pack. Lanes<T> gives what differs between the two:
// the 64-bit integer type of T's bits, select(mask, a, b) (per lane for a pack, where the
// arms may be doubles, broadcast) and, for builds with FMA, the fused a * b - p.
template <class T>
struct Lanes;
template <>
struct Lanes<double> {
  using Bits = std::uint64_t;
  TAMNHIN_PMATH_INLINE static double select(bool m, double a, double b) { return m ? a : b; }
  TAMNHIN_PMATH_INLINE static double fms(double a, double b, double p) {
    return __builtin_fma(a, b, -p);
  }
};

// m ? a : b, lane by lane. Both arms are computed (they are plain arithmetic).
template <class T, class M, class A, class B>
TAMNHIN_PMATH_INLINE T select(M m, A a, B b) {
  return Lanes<T>::select(m, a, b);
}

template <class T>
TAMNHIN_PMATH_INLINE typename Lanes<T>::Bits bits(T x) {
  return std::bit_cast<typename Lanes<T>::Bits>(x);
}
template <class T>
TAMNHIN_PMATH_INLINE T from_bits(typename Lanes<T>::Bits b) {
  return std::bit_cast<T>(b);
}

// round(x) for |x| < 2^51, by the 1.5 * 2^52 shift; rounds half to even.
template <class T>
TAMNHIN_PMATH_INLINE T round_shift(T x) {
  constexpr double kShift = 0x1.8p52;
  return (x + kShift) - kShift;
}

// 2^k for an integral double k in [-1022, 1023], built from its exponent bits.
template <class T>
TAMNHIN_PMATH_INLINE T pow2(T k) {
  // k + (1.5 * 2^52 + 1023) holds k + 1023 in its low mantissa bits, exactly.
  return from_bits<T>(bits<T>(k + (0x1.8p52 + 1023.0)) << 52);
}

// x * 2^k for an integral k in [-1076, 1024], in two exact-range steps so that a
// subnormal or overflowing result is rounded once, as a single multiplication would.
template <class T>
TAMNHIN_PMATH_INLINE T scale(T x, T k) {
  const T k1 = round_shift<T>(k * 0.5 - 0.25);  // floor(k / 2)
  return x * pow2<T>(k1) * pow2<T>(k - k1);
}

// The exact product a * b = p + e. Without FMA, Dekker's algorithm (Veltkamp splitting);
// with it (kFma, for builds that have the instruction), e = fma(a, b, -p). Both give the
// exact error of the product, so the same e, wherever a * b, the splitting of a and b and
// the partial products neither overflow nor underflow: callers keep to that range
// (|a|, |b| < 2^996, products far above the subnormals), so the bits do not depend on the
// build.
template <bool kFma = false, class T>
TAMNHIN_PMATH_INLINE void two_prod(T a, T b, T& p, T& e) {
  p = a * b;
  if constexpr (kFma) {
    e = Lanes<T>::fms(a, b, p);
  } else {
    constexpr double kSplit = 134217729.0;  // 2^27 + 1
    const T ta = kSplit * a, tb = kSplit * b;
    const T ah = ta - (ta - a), bh = tb - (tb - b);
    const T al = a - ah, bl = b - bh;
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl;
  }
}

constexpr double kLn2Hi = 6.93147180369123816490e-01;  // 32 bits: n * kLn2Hi is exact
constexpr double kLn2Lo = 1.90821492927058770002e-10;
constexpr double kInvLn2 = 1.44269504088896338700e+00;

// e^(r_hi + r_lo) for the reduced argument of exp (|r| <= ln2 / 2 + tiny), as fdlibm:
// r = hi - lo, c = r - r^2 P(r^2), e^r = 1 - ((lo - r c / (2 - c)) - hi).
template <class T>
TAMNHIN_PMATH_INLINE T exp_reduced(T hi, T lo) {
  constexpr double P1 = 1.66666666666666019037e-01, P2 = -2.77777777770155933842e-03,
                   P3 = 6.61375632143793436117e-05, P4 = -1.65339022054652515390e-06,
                   P5 = 4.13813679705723846039e-08;
  const T r = hi - lo;
  const T t = r * r;
  const T c = r - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
  return 1.0 - ((lo - (r * c) / (2.0 - c)) - hi);
}

// e^(x + xlo) where xlo is a small correction (|xlo| <= ulp(x)); x already finite and in
// [-746, 710]. The correction joins the low part of the reduced argument.
template <class T>
TAMNHIN_PMATH_INLINE T exp_core(T x, T xlo) {
  const T k = round_shift<T>(x * kInvLn2);
  const T hi = x - k * kLn2Hi;  // exact (Cody and Waite)
  const T lo = k * kLn2Lo - xlo;
  return scale<T>(exp_reduced<T>(hi, lo), k);
}

// log(x) = k ln2 + log(1 + f) for a positive normal or subnormal finite x, with
// sqrt(2)/2 <= 1 + f < sqrt(2). Returns k and f (f exact). kNormal: the caller knows that
// x is normal (>= 2^-1022); the subnormal steps, which change nothing there, are left out.
template <class T, bool kNormal = false>
TAMNHIN_PMATH_INLINE void log_reduce(T x, T& k, T& f) {
  const auto subnormal = x < 0x1p-1022;
  const T xs = kNormal ? x : select<T>(subnormal, x * 0x1p54, x);
  const auto b = bits<T>(xs);
  // Mantissa in [1, 2), then halved when above sqrt(2) so that f is small either way.
  T m = from_bits<T>((b & 0x000fffffffffffffULL) | 0x3ff0000000000000ULL);
  const T e = from_bits<T>((b >> 52) | bits(0x1p52)) - 0x1p52;  // biased exponent
  const auto high = m > 1.41421356237309504880;
  m = select<T>(high, m * 0.5, m);
  k = e - 1023.0 + select<T>(high, 1.0, 0.0);
  if constexpr (!kNormal) k = k - select<T>(subnormal, 54.0, 0.0);  // (k - 0 is k)
  f = m - 1.0;                                                      // exact (Sterbenz)
}

// fdlibm's log(1 + f) = f - hfsq + s (hfsq + R(s^2)), s = f / (2 + f): returns the pieces
// s and R so that callers can carry more precision.
template <class T>
TAMNHIN_PMATH_INLINE T log_poly(T s) {
  constexpr double Lg1 = 6.666666666666735130e-01, Lg2 = 3.999999999940941908e-01,
                   Lg3 = 2.857142874366239149e-01, Lg4 = 2.222219843214978396e-01,
                   Lg5 = 1.818357216161805012e-01, Lg6 = 1.531383769920937332e-01,
                   Lg7 = 1.479819860511658591e-01;
  const T z = s * s;
  const T w = z * z;
  const T t1 = w * (Lg2 + w * (Lg4 + w * Lg6));
  const T t2 = z * (Lg1 + w * (Lg3 + w * (Lg5 + w * Lg7)));
  return t2 + t1;
}

// log of a positive finite x as hi + lo, with |lo| <= ulp(hi) and a relative error far
// below one ulp of hi (the leading terms f - f^2/2 and k ln2 are carried exactly).
template <bool kFma = false, bool kNormal = false, class T>
TAMNHIN_PMATH_INLINE void log_dd(T x, T& hi, T& lo) {
  T k, f;
  log_reduce<T, kNormal>(x, k, f);
  const T s = f / (2.0 + f);
  const T R = log_poly<T>(s);
  T sq, sq_err;  // f^2 = sq + sq_err, exactly
  two_prod<kFma, T>(f, f, sq, sq_err);
  const T hfsq = 0.5 * sq, hfsq_err = 0.5 * sq_err;
  // log(1 + f) = f - hfsq + tail, tail = s (hfsq + R) (small: |tail| < 0.02 f)
  const T tail = s * (hfsq + R) - hfsq_err;
  // a = f - hfsq exactly as a_hi + a_lo (Fast2Sum: |f| >= hfsq)
  const T a_hi = f - hfsq;
  const T a_lo = (f - a_hi) - hfsq;
  // k ln2 + a + tail, with k ln2 = k kLn2Hi (exact) + k kLn2Lo.
  const T kh = k * kLn2Hi;
  const T s1 = kh + a_hi;  // TwoSum
  const T bb = s1 - kh;
  const T s1_err = (kh - (s1 - bb)) + (a_hi - bb);
  const T low = s1_err + a_lo + tail + k * kLn2Lo;
  hi = s1 + low;
  lo = low - (hi - s1);
}

// e^x (exp below).
template <class T>
TAMNHIN_PMATH_INLINE T exp_v(T x) {
  // NaN passes through
  const T xc = select<T>(x > 710.0, 710.0, select<T>(x < -746.0, -746.0, x));
  const T y = exp_core<T>(xc, T{});
  return select<T>(x != x, x, y);
}

// log x (log below).
template <class T>
TAMNHIN_PMATH_INLINE T log_v(T x) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  const auto ok = (x > 0.0) & (x < kInf);  // false for NaN, 0, negatives and +inf
  T k, f;
  log_reduce<T>(select<T>(ok, x, 1.0), k, f);
  const T s = f / (2.0 + f);
  const T R = log_poly<T>(s);
  const T hfsq = 0.5 * f * f;
  const T y = k * kLn2Hi - ((hfsq - (s * (hfsq + R) + k * kLn2Lo)) - f);
  const T special = select<T>(x == 0.0, -kInf,
                              select<T>(x == kInf, kInf, std::numeric_limits<double>::quiet_NaN()));
  return select<T>(ok, y, special);
}

// 1 / (1 + e^-x) (logistic below).
template <class T>
TAMNHIN_PMATH_INLINE T logistic_v(T x) {
  return 1.0 / (1.0 + exp_v<T>(-x));
}

// |x|^y for a positive finite ax = |x| and any y: e^(y log ax) with log ax in double-double
// and y log ax carried as a sum of two. This is pow's value wherever x > 0 and both are
// finite (pow_lanes runs it alone on blocks of such lanes).
// kModerate: the caller knows that ax is normal and |y| <= 1 (every elasticity), so
// |y log ax| <= 709.79; then the guards against over- and underflow below never fire and
// are left out: the same operations on the same values, so the same bits.
template <bool kFma = false, bool kModerate = false, class T>
TAMNHIN_PMATH_INLINE T pow_magnitude(T ax, T y) {
  T lh, ll;
  log_dd<kFma, kModerate, T>(ax, lh, ll);
  // y lh = p + e exactly, unless |p| is so large that the result over- or underflows anyway
  // (then e is dropped), or |y| is so large that Dekker's splitting of it would overflow
  // (e is dropped there too, by every build, so an FMA build gives the same bits).
  T p, e;
  two_prod<kFma, T>(y, lh, p, e);
  if constexpr (kModerate) {
    e = e + y * ll;
    const T z = p + e;
    return exp_core<T>(z, e - (z - p));
  }
  const T ay = select<T>(y < 0.0, -y, y);
  const auto moderate = (p > -1000.0) & (p < 1000.0) & (ay < 0x1p996);
  e = select<T>(moderate, e + y * ll, 0.0);
  const T z = select<T>(moderate, p + e, p);
  const T zlo = select<T>(moderate, e - (z - p), 0.0);
  const auto in_range = (z > -746.0) & (z < 710.0);
  const T zc = select<T>(in_range, z, select<T>(z > 0.0, 710.0, -746.0));
  return exp_core<T>(zc, select<T>(in_range, zlo, 0.0));
}

}  // namespace detail

// e^x, within one ulp (fdlibm's algorithm).
TAMNHIN_PMATH_INLINE double exp(double x) {
  return detail::exp_v(x);
}

// Natural logarithm, within one ulp (fdlibm's algorithm).
TAMNHIN_PMATH_INLINE double log(double x) {
  return detail::log_v(x);
}

namespace detail {

// x^y (pow below).
template <bool kFma = false, class T>
TAMNHIN_PMATH_INLINE T pow_v(T x, T y) {
  constexpr double kInf = std::numeric_limits<double>::infinity();
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const T ax = select<T>(x < 0.0, -x, x);
  const auto finite_nonzero = (ax > 0.0) & (ax < kInf);
  const T r = pow_magnitude<kFma, false, T>(select<T>(finite_nonzero, ax, 1.0), y);

  const T ay = select<T>(y < 0.0, -y, y);
  const auto y_integer = (ay >= 0x1p52) | (round_shift<T>(y) == y);
  const auto y_odd = (ay < 0x1p53) & y_integer & (round_shift<T>(y * 0.5) * 2.0 != y);
  // x < 0, and -0: copysign(1, x) < 0, copysign in bit operations (they vectorise; a
  // 64-bit integer sign test does not with SSE2)
  const auto neg = from_bits<T>((bits<T>(x) & 0x8000000000000000ULL) | bits(1.0)) < 0.0;
  T res = select<T>(neg, select<T>(y_integer, select<T>(y_odd, -r, r), kNaN), r);
  // x = ±0 or ±inf: 0^(y>0) and inf^(y<0) are 0, the others inf; odd powers keep the sign
  const auto to_zero = (ax == 0.0) == (y > 0.0);
  const T mag = select<T>(to_zero, 0.0, kInf);
  res = select<T>(finite_nonzero, res, select<T>(neg & y_odd, -mag, mag));
  // y = ±inf: |x| > 1 grows or vanishes with the sign of y; |x| = 1 gives 1
  const T by_y = select<T>(ax == 1.0, 1.0, select<T>((ax > 1.0) == (y > 0.0), kInf, 0.0));
  res = select<T>(ay == kInf, by_y, res);
  res = select<T>((x != x) | (y != y), x + y, res);
  return select<T>((y == 0.0) | (x == 1.0), 1.0, res);
}

}  // namespace detail

// x^y, as detail::pow_magnitude(|x|, y) with the sign and special values of C99 Annex F.
// Straight-line selects only, so that a loop over it vectorises.
template <bool kFma = false>
TAMNHIN_PMATH_INLINE double pow(double x, double y) {
  return detail::pow_v<kFma>(x, y);
}

// 1 / (1 + e^-x).
TAMNHIN_PMATH_INLINE double logistic(double x) {
  return detail::logistic_v(x);
}

}  // namespace tamnhin::pmath
