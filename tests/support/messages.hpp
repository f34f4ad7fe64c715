// Every diagnostic of a collection as one string, one per line, for assertions on the key
// words of messages and for printing when a test fails.
#pragma once

#include <string>

#include "engine/core/diagnostics.hpp"

namespace tamnhin::testing {

inline std::string messages(const Diagnostics& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics.all()) out += d.to_string() + "\n";
  return out;
}

}  // namespace tamnhin::testing
