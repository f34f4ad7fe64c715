#include "engine/model/levers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

namespace tamnhin {

namespace {

// Share sums are compared with this much slack: 0.16 + 0.50 + 0.18 + 0.11 + 0.05 is not
// exactly 1 in binary, and interpolated keyframes add rounding of the same size.
constexpr double kShareTolerance = 1e-9;

bool inside(double v, const std::pair<double, double>& range) {
  return v >= range.first && v <= range.second;
}

std::string show_range(const std::pair<double, double>& r) {
  return "[" + show_number(r.first) + ", " + show_number(r.second) + "]";
}

std::string join(const std::vector<std::string>& items, const char* sep = ", ") {
  std::string out;
  for (const auto& s : items) out += (out.empty() ? "" : sep) + s;
  return out;
}

}  // namespace

std::string range_hint(double value, double lo, double hi, const std::string& unit) {
  const std::string range = "[" + show_number(lo) + ", " + show_number(hi) + "]";
  const std::string in_unit = unit.empty() ? "" : " (unit: " + unit + ")";
  if (value / 100 >= lo && value / 100 <= hi)
    return "a percentage where a fraction is expected? " + show_number(value) +
           " / 100 = " + show_number(value / 100) + " lies in " + range + in_unit;
  if (value * 100 >= lo && value * 100 <= hi)
    return "a fraction where a percentage is expected? " + show_number(value) +
           " * 100 = " + show_number(value * 100) + " lies in " + range + in_unit;
  return "the lever's sensible values are " + range + in_unit +
         "; widen `range` in the model if you mean it";
}

void read_range(VarSpec& var, const toml::node& node, const std::string& path, TomlReader& reader) {
  const toml::array* items = reader.array(node, path);
  if (items == nullptr) return;
  if (items->size() != 2) {
    reader.error(reader.at(node), path,
                 "a range is [lo, hi], got " + std::to_string(items->size()) + " numbers",
                 "e.g. range = [0.05, 0.40]");
    return;
  }
  auto lo = reader.number(*items->get(0), path + "[0]");
  auto hi = reader.number(*items->get(1), path + "[1]");
  if (!lo || !hi) return;
  if (!(*lo < *hi)) {
    reader.error(
        reader.at(node), path,
        "lo must be less than hi, got [" + show_number(*lo) + ", " + show_number(*hi) + "]");
    return;
  }
  var.range = std::make_pair(*lo, *hi);
  var.range_where = reader.at(node);
}

void read_share_group(ShareGroup& group, const toml::table& table, const std::string& path,
                      TomlReader& reader) {
  reader.check_keys(table, path, {"members", "total", "note"});
  group.members = reader.string_list_at(table, "members", path);
  if (auto t = table.get("total")) {
    if (auto v = reader.number(*t, path + ".total")) {
      if (*v > 0)
        group.total = *v;
      else
        reader.error(reader.at(*t), path + ".total", "must be positive, got " + show_number(*v));
    }
  }
  if (auto n = table.get("note")) group.note = reader.string(*n, path + ".note").value_or("");
}

std::vector<const VarSpec*> levers_of(const Model& model) {
  std::vector<const VarSpec*> out;
  for (const auto& v : model.vars)
    if (v.lever) out.push_back(&v);
  return out;
}

namespace {

void validate_ranges(const Model& model, Diagnostics& d) {
  for (const auto& v : model.vars) {
    if (!v.range) continue;
    const std::string path = "vars." + v.name;
    if (!v.lever) {
      d.add(v.range_where, path + ".range", "a range is declared on levers only",
            "add lever = true if scenarios are meant to set '" + v.name + "'");
      continue;
    }
    for (const auto& [year, value] : v.path) {
      if (inside(value, *v.range)) continue;
      auto at = v.path_where.find(year);
      d.add(at == v.path_where.end() ? v.where : at->second, path + ".path." + std::to_string(year),
            show_number(value) + " is outside the lever's range " + show_range(*v.range),
            range_hint(value, v.range->first, v.range->second, v.unit));
    }
    if (v.base && !inside(*v.base, *v.range)) {
      d.add(v.where, path + ".base",
            show_number(*v.base) + " is outside the lever's range " + show_range(*v.range),
            range_hint(*v.base, v.range->first, v.range->second, v.unit));
    }
  }
}

// Where to point for a group that misses its total in `year`: the latest keyframe at or
// before that year among the members (the value a user would edit), else the group.
SourceLocation blame(const Model& model, const ShareGroup& g, int year) {
  int best_year = 0;
  SourceLocation best = g.where;
  for (const auto& name : g.members) {
    const VarSpec* v = model.find_var(name);
    if (v == nullptr) continue;
    for (const auto& [y, where] : v->path_where) {
      if (y <= year && (best_year == 0 || y > best_year)) {
        best_year = y;
        best = where;
      }
    }
  }
  return best;
}

void validate_groups(const Model& model, Diagnostics& d) {
  std::map<std::string, std::string> group_of;
  std::vector<std::string> lever_names;
  for (const auto* v : levers_of(model)) lever_names.push_back(v->name);
  for (const auto& g : model.shares) {
    const std::string path = "shares." + g.name;
    bool ok = true;
    if (g.members.size() < 2) {
      d.add(g.where, path + ".members", "a share group needs at least two members");
      ok = false;
    }
    std::set<std::string> seen;
    for (const auto& name : g.members) {
      const VarSpec* v = model.find_var(name);
      if (v == nullptr) {
        d.add(g.where, path + ".members", "unknown variable '" + name + "'",
              did_you_mean(name, lever_names));
        ok = false;
      } else if (!v->lever) {
        d.add(g.where, path + ".members", "'" + name + "' is not a lever",
              "shares are levers: add lever = true to vars." + name);
        ok = false;
      } else if (v->eq) {
        d.add(g.where, path + ".members", "'" + name + "' is defined by an equation",
              "a share in a group is set by keyframes (path), so its sum can be checked");
        ok = false;
      }
      if (!seen.insert(name).second) {
        d.add(g.where, path + ".members", "'" + name + "' is listed twice");
        ok = false;
      }
      auto [it, fresh] = group_of.emplace(name, g.name);
      if (!fresh && it->second != g.name) {
        d.add(g.where, path + ".members",
              "'" + name + "' is already a member of shares." + it->second,
              "a lever belongs to one share group at most");
        ok = false;
      }
    }
    if (!ok || model.base_year == 0) continue;
    for (int year = model.base_year; year <= model.end_year; ++year) {
      double sum = 0;
      std::vector<std::string> terms;
      for (const auto& name : g.members) {
        const double x = path_value(model.find_var(name)->path, year);
        sum += x;
        terms.push_back(name + " " + show_number(x));
      }
      if (std::abs(sum - g.total) <= kShareTolerance * std::max(1.0, g.total)) continue;
      d.add(blame(model, g, year), path,
            "the shares sum to " + show_number(sum) + " in " + std::to_string(year) + ", not " +
                show_number(g.total) + " (" + join(terms, " + ") + ")",
            "give the members keyframes in the same years that sum to " + show_number(g.total) +
                ", or use --set, which moves the other members in proportion");
      break;  // the first failing year says enough
    }
  }
}

}  // namespace

void validate_levers(const Model& model, Diagnostics& diagnostics) {
  validate_ranges(model, diagnostics);
  validate_groups(model, diagnostics);
}

void set_param_constant(ParamSpec& param, double value, const SourceLocation& where) {
  param.dist = "constant";
  param.fields = {{"value", value}};
  param.field_where = {{"value", where}};
  param.marginal = random::Marginal{random::DistKind::constant, value};
}

namespace {

// Whether `s` gives the lever a value in keyframe year `k`.
bool covers(const LeverSetting& s, int k, int first_projected) {
  return s.year ? k == *s.year : k >= first_projected;
}

void set_path(VarSpec& v, const LeverSetting& s, int base_year) {
  if (s.year) {
    v.path[*s.year] = s.value;
    v.path_where[*s.year] = s.where;
    return;
  }
  // Constant from the first projected year; the base year keeps its data.
  std::map<int, double> path;
  std::map<int, SourceLocation> where;
  const double base_value = v.eq ? v.base.value_or(s.value) : path_value(v.path, base_year);
  for (const auto& [k, x] : v.path) {
    if (k > base_year) continue;
    path[k] = x;
    where[k] = v.path_where.count(k) ? v.path_where.at(k) : v.where;
  }
  path[base_year] = base_value;
  path[base_year + 1] = s.value;
  where[base_year + 1] = s.where;
  v.path = std::move(path);
  v.path_where = std::move(where);
  v.eq.reset();
}

}  // namespace

std::vector<ShareAdjustment> apply_lever_settings(Model& model,
                                                  const std::vector<LeverSetting>& settings,
                                                  Diagnostics& d) {
  std::vector<std::string> lever_names;
  for (const auto* v : levers_of(model)) lever_names.push_back(v->name);
  const int first_projected = model.base_year + 1;
  std::vector<const LeverSetting*> valid;
  for (const auto& s : settings) {
    VarSpec* v = model.find_var(s.name);
    if (v == nullptr || !v->lever) {
      d.add(s.where, s.name,
            v == nullptr
                ? "the model has no lever '" + s.name + "'"
                : "'" + s.name + "' is not a lever (the model does not mark it lever = true)",
            lever_names.empty()                         ? "this model declares no levers"
            : did_you_mean(s.name, lever_names).empty() ? "its levers: " + join(lever_names)
                                                        : did_you_mean(s.name, lever_names));
      continue;
    }
    if (!std::isfinite(s.value)) {
      d.add(s.where, s.name, "the value must be a finite number");
      continue;
    }
    if (v->range && !inside(s.value, *v->range)) {
      d.add(s.where, s.name,
            show_number(s.value) + " is outside the lever's range " + show_range(*v->range),
            range_hint(s.value, v->range->first, v->range->second, v->unit));
      continue;
    }
    if (s.year && (*s.year < model.base_year || *s.year > model.end_year)) {
      d.add(s.where, s.name + "@" + std::to_string(*s.year),
            "year " + std::to_string(*s.year) + " is outside the simulated years " +
                std::to_string(model.base_year) + ".." + std::to_string(model.end_year));
      continue;
    }
    if (s.year && v->eq) {
      d.add(s.where, s.name + "@" + std::to_string(*s.year),
            "'" + s.name + "' is defined by an equation, so it has no keyframes to set",
            "set it from the first projected year instead: " + s.name + "=VALUE");
      continue;
    }
    valid.push_back(&s);
  }
  for (const auto* s : valid) set_path(*model.find_var(s->name), *s, model.base_year);

  std::vector<ShareAdjustment> adjustments;
  for (const auto& g : model.shares) {
    std::vector<const LeverSetting*> in_group;
    for (const auto* s : valid) {
      if (std::find(g.members.begin(), g.members.end(), s->name) != g.members.end())
        in_group.push_back(s);
    }
    if (in_group.empty()) continue;
    std::vector<VarSpec*> members;
    for (const auto& name : g.members) {
      VarSpec* v = model.find_var(name);
      if (v != nullptr && !v->eq) members.push_back(v);
    }
    if (members.size() != g.members.size()) continue;  // reported by validate_levers
    {
      // Keyframes in the same years for every member, so that sums hold between them too.
      std::set<int> keys;
      for (const auto* v : members)
        for (const auto& [k, x] : v->path) keys.insert(k);
      std::map<std::string, std::map<int, double>> values;
      for (auto* v : members)
        for (int k : keys) values[v->name][k] = path_value(v->path, k);
      ShareAdjustment adj;
      adj.group = g.name;
      std::set<std::string> fixed_anywhere;
      bool failed = false;
      for (int k : keys) {
        std::set<std::string> fixed;
        for (const auto* s : in_group) {
          if (covers(*s, k, first_projected)) fixed.insert(s->name);
        }
        if (fixed.empty()) continue;
        fixed_anywhere.insert(fixed.begin(), fixed.end());
        double fixed_sum = 0, free_sum = 0;
        std::vector<VarSpec*> free;
        for (auto* v : members) {
          if (fixed.count(v->name)) {
            fixed_sum += values[v->name][k];
          } else {
            free_sum += values[v->name][k];
            free.push_back(v);
          }
        }
        const double rest = g.total - fixed_sum;
        const double slack = kShareTolerance * std::max(1.0, g.total);
        if (rest < -slack || (free.empty() && std::abs(rest) > slack)) {
          d.add(in_group.front()->where, "shares." + g.name,
                "the members set sum to " + show_number(fixed_sum) + " in " + std::to_string(k) +
                    ", which the group's total " + show_number(g.total) + " cannot hold",
                free.empty() ? "set fewer members, or values that sum to the total"
                             : "choose smaller values");
          failed = true;
          break;
        }
        for (auto* v : free) {
          double& x = values[v->name][k];
          x = free_sum > 0 ? x * rest / free_sum : rest / static_cast<double>(free.size());
          if (v->range && !inside(x, *v->range)) {
            d.add(in_group.front()->where, v->name,
                  "keeping shares." + g.name + " at " + show_number(g.total) + " would move " +
                      v->name + " to " + show_number(x) + " in " + std::to_string(k) +
                      ", outside its range " + show_range(*v->range),
                  "set " + v->name + " as well, or choose a value closer to the current one");
            failed = true;
          }
        }
        if (failed) break;
      }
      if (failed) continue;
      for (auto* v : members) {
        if (fixed_anywhere.count(v->name)) {
          adj.set.push_back(v->name);
          // Keep the setting's own keyframes, add the shared years (same values).
          for (int k : keys) {
            if (!v->path_where.count(k)) v->path_where[k] = g.where;
            v->path[k] = values[v->name][k];
          }
        } else {
          adj.rescaled.push_back(v->name);
          for (int k : keys) {
            v->path[k] = values[v->name][k];
            if (!v->path_where.count(k)) v->path_where[k] = in_group.front()->where;
          }
        }
      }
      if (!adj.rescaled.empty()) {
        adj.message = "setting " + join(adj.set) + " moved " + join(adj.rescaled) +
                      " in proportion so that shares." + g.name + " still sums to " +
                      show_number(g.total);
      }
      adjustments.push_back(std::move(adj));
    }
  }
  return adjustments;
}

}  // namespace tamnhin
