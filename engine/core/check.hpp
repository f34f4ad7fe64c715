// Programmer invariants (not user errors): a failed CHECK is a bug in tamnhin and maps
// to exit status 1. Both operands are printed, as pbrt's CHECK_EQ does.
#pragma once

#include <sstream>
#include <stdexcept>

namespace tamnhin {

class InternalError : public std::logic_error {
 public:
  using std::logic_error::logic_error;
};

namespace detail {
template <typename A, typename B>
[[noreturn]] void check_failed(const char* expr, const A& a, const B& b, const char* file,
                               int line) {
  std::ostringstream out;
  out << file << ':' << line << ": internal check failed: " << expr << " (" << a << " vs " << b
      << ')';
  throw InternalError(out.str());
}
[[noreturn]] inline void check_failed(const char* expr, const char* file, int line) {
  std::ostringstream out;
  out << file << ':' << line << ": internal check failed: " << expr;
  throw InternalError(out.str());
}
}  // namespace detail

}  // namespace tamnhin

#define TAMNHIN_CHECK(cond) \
  ((cond) ? (void)0 : ::tamnhin::detail::check_failed(#cond, __FILE__, __LINE__))
#define TAMNHIN_CHECK_OP(a, op, b) \
  (((a)op(b)) ? (void)0            \
              : ::tamnhin::detail::check_failed(#a " " #op " " #b, (a), (b), __FILE__, __LINE__))
#define TAMNHIN_CHECK_EQ(a, b) TAMNHIN_CHECK_OP(a, ==, b)
#define TAMNHIN_CHECK_LT(a, b) TAMNHIN_CHECK_OP(a, <, b)
#define TAMNHIN_CHECK_LE(a, b) TAMNHIN_CHECK_OP(a, <=, b)
