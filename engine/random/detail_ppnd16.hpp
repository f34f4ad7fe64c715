// Wichura's AS 241 PPND16 (Applied Statistics 37(3), 1988, 477-484): the standard normal
// quantile to about 1e-16 relative, as rational functions in plain arithmetic. Split in
// pieces so that standard_normals() can run the central region over a whole block
// (vectorised) and patch the tails; inverse_normal_cdf() composes the same pieces, so
// both give the same bits. Internal to engine/random.
#pragma once

#include <cmath>

#include "engine/core/portable_math.hpp"

namespace tamnhin::random::detail {

// q = u - 0.5; the central region is |q| <= 0.425 (0.075 <= u <= 0.925).
inline bool ppnd16_is_central(double q) {
  return std::fabs(q) <= 0.425;
}

// x = q A(r) / B(r), r = 0.425^2 - q^2. A's coefficients a0..a7 and B's b1..b7 (b0 = 1),
// shared with the vectorised loop of philox_lanes.cpp.
inline constexpr double kPpnd16A[8] = {3.3871328727963666080e0,  1.3314166789178437745e+2,
                                       1.9715909503065514427e+3, 1.3731693765509461125e+4,
                                       4.5921953931549871457e+4, 6.7265770927008700853e+4,
                                       3.3430575583588128105e+4, 2.5090809287301226727e+3};
inline constexpr double kPpnd16B[8] = {1.0,
                                       4.2313330701600911252e+1,
                                       6.8718700749205790830e+2,
                                       5.3941960214247511077e+3,
                                       2.1213794301586595867e+4,
                                       3.9307895800092710610e+4,
                                       2.8729085735721942674e+4,
                                       5.2264952788528545610e+3};

inline double ppnd16_central(double q) {
  constexpr const double* a = kPpnd16A;
  constexpr const double* b = kPpnd16B;
  const double r = 0.180625 - q * q;
  const double num =
      (((((((a[7] * r + a[6]) * r + a[5]) * r + a[4]) * r + a[3]) * r + a[2]) * r + a[1]) * r +
       a[0]);
  const double den =
      (((((((b[7] * r + b[6]) * r + b[5]) * r + b[4]) * r + b[3]) * r + b[2]) * r + b[1]) * r +
       1.0);
  return q * num / den;
}

// Tails, |q| > 0.425: r = sqrt(-log(min(u, 1-u))); C/D for r <= 5 (down to ~1e-11),
// E/F beyond (Wichura's range reaches 1e-300). 1 - u is exact for u >= 0.5 (Sterbenz).
// In pieces, so that the batched normals (philox_lanes.cpp) can run the near rational
// over all gathered tail draws and the far one only where it applies (r > 5 is u below
// about 1.4e-11): r from lg = log(min(u, 1 - u)), the rational for |x|, then q's sign.
inline double ppnd16_tail_r(double lg) {
  return std::sqrt(-lg);
}

inline bool ppnd16_tail_is_near(double r) {
  return r <= 5.0;
}

inline double ppnd16_tail_near(double r) {
  constexpr double c0 = 1.42343711074968357734e0, c1 = 4.63033784615654529590e0,
                   c2 = 5.76949722146069140550e0, c3 = 3.64784832476320460504e0,
                   c4 = 1.27045825245236838258e0, c5 = 2.41780725177450611770e-1,
                   c6 = 2.27238449892691845833e-2, c7 = 7.74545014278341407640e-4;
  constexpr double d1 = 2.05319162663775882187e0, d2 = 1.67638483018380384940e0,
                   d3 = 6.89767334985100004550e-1, d4 = 1.48103976427480074590e-1,
                   d5 = 1.51986665636164571966e-2, d6 = 5.47593808499534494600e-4,
                   d7 = 1.05075007164441684324e-9;
  const double a = r - 1.6;
  return (((((((c7 * a + c6) * a + c5) * a + c4) * a + c3) * a + c2) * a + c1) * a + c0) /
         (((((((d7 * a + d6) * a + d5) * a + d4) * a + d3) * a + d2) * a + d1) * a + 1.0);
}

inline double ppnd16_tail_far(double r) {
  constexpr double e0 = 6.65790464350110377720e0, e1 = 5.46378491116411436990e0,
                   e2 = 1.78482653991729133580e0, e3 = 2.96560571828504891230e-1,
                   e4 = 2.65321895265761230930e-2, e5 = 1.24266094738807843860e-3,
                   e6 = 2.71155556874348757815e-5, e7 = 2.01033439929228813265e-7;
  constexpr double f1 = 5.99832206555887937690e-1, f2 = 1.36929880922735805310e-1,
                   f3 = 1.48753612908506148525e-2, f4 = 7.86869131145613259100e-4,
                   f5 = 1.84631831751005468180e-5, f6 = 1.42151175831644588870e-7,
                   f7 = 2.04426310338993978564e-15;
  const double b = r - 5.0;
  return (((((((e7 * b + e6) * b + e5) * b + e4) * b + e3) * b + e2) * b + e1) * b + e0) /
         (((((((f7 * b + f6) * b + f5) * b + f4) * b + f3) * b + f2) * b + f1) * b + 1.0);
}

inline double ppnd16_tail_signed(double x, double q) {
  return q < 0.0 ? -x : x;
}

// The tail normal given lg = log(min(u, 1 - u)) and q = u - 0.5.
inline double ppnd16_tail_from_log(double lg, double q) {
  const double r = ppnd16_tail_r(lg);
  return ppnd16_tail_signed(ppnd16_tail_is_near(r) ? ppnd16_tail_near(r) : ppnd16_tail_far(r), q);
}

// The log is the project's portable one (0.68 ulp), not the C library's: the same bits on
// every libm, and the same function the batched normals run over lanes.
inline double ppnd16_tail(double u, double q) {
  return ppnd16_tail_from_log(pmath::log(q < 0.0 ? u : 1.0 - u), q);
}

}  // namespace tamnhin::random::detail
