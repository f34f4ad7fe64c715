// correlation_factor: F F^T reproduces valid (even singular) matrices; invalid ones are
// refused.
#include "engine/random/correlation.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace tamnhin::random {
namespace {

// max |(F F^T)_ij - C_ij|
double reconstruction_error(const std::vector<double>& f, const std::vector<double>& c,
                            std::size_t k) {
  double worst = 0;
  for (std::size_t i = 0; i < k; ++i)
    for (std::size_t j = 0; j < k; ++j) {
      double s = 0;
      for (std::size_t l = 0; l < k; ++l) s += f[i * k + l] * f[j * k + l];
      worst = std::max(worst, std::fabs(s - c[i * k + j]));
    }
  return worst;
}

TEST(Correlation, FactorReproducesValidMatrices) {
  const double h = 1 / std::sqrt(2.0);
  const std::vector<std::vector<double>> valid = {
      {1.0},
      {1, 0, 0, 1},
      {1, -0.3, -0.3, 1},
      {1, 0.4, 0.2, 0.4, 1, -0.5, 0.2, -0.5, 1},
      {1, 1, 1, 1},                 // singular: perfectly correlated
      {1, -1, -1, 1},               // singular: perfectly anti-correlated
      {1, 0, h, 0, 1, h, h, h, 1},  // singular: third = (first + second) / sqrt(2)
      {1, 0.9, 0.9, 0.9, 1, 0.9, 0.9, 0.9, 1},
  };
  for (const auto& c : valid) {
    const auto k = static_cast<std::size_t>(std::lround(std::sqrt(double(c.size()))));
    const auto f = correlation_factor(c, k);
    ASSERT_TRUE(f.has_value()) << "k = " << k
                               << ", c[1] = " << c[std::min<std::size_t>(1, c.size() - 1)];
    ASSERT_EQ(f->size(), k * k);
    EXPECT_LE(reconstruction_error(*f, c, k), 1e-12);
  }
}

TEST(Correlation, RefusesAsymmetricIndefiniteAndMalformedMatrices) {
  EXPECT_FALSE(correlation_factor(std::vector<double>{1, 0.3, 0.2, 1}, 2));  // asymmetric
  EXPECT_FALSE(correlation_factor(std::vector<double>{1, 0.9, -0.9, 0.9, 1, 0.9, -0.9, 0.9, 1}, 3));
  EXPECT_FALSE(correlation_factor(std::vector<double>{1, 1.01, 1.01, 1}, 2));  // |r| > 1
  EXPECT_FALSE(correlation_factor(std::vector<double>{0, 1, 1, 0}, 2));        // zero diagonal
  EXPECT_FALSE(correlation_factor(std::vector<double>{1, 0, 0}, 2));           // wrong size
  EXPECT_FALSE(correlation_factor(std::vector<double>{1, NAN, NAN, 1}, 2));
  EXPECT_TRUE(correlation_factor(std::vector<double>{1, 0.3, 0.3 + 1e-13, 1}, 2));  // within 1e-12
  const auto empty = correlation_factor(std::vector<double>{}, 0);
  ASSERT_TRUE(empty.has_value());
  EXPECT_TRUE(empty->empty());
}

}  // namespace
}  // namespace tamnhin::random
