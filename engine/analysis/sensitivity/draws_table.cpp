#include "engine/analysis/sensitivity/draws_table.hpp"

#include <algorithm>
#include <cmath>

#include "engine/core/diagnostics.hpp"
#include "engine/io/number_format.hpp"
#include "engine/io/tables.hpp"

namespace tamnhin::analysis {

namespace {

constexpr std::size_t kBytesPerCell = 20;  // a shortest round-trip double and a comma

std::string mib(std::size_t bytes) {
  return std::to_string((bytes + (std::size_t{1} << 20) - 1) >> 20) + " MiB";
}

}  // namespace

std::vector<std::string> parse_save_draws(const std::string& text) {
  std::vector<std::string> outputs;
  if (text == "params") return outputs;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t comma = std::min(text.find(',', start), text.size());
    const std::string item = text.substr(start, comma - start);
    const std::size_t at = item.find('@');
    if (item.empty() || at == 0 || at == std::string::npos || at + 1 == item.size() ||
        !std::all_of(item.begin() + static_cast<std::ptrdiff_t>(at) + 1, item.end(),
                     [](char c) { return c >= '0' && c <= '9'; }))
      throw InputError(Diagnostic{{"--save-draws " + text, 0, 0},
                                  item,
                                  "expected VAR@YEAR or 'params', got '" + item + "'",
                                  "e.g. --save-draws grdp_per_capita@2030,poverty_rate@2030 "
                                  "or --save-draws params"});
    outputs.push_back(item);
    start = comma + 1;
  }
  return outputs;
}

std::size_t estimate_draws_csv_bytes(std::size_t rows, std::size_t columns) {
  return rows * (columns + 2) * kBytesPerCell;
}

void check_draws_size(std::size_t rows, std::size_t columns, std::size_t limit_bytes,
                      std::size_t available_bytes) {
  const std::size_t file = estimate_draws_csv_bytes(rows, columns);
  // In memory at once: the columns (8 bytes a cell) and the file's text.
  const std::size_t memory = rows * columns * sizeof(double) + file;
  const std::string what =
      std::to_string(rows) + " rows x " + std::to_string(columns + 2) + " columns";
  if (file > limit_bytes)
    throw InputError(Diagnostic{{"--save-draws", 0, 0},
                                "--save-draws",
                                "draws.csv would be about " + mib(file) + " (" + what +
                                    "), over the " + mib(limit_bytes) + " limit",
                                "save fewer outputs, or run fewer --draws for the export"});
  if (available_bytes > 0 && memory > available_bytes / 2)
    throw InputError(Diagnostic{{"--save-draws", 0, 0},
                                "--save-draws",
                                "draws.csv needs about " + mib(memory) + " of memory (" + what +
                                    "), over half of the " + mib(available_bytes) + " available",
                                "save fewer outputs, or run fewer --draws for the export"});
}

std::string render_draws_csv(const std::vector<ScenarioDraws>& scenarios,
                             const std::vector<std::string>& outputs) {
  std::vector<std::string> params;  // union, first-seen order
  for (const auto& s : scenarios)
    for (const auto& [name, values] : s.parameters)
      if (std::find(params.begin(), params.end(), name) == params.end()) params.push_back(name);
  std::string out = "scenario,draw";
  for (const auto& p : params) out += ',' + io::csv_field(p);
  for (const auto& o : outputs) out += ',' + io::csv_field(o);
  out += '\n';
  for (const auto& s : scenarios) {
    std::vector<const std::vector<double>*> columns(params.size(), nullptr);
    for (const auto& [name, values] : s.parameters)
      columns[static_cast<std::size_t>(std::find(params.begin(), params.end(), name) -
                                       params.begin())] = &values;
    const std::string scenario = io::csv_field(s.scenario);
    for (std::size_t d = 0; d < s.draws; ++d) {
      out += scenario;
      out += ',';
      out += std::to_string(d);
      for (const auto* c : columns) {
        out += ',';
        if (c != nullptr) out += io::format_number((*c)[d]);
      }
      for (const auto& o : s.outputs) {
        out += ',';
        out += io::format_number(o[d]);
      }
      out += '\n';
    }
  }
  return out;
}

}  // namespace tamnhin::analysis
