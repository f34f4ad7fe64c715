// Iman-Conover: induce a target correlation on LHS samples by reordering them, never by
// changing their values, so the Latin hypercube strata survive.
#include "engine/random/detail_iman_conover.hpp"

#include <oneapi/tbb/parallel_for.h>

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <numeric>
#include <vector>

#include "engine/random/philox.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin::random::detail {

void iman_conover(std::span<double* const> columns, std::span<const std::uint64_t> perm_keys,
                  std::span<const double> factor, std::size_t n) {
  const std::size_t k = columns.size();
  if (k < 2 || n <= k) return;
  const auto rows = static_cast<Eigen::Index>(n);
  const auto cols = static_cast<Eigen::Index>(k);
  const auto n32 = static_cast<std::uint32_t>(n);  // the caller checks n < 2^32

  // Scores, each member's in its own random order (keyed, so reproducible).
  std::vector<double> scores(n);
  for (std::size_t i = 0; i < n; ++i)
    scores[i] = inverse_normal_cdf(static_cast<double>(i + 1) / static_cast<double>(n + 1));
  Eigen::MatrixXd s(rows, cols);
  for (Eigen::Index j = 0; j < cols; ++j) {
    const std::uint64_t key = perm_keys[static_cast<std::size_t>(j)];
    for (std::uint32_t d = 0; d < n32; ++d) s(d, j) = scores[permutation_element(d, n32, key)];
  }

  // Whiten S (sample covariance Q Q^T -> identity), then colour it with F. Centring does
  // not change ranks but keeps the covariance honest.
  s.rowwise() -= s.colwise().mean();
  const Eigen::MatrixXd cov = (s.transpose() * s) / static_cast<double>(n);
  const Eigen::LLT<Eigen::MatrixXd> llt(cov);
  if (llt.info() != Eigen::Success) return;  // degenerate scores (tiny n): leave independent
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::MatrixXd f = Eigen::Map<const RowMajor>(factor.data(), cols, cols);
  const Eigen::MatrixXd m = llt.matrixU().solve(f.transpose());  // Q^T M = F^T
  const Eigen::MatrixXd t = s * m;

  // Give each member's sorted values to its draws in T's rank order. Ties in T are broken
  // by draw index so the order, and hence the result, is fully determined.
  tbb::parallel_for(std::size_t{0}, k, [&](std::size_t j) {
    const auto col = static_cast<Eigen::Index>(j);
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), std::size_t{0});
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
      const double ta = t(static_cast<Eigen::Index>(a), col);
      const double tb = t(static_cast<Eigen::Index>(b), col);
      return ta < tb || (ta == tb && a < b);
    });
    std::vector<double> sorted(columns[j], columns[j] + n);
    std::sort(sorted.begin(), sorted.end());
    for (std::size_t r = 0; r < n; ++r) columns[j][order[r]] = sorted[r];
  });
}

}  // namespace tamnhin::random::detail
