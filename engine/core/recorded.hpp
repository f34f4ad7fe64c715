// What a compiled program records and what it checks: the recorded variables (those with
// a unit or a target) and the targets on them. Shared by engine/compile, which produces
// them, and engine/stats, which summarises by them, so neither module depends on the other.
#pragma once

#include <cstddef>
#include <map>
#include <string>

#include "engine/core/comparator.hpp"
#include "engine/core/labels.hpp"

namespace tamnhin {

struct RecordedVariable {
  std::string name;
  std::string unit;  // may be empty for a variable recorded only because it has a target
  Labels labels;
  std::map<int, double> history;  // observed values by year (the model's `history`)
};

struct TargetSpec {
  std::size_t variable = 0;  // index into the recorded variables
  int year = 0;              // calendar year
  Comparator comparator = Comparator::below;
  double threshold = 0;
  std::string source;
  Labels labels;
};

}  // namespace tamnhin
