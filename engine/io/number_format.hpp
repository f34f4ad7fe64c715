// Numbers in output tables: the shortest decimal form that reads back to the same double
// (std::to_chars), independent of the locale. Non-finite values never reach a table
// (they stop the run), but print as "nan", "inf", "-inf" if asked.
#pragma once

#include <string>

namespace tamnhin::io {

std::string format_number(double value);

}  // namespace tamnhin::io
