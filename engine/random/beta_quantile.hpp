// The quantile function of the beta distribution on [0, 1], fast enough for a million
// draws: Boost's inverse (ibeta_inv, a Halley iteration over the incomplete beta
// function) costs about 2 us a value, which made parameter sampling a quarter of a
// million-draw run. Here a table built once per (alpha, beta) answers with one cubic.
//
// The table: each half of (0, 1) is cut into octaves of the distance w to its end
// (w = u below one half, w = 1 - u above), [2^-(j+1), 2^-j) for j = 1 .. kOctaves, and
// octave j into intervals(j) equal ones: intervals of 2^-12 in u in the three widest
// octaves, where most draws land, then 256 per octave. At every node it holds Boost's quantile
// x and the slope dx/dw = -+1/pdf(x); between nodes, the cubic Hermite of those
// (a tail's quantile behaves like c w^(1/alpha), so equal steps in log w keep its
// fourth derivative, and the cubic's error, small everywhere). The index and the position
// inside an interval are exact (scalings by powers of two), and the cubic is plain
// arithmetic: the bits depend on neither the C library nor the CPU.
//
// Accuracy, stated and checked: the cubic of every interval is compared with Boost's
// quantile at its midpoint, where a cubic Hermite's error peaks, when the table is
// built; an interval that misses by more than kTolerance (on the [0, 1] scale) is left
// to Boost, as are u below 2^-(kOctaves+1) or above 1 - 2^-(kOctaves+1) (about 15 draws in
// a million). tests/unit/random/beta_quantile_test.cpp checks the bound against Boost on
// random u for shapes from 0.5 to 50.
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

  // The table of beta(alpha, beta), built on first use and shared: thread-safe, and the
  // same object for the same shape for the life of the process.
  static std::shared_ptr<const BetaQuantile> of(double alpha, double beta);

  // The quantile at u in (0, 1).
  double operator()(double u) const;

  // Intervals the table answers itself (the others go to Boost), for tests and docs.
  std::size_t tabulated_intervals() const;

  explicit BetaQuantile(double alpha, double beta);  // use of(): building costs ~10-50 ms

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
  double median_;
  // [side][first_interval(j) + interval], side 0 below one half and 1 above, flattened.
  std::vector<Cubic> cubics_;
};

}  // namespace tamnhin::random
