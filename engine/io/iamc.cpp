#include "engine/io/iamc.hpp"

#include <algorithm>
#include <limits>

#include "engine/io/number_format.hpp"
#include "engine/io/tables.hpp"

namespace tamnhin::io {

std::string render_iamc_csv(std::span<const stats::ScenarioReport> reports) {
  int first = std::numeric_limits<int>::max(), last = std::numeric_limits<int>::min();
  for (const auto& r : reports)
    first = std::min(first, r.base_year), last = std::max(last, r.end_year);
  std::string out = "model,scenario,region,variable,unit";
  for (int year = first; year <= last; ++year) out += ',' + std::to_string(year);
  out += '\n';
  for (const auto& r : reports) {
    const std::string prefix = csv_field(r.model) + ',' + csv_field(r.scenario) + ',' +
                               csv_field(r.region.empty() ? r.model : r.region) + ',';
    for (const auto& v : r.variables) {
      out += prefix + csv_field(v.name) + ',' + csv_field(v.unit);
      for (int year = first; year <= last; ++year) {
        out += ',';
        const int index = year - r.base_year;
        if (index >= 0 && index < static_cast<int>(v.by_year.size()))
          out += format_number(v.by_year[static_cast<std::size_t>(index)].p50);
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace tamnhin::io
