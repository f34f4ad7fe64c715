#include "engine/io/levers_table.hpp"

#include "engine/io/number_format.hpp"
#include "engine/model/levers.hpp"

namespace tamnhin::io {

namespace {

std::string keyframes(const VarSpec& v) {
  if (v.eq) return "eq: " + v.eq->text;
  std::string out;
  for (const auto& [year, value] : v.path) {
    if (!out.empty()) out += ", ";
    out += std::to_string(year) + " = " + format_number(value);
  }
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
    out += v->range
               ? "[" + format_number(v->range->first) + ", " + format_number(v->range->second) + "]"
               : "(not declared)";
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
