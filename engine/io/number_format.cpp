#include "engine/io/number_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdio>

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

namespace {

std::string trim_zeros(std::string text) {
  if (text.find('.') != std::string::npos) {
    text.erase(text.find_last_not_of('0') + 1);
    if (text.back() == '.') text.pop_back();
  }
  if (text == "-0") text = "0";
  return text;
}

}  // namespace

// std::to_chars with a precision prints what printf's %.*f and %.*g print (the C++
// standard defines it so), without printf's arbitrary-precision arithmetic: printf was 3%
// of a short run's instructions, all in writing the tables.
std::string format_rounded(double value, int decimals) {
  if (!std::isfinite(value)) return format_number(value);
  char buffer[400];  // 1e308 with up to 80 decimals
  const auto [end, error] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::fixed, decimals);
  TAMNHIN_CHECK(error == std::errc{});
  return trim_zeros(std::string(buffer, end));
}

std::string format_significant(double value, int digits) {
  if (!std::isfinite(value) || value == 0) return format_number(value);
  const double magnitude = std::fabs(value);
  if (magnitude >= 1e15 || magnitude < 1e-7) {
    char buffer[64];
    const auto [end, error] =
        std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::general, digits);
    TAMNHIN_CHECK(error == std::errc{});
    return std::string(buffer, end);
  }
  const int exponent = static_cast<int>(std::floor(std::log10(magnitude)));
  const int decimals = digits - 1 - exponent;
  if (decimals >= 0) return format_rounded(value, decimals);
  const double scale = std::pow(10.0, -decimals);
  return format_rounded(std::round(value / scale) * scale, 0);
}

}  // namespace tamnhin::io
