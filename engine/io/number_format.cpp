#include "engine/io/number_format.hpp"

#include <charconv>
#include <cmath>

#include "engine/core/check.hpp"

namespace tamnhin::io {

std::string format_number(double value) {
  if (std::isnan(value)) return "nan";
  if (std::isinf(value)) return value > 0 ? "inf" : "-inf";
  // -0 reads back as 0 everywhere that matters and "-0" in a table only raises questions.
  if (value == 0) return "0";
  // Shortest round-trip digits either way; the layout follows JavaScript's Number
  // toString: plain decimals for 1e-7 <= |x| < 1e21 (so 150000 is "150000", not the
  // "1.5e+05" that plain to_chars picks for brevity), exponent form outside.
  const double magnitude = std::fabs(value);
  const auto format = (magnitude >= 1e-7 && magnitude < 1e21) ? std::chars_format::fixed
                                                              : std::chars_format::scientific;
  char buffer[400];  // fixed 1e-7 needs few digits; the bound is generous on purpose
  const auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value, format);
  TAMNHIN_CHECK(error == std::errc{});
  return std::string(buffer, end);
}

}  // namespace tamnhin::io
