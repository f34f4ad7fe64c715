#include "engine/model/programme_targets.hpp"

#include <string>

namespace tamnhin {
namespace {

// The comparators a programme states: the four the engine scores, and the two it cannot
// ("about 75", "equal to 26") that a planner still needs to see.
constexpr std::string_view kComparators[] = {"below",    "at_most", "above",
                                             "at_least", "about",   "equal"};

bool known_comparator(std::string_view c) {
  for (auto k : kComparators)
    if (k == c) return true;
  return false;
}

void read_one(ProgrammeTarget& t, const toml::table& table, const std::string& path,
              TomlReader& reader) {
  reader.check_keys(table, path,
                    {"indicator", "year", "comparator", "value", "unit", "status", "latest",
                     "latest_year", "source", "note", "label", "label_vi", "short"});
  const SourceLocation where = reader.at(table);
  if (auto n = table.get("indicator")) {
    t.indicator = reader.string(*n, path + ".indicator").value_or("");
  } else {
    reader.error(where, path, "missing required key 'indicator'",
                 "the programme's name for the target, e.g. indicator = \"total_fertility_rate\"");
  }
  if (auto n = table.get("year")) {
    t.year = reader.year(*n, path + ".year").value_or(0);
  } else {
    reader.error(where, path, "missing required key 'year'");
  }
  if (auto n = table.get("comparator")) {
    t.comparator = reader.string(*n, path + ".comparator").value_or("");
    if (!t.comparator.empty() && !known_comparator(t.comparator)) {
      reader.error(reader.at(*n), path + ".comparator", "unknown comparator '" + t.comparator + "'",
                   "one of below, at_most, above, at_least, about, equal");
    }
  }
  if (auto n = table.get("value")) t.value = reader.number(*n, path + ".value");
  if (auto n = table.get("unit")) t.unit = reader.string(*n, path + ".unit").value_or("");
  if (auto n = table.get("status")) {
    const std::string s = reader.string(*n, path + ".status").value_or("");
    if (auto status = programme_status_from_string(s)) {
      t.status = *status;
    } else if (!s.empty()) {
      reader.error(reader.at(*n), path + ".status", "unknown status '" + s + "'",
                   "one of met, on_track, no_data, not_modelled");
    }
  } else {
    reader.error(where, path, "missing required key 'status'",
                 "met, on_track, no_data or not_modelled");
  }
  if (auto n = table.get("latest")) t.latest = reader.number(*n, path + ".latest");
  if (auto n = table.get("latest_year")) t.latest_year = reader.year(*n, path + ".latest_year");
  if (t.latest.has_value() != t.latest_year.has_value()) {
    reader.error(where, path, "latest and latest_year go together",
                 "a figure without its year (or a year without a figure) cannot be read");
  }
  if (auto n = table.get("source")) {
    t.source = reader.string(*n, path + ".source").value_or("");
  } else {
    reader.error(where, path, "missing required key 'source'",
                 "where the target is stated (a document, a URL or a reference row)");
  }
  if (auto n = table.get("note")) t.note = reader.string(*n, path + ".note").value_or("");
  if (auto n = table.get("label")) t.labels.en = reader.string(*n, path + ".label").value_or("");
  if (auto n = table.get("label_vi"))
    t.labels.vi = reader.string(*n, path + ".label_vi").value_or("");
  if (auto n = table.get("short"))
    t.labels.short_form = reader.string(*n, path + ".short").value_or("");
}

}  // namespace

void read_programme_targets(std::vector<ProgrammeTarget>& out, const toml::node& node,
                            TomlReader& reader) {
  const toml::array* items = reader.array(node, "programme_targets");
  if (items == nullptr) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string path = "programme_targets[" + std::to_string(i) + "]";
    const toml::table* t = reader.table(*items->get(i), path);
    if (t == nullptr) continue;
    ProgrammeTarget target;
    read_one(target, *t, path, reader);
    out.push_back(std::move(target));
  }
}

}  // namespace tamnhin
