// Factor of a correlation matrix: F with F F^T = C. The engine uses it for the Gaussian
// copula over parameters and for correlated yearly shocks.
#pragma once

#include <cstddef>
#include <optional>
#include <span>
#include <vector>

namespace tamnhin::random {

// `matrix` is k*k, row-major. Returns F (k*k, row-major, lower triangular after the
// pivoting is undone is NOT promised; only F F^T = C) when C is symmetric positive
// semi-definite (to 1e-10), else nullopt. Uses Eigen's LDLT with pivoting, so singular
// (perfectly correlated) matrices are accepted.
std::optional<std::vector<double>> correlation_factor(std::span<const double> matrix,
                                                      std::size_t k);

}  // namespace tamnhin::random
