// The quantile function of the beta distribution on [0, 1], fast enough for a million
// draws: Boost's inverse (ibeta_inv, a Halley iteration over the incomplete beta
// function) costs 0.5-5 us a value, which made parameter sampling a quarter of a
// million-draw run. Here a table built once per (alpha, beta) answers with one cubic
// (25-120 ns a value, including the cache misses of a 330 KB table).
//
// The table: each half of (0, 1) is cut into octaves of the distance w to its end
// (w = u below one half, w = 1 - u above), [2^-(j+1), 2^-j) for j = 1 .. kOctaves, and
// octave j into intervals(j) equal ones: 2^-12 wide in the three widest octaves, where
// most draws land, then 256 per octave. At every node the table holds the quantile x
// (Boost's inverse at an octave's first node, then Newton's method on Boost's CDF from
// the previous node's tangent: a seventh of the cost) and the slope dx/dw = +-1/pdf(x);
// between nodes, the cubic Hermite of those. A tail's quantile behaves like c w^(1/alpha):
// steps that grow with w keep the cubic's error small there too. The index and the
// position inside an interval are exact (scalings by powers of two), and the cubic is
// plain arithmetic: the bits depend on neither the C library nor the CPU.
//
// Accuracy, stated and checked: when the table is built, every interval's cubic is
// checked at its midpoint, where a cubic Hermite's error peaks (its miss in probability
// against Boost's CDF, over the density); an interval that misses by more than kTolerance
// is left to Boost, as are u within 2^-(kOctaves+1) of 0 or 1 (about 15 draws in a
// million). The bound is absolute on [0, 1], i.e. 1e-13 of the parameter's range
// [min, max] (a value far below that in a tail is not held to a relative precision).
// tests/unit/random/beta_quantile_test.cpp checks it against Boost on random u for
// shapes from 0.5 to 50.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace tamnhin::random {

class BetaQuantile {
 public:
  static constexpr int kOctaves = 16;
  static constexpr double kTolerance = 1e-13;

  // Intervals in octave j (a power of two, so that positions stay exact).
  static constexpr int intervals(int j) { return j <= 3 ? 2048 >> j : 256; }
  // Intervals in one half of (0, 1).
  static constexpr int kHalf = 1024 + 512 + 256 * (kOctaves - 2);

  // The table of beta(alpha, beta), built on first use and shared (thread-safe): the
  // same object for the same shape while the process has met fewer than 64 shapes.
  static std::shared_ptr<const BetaQuantile> of(double alpha, double beta);

  // The quantile at u in (0, 1).
  double operator()(double u) const;

  // Intervals the table answers itself (the others go to Boost), for tests and docs.
  std::size_t tabulated_intervals() const;

  explicit BetaQuantile(double alpha, double beta);  // use of(): building costs 2-30 ms

 private:
  // Power-form coefficients of an interval's cubic in t in [0, 1): x = c0 + t (c1 + t (c2
  // + t c3)); c0 is the node's quantile exactly. A NaN c0: the interval is Boost's.
  struct Cubic {
    double c0 = 0, c1 = 0, c2 = 0, c3 = 0;
  };
  // Where octave j's intervals start in a half.
  static constexpr int first_interval(int j) {
    return j == 1 ? 0 : j == 2 ? 1024 : 1536 + 256 * (j - 3);
  }

  double boost_quantile(double u) const;

  double alpha_, beta_;
  // [side][first_interval(j) + interval], side 0 below one half and 1 above, flattened.
  std::vector<Cubic> cubics_;
};

}  // namespace tamnhin::random
