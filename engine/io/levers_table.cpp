#include "engine/io/levers_table.hpp"

#include <map>

#include "engine/io/number_format.hpp"
#include "engine/model/levers.hpp"

namespace tamnhin::io {

namespace {

std::string year_table(const std::map<int, double>& path) {
  std::string out;
  for (const auto& [year, value] : path) {
    if (!out.empty()) out += ", ";
    out += std::to_string(year) + " = " + format_number(value);
  }
  return "{ " + out + " }";
}

// The keyframes as written: one table, or one per element of a dimensioned lever.
std::string keyframes(const VarSpec& v) {
  if (v.eq) return "eq: " + v.eq->text;
  if (v.path_by.empty()) return year_table(v.path);
  std::string out;
  for (const auto& [key, path] : v.path_by.values)
    out += (out.empty() ? "" : ", ") + key + " = " + year_table(path);
  return "{ " + out + " }";
}

}  // namespace

std::string render_levers(const Model& model, const std::string& scenario_name) {
  std::string out = "Levers of scenario '" + scenario_name + "' (model '" + model.name + "')\n";
  const auto levers = levers_of(model);
  if (levers.empty()) return out + "  (none: the model marks no variable lever = true)\n";
  for (const VarSpec* v : levers) {
    out += "\n" + v->name;
    if (!v->unit.empty()) out += "  [" + v->unit + "]";
    out += "\n  range: ";
    const auto show = [](const std::pair<double, double>& r) {
      return "[" + format_number(r.first) + ", " + format_number(r.second) + "]";
    };
    if (!v->range_by.empty()) {
      std::string each;
      for (const auto& [key, range] : v->range_by.values)
        each += (each.empty() ? "" : ", ") + key + " = " + show(range);
      out += "{ " + each + " }";
    } else {
      out += v->range ? show(*v->range) : "(not declared)";
    }
    if (const ShareGroup* g = model.share_group_of(v->name)) {
      out += "\n  group: shares." + g->name + " (members sum to " + format_number(g->total) +
             "; setting one moves the others in proportion)";
    }
    out += "\n  path:  " + keyframes(*v);
    if (!v->note.empty()) out += "\n  note:  " + v->note;
    if (!v->source.empty()) out += "\n  source: " + v->source;
    out += '\n';
  }
  if (!model.shares.empty()) {
    out += "\nShare groups\n";
    for (const auto& g : model.shares) {
      out += "  " + g.name + ": ";
      for (std::size_t i = 0; i < g.members.size(); ++i) out += (i ? " + " : "") + g.members[i];
      out += " = " + format_number(g.total);
      if (!g.note.empty()) out += "  (" + g.note + ")";
      out += '\n';
    }
  }
  return out;
}

}  // namespace tamnhin::io
