// Numbers in output tables: the shortest decimal form that reads back to the same double
// (std::to_chars), independent of the locale. Non-finite values never reach a table
// (they stop the run), but print as "nan", "inf", "-inf" if asked.
#pragma once

#include <string>

namespace tamnhin::io {

std::string format_number(double value);

// For tables people read: `decimals` digits after the point, trailing zeros dropped
// ("0.875", "0.5", "1"); and `digits` significant digits without an exponent below 1e15
// ("96.25" -> "96.25", 1234567 -> "1235000" with 4). Locale-independent.
std::string format_rounded(double value, int decimals);
std::string format_significant(double value, int digits);

}  // namespace tamnhin::io
