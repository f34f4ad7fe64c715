// Internal to engine/stats: mean and sd of K columns at once. Each column's arithmetic is
// exactly that of a column alone (a compensated sum in draw order, R's refining pass, two
// passes for the sd), so the bits are the same; interleaving K independent columns lets
// the processor overlap their dependency chains, which a single sequential sum cannot
// (the sums were latency-bound; docs/performance.md).
#pragma once

#include <array>
#include <cmath>
#include <cstddef>
#include <span>

namespace tamnhin::stats::detail {

struct Moments {
  double mean = 0, sd = 0;
};

// Columns must be non-empty and of equal length.
template <std::size_t K>
std::array<Moments, K> moments(const std::array<std::span<const double>, K>& columns) {
  const std::size_t count = columns[0].size();
  const auto n = static_cast<double>(count);
  std::array<double, K> sum{}, compensation{};
  for (std::size_t d = 0; d < count; ++d) {
    for (std::size_t j = 0; j < K; ++j) {
      const double v = columns[j][d];
      const double t = sum[j] + v;
      compensation[j] += std::fabs(sum[j]) >= std::fabs(v) ? (sum[j] - t) + v : (v - t) + sum[j];
      sum[j] = t;
    }
  }
  std::array<Moments, K> out{};
  std::array<double, K> residual{};
  for (std::size_t j = 0; j < K; ++j) out[j].mean = (sum[j] + compensation[j]) / n;
  for (std::size_t d = 0; d < count; ++d)
    for (std::size_t j = 0; j < K; ++j) residual[j] += columns[j][d] - out[j].mean;
  for (std::size_t j = 0; j < K; ++j) out[j].mean += residual[j] / n;
  if (count > 1) {
    std::array<double, K> squares{};
    for (std::size_t d = 0; d < count; ++d) {
      for (std::size_t j = 0; j < K; ++j) {
        const double dev = columns[j][d] - out[j].mean;
        squares[j] += dev * dev;
      }
    }
    for (std::size_t j = 0; j < K; ++j) out[j].sd = std::sqrt(squares[j] / (n - 1));
  }
  return out;
}

}  // namespace tamnhin::stats::detail
