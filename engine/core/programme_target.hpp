// A target of a programme that the model does not project (`[[programme_targets]]` in a
// model file): listed in the scorecard with its status, the latest figure and its source,
// so a planner sees the whole programme and not only the part the model simulates.
// Shared by the model (which reads them) and the outputs (which show them).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "engine/core/labels.hpp"

namespace tamnhin {

// What is known about a target the model does not project.
enum class ProgrammeStatus {
  met,           // the latest figure already meets it
  on_track,      // the programme's own monitoring says so
  no_data,       // neither a base value nor a recent figure was found
  not_modelled,  // a figure exists, but the model has no block for it
};

inline constexpr std::string_view to_string(ProgrammeStatus s) {
  switch (s) {
    case ProgrammeStatus::met:
      return "met";
    case ProgrammeStatus::on_track:
      return "on_track";
    case ProgrammeStatus::no_data:
      return "no_data";
    case ProgrammeStatus::not_modelled:
      return "not_modelled";
  }
  return "?";
}

inline std::optional<ProgrammeStatus> programme_status_from_string(std::string_view s) {
  if (s == "met") return ProgrammeStatus::met;
  if (s == "on_track") return ProgrammeStatus::on_track;
  if (s == "no_data") return ProgrammeStatus::no_data;
  if (s == "not_modelled") return ProgrammeStatus::not_modelled;
  return std::nullopt;
}

struct ProgrammeTarget {
  std::string indicator;  // as the programme names it ("total_fertility_rate")
  int year = 0;
  std::string comparator;       // below, at_most, above, at_least, about, equal (as written)
  std::optional<double> value;  // absent for a qualitative target ("completed")
  std::string unit;
  ProgrammeStatus status = ProgrammeStatus::no_data;
  std::optional<double> latest;  // the latest published figure, if any
  std::optional<int> latest_year;
  std::string source;
  std::string note;
  Labels labels;
};

}  // namespace tamnhin
