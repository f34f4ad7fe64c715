// How a target compares an indicator with its threshold. Shared by the model (which
// reads targets) and statistics (which computes their odds).
#pragma once

#include <optional>
#include <string_view>

namespace tamnhin {

enum class Comparator { below, at_most, above, at_least };

inline bool holds(Comparator c, double value, double threshold) {
  switch (c) {
    case Comparator::below:
      return value < threshold;
    case Comparator::at_most:
      return value <= threshold;
    case Comparator::above:
      return value > threshold;
    case Comparator::at_least:
      return value >= threshold;
  }
  return false;
}

// The spelling used in model files and in targets.csv.
inline std::string_view to_string(Comparator c) {
  switch (c) {
    case Comparator::below:
      return "below";
    case Comparator::at_most:
      return "at_most";
    case Comparator::above:
      return "above";
    case Comparator::at_least:
      return "at_least";
  }
  return "?";
}

// "<", "<=", ">", ">=": for human-readable tables.
inline std::string_view to_symbol(Comparator c) {
  switch (c) {
    case Comparator::below:
      return "<";
    case Comparator::at_most:
      return "<=";
    case Comparator::above:
      return ">";
    case Comparator::at_least:
      return ">=";
  }
  return "?";
}

inline std::optional<Comparator> comparator_from_string(std::string_view s) {
  if (s == "below") return Comparator::below;
  if (s == "at_most") return Comparator::at_most;
  if (s == "above") return Comparator::above;
  if (s == "at_least") return Comparator::at_least;
  return std::nullopt;
}

}  // namespace tamnhin
