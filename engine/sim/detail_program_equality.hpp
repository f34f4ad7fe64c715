// Internal to engine/sim: equality of the pieces of two compiled programs, bit for bit
// (same_simulation.cpp compares whole programs, difference_flow.cpp their shapes).
#pragma once

#include <bit>
#include <cstdint>
#include <optional>
#include <vector>

#include "engine/compile/program.hpp"

namespace tamnhin::detail {

// Doubles compare by their bits: +0.0 and -0.0 are different constants (1 / x tells them
// apart), and a NaN is the same NaN only when its bits are.
inline bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}
inline bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}
template <class T, class Same>
inline bool same_list(const std::vector<T>& a, const std::vector<T>& b, Same&& element) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!element(a[i], b[i])) return false;
  return true;
}
inline bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return same_list(a, b, [](double x, double y) { return same(x, y); });
}

inline bool same(const Operand& a, const Operand& b) {
  return a.slot == b.slot && a.lag == b.lag;
}
inline bool same(const Op& a, const Op& b) {
  if (a.code != b.code || a.aux != b.aux || !same(a.dst, b.dst)) return false;
  for (std::size_t k = 0; k < a.in.size(); ++k)
    if (!same(a.in[k], b.in[k])) return false;
  return true;
}
inline bool same(const std::vector<Op>& a, const std::vector<Op>& b) {
  return same_list(a, b, [](const Op& x, const Op& y) { return same(x, y); });
}

inline bool same(const random::Marginal& a, const random::Marginal& b) {
  return a.kind == b.kind && same(a.a, b.a) && same(a.b, b.b) && same(a.c, b.c) && same(a.d, b.d) &&
         a.truncated == b.truncated;
}

}  // namespace tamnhin::detail
