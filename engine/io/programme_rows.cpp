#include "engine/io/programme_rows.hpp"

#include <algorithm>

#include "engine/io/number_format.hpp"
#include "engine/io/text_width.hpp"

namespace tamnhin::io::detail {
namespace {

constexpr std::size_t kMaxLabelWidth = 60;

std::string_view symbol(std::string_view comparator) {
  if (comparator == "below") return "<";
  if (comparator == "at_most") return "<=";
  if (comparator == "above") return ">";
  if (comparator == "at_least") return ">=";
  if (comparator == "equal") return "=";
  return comparator;  // "about"
}

std::string_view status_text(ProgrammeStatus s) {
  switch (s) {
    case ProgrammeStatus::met:
      return "met";
    case ProgrammeStatus::on_track:
      return "on track";
    case ProgrammeStatus::no_data:
      return "no data";
    case ProgrammeStatus::not_modelled:
      return "not modelled";
  }
  return "?";
}

}  // namespace

// " >= 2.1 in 2030": what follows the indicator's name.
std::string condition_only(const ProgrammeTarget& t) {
  std::string s;
  if (!t.comparator.empty() && t.value) {
    s += ' ' + std::string(symbol(t.comparator)) + ' ' + format_number(*t.value);
  }
  return s + " in " + std::to_string(t.year);
}

std::string programme_condition(const ProgrammeTarget& t) {
  return t.indicator + condition_only(t);
}

void render_programme_targets(const std::vector<ProgrammeTarget>& targets, std::string& out) {
  if (targets.empty()) return;
  std::size_t width = 0;
  for (const auto& t : targets) width = std::max(width, display_width(programme_condition(t)));
  width = std::min(width, kMaxLabelWidth);
  out += "\n  targets not projected by the model (status; latest figure)\n";
  for (const auto& t : targets) {
    // Cut the indicator's name, never the condition: "< 3 in 2030" is the point of the row.
    const std::string condition = condition_only(t);
    const std::size_t condition_width = display_width(condition);
    const std::string label =
        condition_width < width
            ? truncate_to_width(t.indicator, width - condition_width) + condition
            : t.indicator + condition;
    out += "  " + pad_right(label, width) + "  " + std::string(status_text(t.status));
    if (t.latest && t.latest_year) {
      out += "; " + format_number(*t.latest) + " in " + std::to_string(*t.latest_year);
    }
    out += '\n';
  }
}

}  // namespace tamnhin::io::detail
