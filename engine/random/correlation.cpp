// Factor F (F F^T = C) of a correlation matrix by pivoted LDLT, so that singular
// (perfectly correlated) matrices are accepted while indefinite ones are refused.
#include "engine/random/correlation.hpp"

#include <Eigen/Cholesky>
#include <Eigen/Core>
#include <algorithm>
#include <cmath>

namespace tamnhin::random {

namespace {
constexpr double kSymmetryTol = 1e-12;  // |C_ij - C_ji|
constexpr double kPsdTol = 1e-10;       // smallest accepted pivot of D (then clamped to 0)
}  // namespace

std::optional<std::vector<double>> correlation_factor(std::span<const double> matrix,
                                                      std::size_t k) {
  if (matrix.size() != k * k) return std::nullopt;
  if (k == 0) return std::vector<double>{};
  const auto n = static_cast<Eigen::Index>(k);
  using RowMajor = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::Map<const RowMajor> c(matrix.data(), n, n);
  if (!c.allFinite()) return std::nullopt;
  if ((c - c.transpose()).cwiseAbs().maxCoeff() > kSymmetryTol) return std::nullopt;

  // C = P^T L D L^T P, so F = P^T L sqrt(D).
  const Eigen::MatrixXd sym = 0.5 * (c + c.transpose());
  const Eigen::LDLT<Eigen::MatrixXd> ldlt(sym);
  if (ldlt.info() != Eigen::Success) return std::nullopt;
  Eigen::VectorXd d = ldlt.vectorD();
  if (d.minCoeff() < -kPsdTol) return std::nullopt;
  d = d.cwiseMax(0.0).cwiseSqrt();
  const Eigen::MatrixXd l = ldlt.matrixL();
  const Eigen::MatrixXd f = ldlt.transpositionsP().transpose() * (l * d.asDiagonal());

  // Eigen's LDLT pivots on the diagonal only: for an indefinite matrix whose remaining
  // diagonal is all zero (e.g. [[0,1],[1,0]]) it reports zero pivots rather than negative
  // ones. The reconstruction check catches those, whatever the factorisation said.
  const double scale = std::max(1.0, c.cwiseAbs().maxCoeff());
  if ((f * f.transpose() - sym).cwiseAbs().maxCoeff() > kPsdTol * scale * static_cast<double>(k))
    return std::nullopt;

  std::vector<double> out(k * k);
  Eigen::Map<RowMajor>(out.data(), n, n) = f;
  return out;
}

}  // namespace tamnhin::random
