#include "engine/model/levers.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "engine/model/dims.hpp"

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

std::optional<std::pair<double, double>> read_range(const toml::node& node, const std::string& path,
                                                    TomlReader& reader) {
  const toml::array* items = reader.array(node, path);
  if (items == nullptr) return std::nullopt;
  if (items->size() != 2) {
    reader.error(reader.at(node), path,
                 "a range is [lo, hi], got " + std::to_string(items->size()) + " numbers",
                 "e.g. range = [0.05, 0.40]");
    return std::nullopt;
  }
  auto lo = reader.number(*items->get(0), path + "[0]");
  auto hi = reader.number(*items->get(1), path + "[1]");
  if (!lo || !hi) return std::nullopt;
  if (!(*lo < *hi)) {
    reader.error(
        reader.at(node), path,
        "lo must be less than hi, got [" + show_number(*lo) + ", " + show_number(*hi) + "]");
    return std::nullopt;
  }
  return std::make_pair(*lo, *hi);
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

const std::pair<double, double>* range_of(const VarSpec& v, const std::string& key) {
  if (auto it = v.range_by.values.find(key); it != v.range_by.values.end()) return &it->second;
  return v.range ? &*v.range : nullptr;
}

std::vector<const VarSpec*> levers_of(const Model& model) {
  std::vector<const VarSpec*> out;
  for (const auto& v : model.vars)
    if (v.lever) out.push_back(&v);
  return out;
}

namespace {

// The element keys of `v`: one empty key for a scalar.
std::vector<std::string> element_keys(const Model& model, const VarSpec& v) {
  std::vector<std::string> keys;
  for (const auto& c : element_combinations(model, v.dims)) keys.push_back(element_key(c));
  return keys;
}

// `v` as the scalar item of element `key` (itself for a scalar).
VarSpec element_of(const VarSpec& v, const std::string& key) {
  return v.dims.empty() ? v : element_var(v, key);
}

std::string with_element(const std::string& name, const std::string& key) {
  return key.empty() ? name : name + "[" + key + "]";
}

void validate_ranges(const Model& model, Diagnostics& d) {
  for (const auto& family : model.vars) {
    if (!family.range && family.range_by.empty()) continue;
    const std::string path = "vars." + family.name;
    if (!family.lever) {
      d.add(family.range_where, path + ".range", "a range is declared on levers only",
            "add lever = true if scenarios are meant to set '" + family.name + "'");
      continue;
    }
    // Each element of a dimensioned lever against its range (one for all, or its own).
    for (const auto& key : element_keys(model, family)) {
      const VarSpec v = element_of(family, key);
      if (!v.range) continue;
      const std::string at = key.empty() ? "" : "." + key;
      const auto element_where = [&](const auto& table, const SourceLocation& fallback) {
        auto it = table.where.find(key);
        return it == table.where.end() ? fallback : it->second;
      };
      for (const auto& [year, value] : v.path) {
        if (inside(value, *v.range)) continue;
        auto it = v.path_where.find(year);
        const SourceLocation where = family.path_by.values.count(key)
                                         ? element_where(family.path_by, v.where)
                                     : it == v.path_where.end() ? v.where
                                                                : it->second;
        d.add(where, path + ".path" + at + "." + std::to_string(year),
              show_number(value) + " is outside the lever's range " + show_range(*v.range),
              range_hint(value, v.range->first, v.range->second, v.unit));
      }
      if (v.base && !inside(*v.base, *v.range)) {
        d.add(element_where(family.base_by, v.where), path + ".base" + at,
              show_number(*v.base) + " is outside the lever's range " + show_range(*v.range),
              range_hint(*v.base, v.range->first, v.range->second, v.unit));
      }
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
    // Dimensioned members share their dims: the group sums to its total in each element.
    const VarSpec& first = *model.find_var(g.members.front());
    for (const auto& name : g.members) {
      const VarSpec& v = *model.find_var(name);
      if (v.dims == first.dims) continue;
      const auto dims = [](const VarSpec& x) {
        return x.dims.empty() ? std::string("no dims") : "dims (" + element_key(x.dims) + ")";
      };
      d.add(g.where, path + ".members",
            "'" + name + "' has " + dims(v) + " but '" + first.name + "' has " + dims(first),
            "the members of a share group have the same dims; the group then sums to its "
            "total in each element");
      ok = false;
    }
    if (!ok) continue;
    for (const auto& key : element_keys(model, first)) {
      std::vector<VarSpec> members;
      for (const auto& name : g.members) members.push_back(element_of(*model.find_var(name), key));
      bool failed = false;
      for (int year = model.base_year; year <= model.end_year && !failed; ++year) {
        double sum = 0;
        std::vector<std::string> terms;
        for (const auto& v : members) {
          const double x = path_value(v.path, year);
          sum += x;
          terms.push_back(with_element(v.name, key) + " " + show_number(x));
        }
        if (std::abs(sum - g.total) <= kShareTolerance * std::max(1.0, g.total)) continue;
        d.add(blame(model, g, year), path,
              "the shares" + (key.empty() ? "" : " of element " + key) + " sum to " +
                  show_number(sum) + " in " + std::to_string(year) + ", not " +
                  show_number(g.total) + " (" + join(terms, " + ") + ")",
              "give the members keyframes in the same years that sum to " + show_number(g.total) +
                  ", or use --set, which moves the other members in proportion");
        failed = true;  // the first failing year says enough
      }
      if (failed) break;  // and the first failing element
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
  param.fields_by_element.clear();
}

bool set_param_element(const Model& model, ParamSpec& param, const std::string& key, double value,
                       const SourceLocation& where, Diagnostics& d) {
  const std::string subject = param.name + "[" + key + "]";
  if (param.dims.empty()) {
    d.add(where, subject, "'" + param.name + "' has no dims, so no element '" + key + "'",
          "set it without [...]: " + param.name + "=VALUE");
    return false;
  }
  if (!check_element_of(model, key, where, param.dims, subject, d)) return false;
  if (param.dist != "constant") {
    d.add(where, subject,
          "'" + param.name + "' is a " + param.dist +
              " parameter: its elements share one distribution, so one element cannot be "
              "made constant alone",
          "set every element at once: " + param.name + "=VALUE");
    return false;
  }
  PerElement<double>& values = param.fields_by_element["value"];
  if (values.empty()) {  // one value for all elements so far: give each its own
    for (const auto& c : element_combinations(model, param.dims)) {
      values.values[element_key(c)] = param.fields.at("value");
      values.where[element_key(c)] = param.where;
    }
    values.table_where = param.where;
  }
  values.values[key] = value;
  values.where[key] = where;
  return true;
}

std::optional<std::pair<std::string, std::string>> split_element_suffix(std::string_view name) {
  const auto open = name.find('[');
  if (open == std::string_view::npos) {
    if (name.find(']') != std::string_view::npos) return std::nullopt;
    return std::make_pair(std::string(name), std::string());
  }
  if (name.back() != ']' || name.find('[', open + 1) != std::string_view::npos) return std::nullopt;
  const std::string_view inside_brackets = name.substr(open + 1, name.size() - open - 2);
  if (inside_brackets.find(']') != std::string_view::npos) return std::nullopt;
  std::string key;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = inside_brackets.find(',', start);
    std::string_view part = inside_brackets.substr(start, comma - start);
    while (!part.empty() && part.front() == ' ') part.remove_prefix(1);
    while (!part.empty() && part.back() == ' ') part.remove_suffix(1);
    if (part.empty()) return std::nullopt;
    key += (key.empty() ? "" : ",") + std::string(part);
    if (comma == std::string_view::npos) break;
    start = comma + 1;
  }
  return std::make_pair(std::string(name.substr(0, open)), key);
}

namespace {

// Whether `s` gives the lever a value in keyframe year `k`.
bool covers(const LeverSetting& s, int k, int first_projected) {
  return s.year ? k == *s.year : k >= first_projected;
}

// One lever, or one element of a dimensioned lever, whose keyframes a setting changes.
struct LeverPath {
  VarSpec* var = nullptr;
  std::string key;  // element key; empty for a scalar lever

  std::string name() const { return with_element(var->name, key); }
  std::map<int, double>& path() const { return key.empty() ? var->path : var->path_by.values[key]; }
};

// Gives every element of a dimensioned lever defined by keyframes a path of its own (the
// shared one, copied), so elements can be set one at a time. The elements' keyframes
// share `path_where` (the places messages point at).
void own_paths(const Model& model, VarSpec& v) {
  if (v.dims.empty() || v.eq) return;
  for (const auto& key : element_keys(model, v)) {
    if (v.path_by.values.count(key)) continue;
    v.path_by.values[key] = v.path;
    v.path_by.where[key] = v.where;
  }
}

void set_path(const LeverPath& lever, const LeverSetting& s, int base_year) {
  VarSpec& v = *lever.var;
  std::map<int, double>& current = lever.path();
  if (!lever.key.empty() && !v.path_by.where.count(lever.key)) v.path_by.where[lever.key] = s.where;
  if (s.year) {
    current[*s.year] = s.value;
    v.path_where[*s.year] = s.where;
    return;
  }
  // Constant from the first projected year; the base year keeps its data.
  std::optional<double> base = v.base;
  if (auto it = v.base_by.values.find(lever.key); it != v.base_by.values.end()) base = it->second;
  std::map<int, double> path;
  std::map<int, SourceLocation> where =
      lever.key.empty() ? std::map<int, SourceLocation>{} : v.path_where;
  const double base_value = v.eq ? base.value_or(s.value) : path_value(current, base_year);
  for (const auto& [k, x] : current) {
    if (k > base_year) continue;
    path[k] = x;
    where[k] = v.path_where.count(k) ? v.path_where.at(k) : v.where;
  }
  path[base_year] = base_value;
  path[base_year + 1] = s.value;
  where[base_year + 1] = s.where;
  current = std::move(path);
  v.path_where = std::move(where);
}

// The keyframes of one share group in one element (the whole group for scalar members):
// members not set move in proportion at every keyframe the settings touch, so the group
// keeps its total. Returns false after reporting why it cannot.
bool keep_total(const ShareGroup& g, const std::vector<LeverPath>& members,
                const std::vector<std::pair<const LeverSetting*, LeverPath>>& in_group,
                int first_projected, ShareAdjustment& adj, Diagnostics& d) {
  // Keyframes in the same years for every member, so that sums hold between them too.
  std::set<int> keys;
  for (const auto& m : members)
    for (const auto& [k, x] : m.path()) keys.insert(k);
  std::map<std::string, std::map<int, double>> values;
  for (const auto& m : members)
    for (int k : keys) values[m.name()][k] = path_value(m.path(), k);
  const SourceLocation& where = in_group.front().first->where;
  std::set<std::string> fixed_anywhere;
  for (int k : keys) {
    std::set<std::string> fixed;
    for (const auto& [s, lever] : in_group) {
      if (covers(*s, k, first_projected)) fixed.insert(lever.name());
    }
    if (fixed.empty()) continue;
    fixed_anywhere.insert(fixed.begin(), fixed.end());
    double fixed_sum = 0, free_sum = 0;
    std::vector<const LeverPath*> free;
    for (const auto& m : members) {
      if (fixed.count(m.name())) {
        fixed_sum += values[m.name()][k];
      } else {
        free_sum += values[m.name()][k];
        free.push_back(&m);
      }
    }
    const double rest = g.total - fixed_sum;
    const double slack = kShareTolerance * std::max(1.0, g.total);
    if (rest < -slack || (free.empty() && std::abs(rest) > slack)) {
      d.add(where, "shares." + g.name,
            "the members set sum to " + show_number(fixed_sum) + " in " + std::to_string(k) +
                (members.front().key.empty() ? "" : " in element " + members.front().key) +
                ", which the group's total " + show_number(g.total) + " cannot hold",
            free.empty() ? "set fewer members, or values that sum to the total"
                         : "choose smaller values");
      return false;
    }
    bool failed = false;
    for (const auto* m : free) {
      double& x = values[m->name()][k];
      x = free_sum > 0 ? x * rest / free_sum : rest / static_cast<double>(free.size());
      const auto* range = range_of(*m->var, m->key);
      if (range != nullptr && !inside(x, *range)) {
        d.add(where, m->name(),
              "keeping shares." + g.name + " at " + show_number(g.total) + " would move " +
                  m->name() + " to " + show_number(x) + " in " + std::to_string(k) +
                  ", outside its range " + show_range(*range),
              "set " + m->name() + " as well, or choose a value closer to the current one");
        failed = true;
      }
    }
    if (failed) return false;
  }
  for (const auto& m : members) {
    VarSpec& v = *m.var;
    const bool set = fixed_anywhere.count(m.name()) > 0;
    (set ? adj.set : adj.rescaled).push_back(m.name());
    // A member set keeps its own keyframes and gains the shared years (same values).
    for (int k : keys) {
      if (!v.path_where.count(k)) v.path_where[k] = set ? g.where : where;
      m.path()[k] = values[m.name()][k];
    }
  }
  return true;
}

}  // namespace

std::vector<ShareAdjustment> apply_lever_settings(Model& model,
                                                  const std::vector<LeverSetting>& settings,
                                                  Diagnostics& d) {
  std::vector<std::string> lever_names;
  for (const auto* v : levers_of(model)) lever_names.push_back(v->name);
  const int first_projected = model.base_year + 1;
  // Each valid setting with the lever (element) it sets: one per element for a setting
  // of a whole dimensioned lever.
  std::vector<std::pair<const LeverSetting*, LeverPath>> valid;
  for (const auto& s : settings) {
    VarSpec* v = model.find_var(s.name);
    const std::string subject = with_element(s.name, s.element);
    if (v == nullptr || !v->lever) {
      d.add(s.where, subject,
            v == nullptr
                ? "the model has no lever '" + s.name + "'"
                : "'" + s.name + "' is not a lever (the model does not mark it lever = true)",
            lever_names.empty()                         ? "this model declares no levers"
            : did_you_mean(s.name, lever_names).empty() ? "its levers: " + join(lever_names)
                                                        : did_you_mean(s.name, lever_names));
      continue;
    }
    if (!s.element.empty()) {
      if (v->dims.empty()) {
        d.add(s.where, subject, "'" + s.name + "' has no dims, so no element '" + s.element + "'",
              "set it without [...]: " + s.name + "=VALUE");
        continue;
      }
      if (!check_element_of(model, s.element, s.where, v->dims, subject, d)) continue;
      if (v->eq) {
        d.add(s.where, subject,
              "'" + s.name + "' is defined by an equation, shared by its elements",
              "set every element at once: " + s.name + "=VALUE");
        continue;
      }
    }
    if (!std::isfinite(s.value)) {
      d.add(s.where, subject, "the value must be a finite number");
      continue;
    }
    // Against the element's range, or every element's when all are set.
    bool outside = false;
    const std::vector<std::string> keys =
        s.element.empty() ? element_keys(model, *v) : std::vector<std::string>{s.element};
    for (const auto& key : keys) {
      const auto* range = range_of(*v, key);
      if (range == nullptr || inside(s.value, *range)) continue;
      const bool own = !key.empty() && v->range_by.values.count(key) > 0;
      d.add(s.where, subject,
            show_number(s.value) + " is outside the lever's range " + show_range(*range) +
                (own && s.element.empty() ? " in element " + key : ""),
            range_hint(s.value, range->first, range->second, v->unit));
      outside = true;
      break;
    }
    if (outside) continue;
    if (s.year && (*s.year < model.base_year || *s.year > model.end_year)) {
      d.add(s.where, subject + "@" + std::to_string(*s.year),
            "year " + std::to_string(*s.year) + " is outside the simulated years " +
                std::to_string(model.base_year) + ".." + std::to_string(model.end_year));
      continue;
    }
    if (s.year && v->eq) {
      d.add(s.where, subject + "@" + std::to_string(*s.year),
            "'" + s.name + "' is defined by an equation, so it has no keyframes to set",
            "set it from the first projected year instead: " + s.name + "=VALUE");
      continue;
    }
    if (v->dims.empty()) {
      valid.push_back({&s, LeverPath{v, ""}});
    } else if (!s.element.empty()) {
      valid.push_back({&s, LeverPath{v, s.element}});
    } else {
      for (const auto& key : element_keys(model, *v)) valid.push_back({&s, LeverPath{v, key}});
    }
  }
  for (auto& [s, lever] : valid) own_paths(model, *lever.var);
  for (const auto& [s, lever] : valid) set_path(lever, *s, model.base_year);
  // A lever defined by an equation is defined by its keyframes from now on.
  for (const auto& [s, lever] : valid) lever.var->eq.reset();

  std::vector<ShareAdjustment> adjustments;
  for (const auto& g : model.shares) {
    std::vector<VarSpec*> vars;
    for (const auto& name : g.members) {
      VarSpec* v = model.find_var(name);
      if (v != nullptr && !v->eq && v->dims == model.find_var(g.members.front())->dims)
        vars.push_back(v);
    }
    if (vars.size() != g.members.size()) continue;  // reported by validate_levers
    bool touched = false;
    for (const auto& [s, lever] : valid)
      touched = touched || std::find(vars.begin(), vars.end(), lever.var) != vars.end();
    if (!touched) continue;
    for (VarSpec* v : vars) own_paths(model, *v);
    ShareAdjustment adj;
    adj.group = g.name;
    bool failed = false;
    for (const auto& key : element_keys(model, *vars.front())) {
      std::vector<LeverPath> members;
      for (VarSpec* v : vars) members.push_back({v, key});
      std::vector<std::pair<const LeverSetting*, LeverPath>> in_group;
      for (const auto& [s, lever] : valid) {
        if (lever.key == key && std::find(vars.begin(), vars.end(), lever.var) != vars.end())
          in_group.push_back({s, lever});
      }
      if (in_group.empty()) continue;
      if (!keep_total(g, members, in_group, first_projected, adj, d)) {
        failed = true;
        break;
      }
    }
    if (failed) continue;
    if (!adj.rescaled.empty()) {
      adj.message = "setting " + join(adj.set) + " moved " + join(adj.rescaled) +
                    " in proportion so that shares." + g.name + " still sums to " +
                    show_number(g.total) + (vars.front()->dims.empty() ? "" : " in each element");
    }
    adjustments.push_back(std::move(adj));
  }
  return adjustments;
}

}  // namespace tamnhin
