// Iman-Conover rank reordering for LHS correlation groups (Iman & Conover 1982).
// Internal to engine/random; sample_parameters() is its only caller.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace tamnhin::random::detail {

// columns[j] points at member j's n stratified uniforms; on return each column holds the
// same values, reordered so that the columns' ranks are those of T = S (Q^-1)^T F^T, where
// S holds van der Waerden scores Phi^-1(i/(n+1)) permuted per member by perm_keys[j],
// S's sample covariance is Q Q^T, and F F^T = C (factor, k*k row-major). T's sample
// correlation is exactly C, so the result's normal scores have correlation close to C
// (the same Gaussian copula as mc/sobol) while every marginal stays exactly stratified.
// With too few draws to estimate S's covariance (n <= k) the columns are left as they are.
void iman_conover(std::span<double* const> columns, std::span<const std::uint64_t> perm_keys,
                  std::span<const double> factor, std::size_t n);

}  // namespace tamnhin::random::detail
