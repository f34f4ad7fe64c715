// How a variable or target is named to people (`label`, `label_vi`, `short` in model and
// scenario files). Shared by the model (which reads them) and the outputs (which show
// them). Any may be empty: outputs fall back to the other language, then to the name.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace tamnhin {

// Longest `short` label, in characters: it heads a narrow column.
inline constexpr std::size_t kMaxShortLabelLength = 32;

// The languages of the human outputs (scorecard, report, workbook).
enum class Language { en, vi };

struct Labels {
  std::string en;          // label
  std::string vi;          // label_vi
  std::string short_form;  // short: for narrow columns, either language

  bool empty() const { return en.empty() && vi.empty() && short_form.empty(); }

  // The label in `language`, else in the other one, else `name`.
  std::string_view full(Language language, std::string_view name) const {
    const std::string& first = language == Language::vi ? vi : en;
    const std::string& second = language == Language::vi ? en : vi;
    if (!first.empty()) return first;
    if (!second.empty()) return second;
    return name;
  }
  // The short form, else the full label in `language`, else `name`.
  std::string_view brief(Language language, std::string_view name) const {
    return short_form.empty() ? full(language, name) : std::string_view(short_form);
  }
};

}  // namespace tamnhin
