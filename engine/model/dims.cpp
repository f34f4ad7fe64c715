#include "engine/model/dims.hpp"

#include <algorithm>
#include <iterator>

#include "engine/model/load_model.hpp"

namespace tamnhin {

std::vector<std::vector<std::string>> element_combinations(const Model& model,
                                                           const std::vector<std::string>& dims) {
  std::vector<std::vector<std::string>> out = {{}};
  for (const auto& name : dims) {
    const Dimension* dim = model.find_dim(name);
    if (dim == nullptr) return {};  // reported by validation
    std::vector<std::vector<std::string>> next;
    for (const auto& prefix : out) {
      for (const auto& element : dim->elements) {
        next.push_back(prefix);
        next.back().push_back(element);
      }
    }
    out = std::move(next);
  }
  return out;
}

std::string element_key(const std::vector<std::string>& elements) {
  std::string key;
  for (const auto& e : elements) key += (key.empty() ? "" : ",") + e;
  return key;
}

std::string element_name(std::string_view name, const std::vector<std::string>& elements) {
  if (elements.empty()) return std::string(name);
  return std::string(name) + "[" + element_key(elements) + "]";
}

namespace {

template <typename T>
const T* at_key(const PerElement<T>& table, const std::string& key) {
  auto it = table.values.find(key);
  return it == table.values.end() ? nullptr : &it->second;
}

}  // namespace

std::vector<std::string> split_element_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = key.find(',', start);
    parts.push_back(key.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

bool is_target_reduction(std::string_view reduce) {
  return std::find(kTargetReductions.begin(), kTargetReductions.end(), reduce) !=
         kTargetReductions.end();
}

std::vector<std::string> dims_after_reduction(const VarSpec& var, const Target& target) {
  std::vector<std::string> left;
  if (target.over.empty()) return left;
  for (const auto& d : var.dims) {
    if (d != target.over) left.push_back(d);
  }
  return left;
}

std::string reduction_name(const VarSpec& var, const Target& target) {
  std::string name = target.reduce + "(" + var.name;
  if (!target.over.empty()) name += "," + target.over;
  name += ")";
  if (!target.element.empty()) name += "[" + target.element + "]";
  return name;
}

VarSpec element_var(const VarSpec& var, const std::string& key) {
  VarSpec e = var;
  e.dims.clear();
  if (const double* v = at_key(var.base_by, key)) e.base = *v;
  if (const double* v = at_key(var.min_by, key)) e.min = *v;
  if (const double* v = at_key(var.max_by, key)) e.max = *v;
  if (const auto* v = at_key(var.path_by, key)) e.path = *v;
  if (const auto* v = at_key(var.history_by, key)) e.history = *v;
  if (const auto* v = at_key(var.range_by, key)) {
    e.range = *v;
    if (auto it = var.range_by.where.find(key); it != var.range_by.where.end())
      e.range_where = it->second;
  }
  e.range_by = {};
  e.base_by = {};
  e.min_by = {};
  e.max_by = {};
  e.path_by = {};
  e.history_by = {};
  std::vector<Target> targets;
  for (const auto& t : var.targets) {
    if (t.reduce.empty() && t.over.empty() && t.element == key) targets.push_back(t);
  }
  e.targets = std::move(targets);
  return e;
}

ParamSpec element_param(const ParamSpec& param, const std::string& key) {
  ParamSpec e = param;
  e.dims.clear();
  for (const auto& [field, table] : param.fields_by_element) {
    if (const double* v = at_key(table, key)) {
      e.fields[field] = *v;
      e.field_where[field] = table.where.at(key);
    }
  }
  e.fields_by_element.clear();
  return e;
}

void check_element_keys(const Model& model, const std::map<std::string, SourceLocation>& keys,
                        const SourceLocation& table_where, const std::vector<std::string>& dims,
                        const std::string& path, Diagnostics& d) {
  if (keys.empty()) return;
  for (const auto& name : dims) {
    if (model.find_dim(name) == nullptr) return;  // the unknown dimension is reported
  }
  for (const auto& [key, where] : keys) {
    const std::vector<std::string> parts = split_element_key(key);
    if (parts.size() != dims.size()) {
      d.add(where, path + "." + key,
            "'" + key + "' names " + std::to_string(parts.size()) + " element" +
                (parts.size() == 1 ? "" : "s") + ", but the item has " +
                std::to_string(dims.size()) + " dimensions",
            "nest one table per dimension, in the order of dims");
      continue;
    }
    for (std::size_t i = 0; i < parts.size(); ++i) {
      const Dimension& dim = *model.find_dim(dims[i]);
      if (std::find(dim.elements.begin(), dim.elements.end(), parts[i]) == dim.elements.end()) {
        std::string hint = did_you_mean(parts[i], dim.elements);
        std::string all;
        for (const auto& e : dim.elements) all += (all.empty() ? "" : ", ") + e;
        d.add(where, path + "." + key,
              "'" + parts[i] + "' is not an element of dimension '" + dim.name + "'",
              hint.empty() ? "its elements: " + all : hint);
      }
    }
  }
  for (const auto& combination : element_combinations(model, dims)) {
    const std::string key = element_key(combination);
    if (!keys.contains(key)) {
      d.add(table_where, path, "no value for element '" + key + "'",
            "a per-element table gives every element; or give one value for all");
    }
  }
}

namespace {

// A target's reduction told to people, appended to the variable's label: "(sum over age,
// long_an)". Empty labels stay empty, so the outputs show the name ("sum(pop,age)[long_an]").
Labels reduction_labels(const Labels& labels, const Target& t) {
  static const std::map<std::string, std::string> kVietnamese = {
      {"sum", "tổng"}, {"mean", "trung bình"}, {"min", "nhỏ nhất"}, {"max", "lớn nhất"}};
  const auto words = [&](const std::string& reduce, const char* over) {
    std::string w = reduce;
    if (!t.over.empty()) w += over + t.over;
    if (!t.element.empty()) w += ", " + t.element;
    return " (" + w + ")";
  };
  Labels out;
  if (!labels.en.empty()) out.en = labels.en + words(t.reduce, " over ");
  if (!labels.vi.empty()) out.vi = labels.vi + words(kVietnamese.at(t.reduce), " theo ");
  return out;
}

// An element's labels: the variable's, with the elements appended ("Population (long_an)"),
// so the element rows of the scorecard, the report and the workbook tell the elements apart.
// Empty labels stay empty (the outputs show the name, "pop[long_an]").
Labels element_labels(const Labels& labels, const std::vector<std::string>& combination) {
  std::string suffix;
  for (const auto& e : combination) suffix += (suffix.empty() ? " (" : ", ") + e;
  suffix += ")";
  Labels out = labels;
  for (std::string* text : {&out.en, &out.vi, &out.short_form}) {
    if (!text->empty()) *text += suffix;
  }
  return out;
}

// Whether the flat model can record `t`'s reduction; validation reports the others
// (`check` compiles models that failed validation, to report their equations too).
bool recordable_reduction(const Model& model, const VarSpec& var, const Target& t) {
  if (!is_target_reduction(t.reduce)) return false;
  if (!t.over.empty() && std::find(var.dims.begin(), var.dims.end(), t.over) == var.dims.end())
    return false;
  const std::vector<std::string> left = dims_after_reduction(var, t);
  if (left.empty()) return t.element.empty();
  for (const auto& combination : element_combinations(model, left)) {
    if (element_key(combination) == t.element) return true;
  }
  return false;
}

// The reduction of the elements' observed values, in the years every reduced element has one.
std::map<int, double> reduction_history(const Model& model, const VarSpec& var, const Target& t,
                                        const ElementContext& context) {
  std::vector<const std::map<int, double>*> parts;
  for (const auto& combination : element_combinations(model, var.dims)) {
    bool reduced = true;
    for (const auto& [dim, element] : context.elements) {
      const auto at = std::find(var.dims.begin(), var.dims.end(), dim) - var.dims.begin();
      reduced = reduced && combination[static_cast<std::size_t>(at)] == element;
    }
    if (!reduced) continue;
    const auto* own = at_key(var.history_by, element_key(combination));
    parts.push_back(own != nullptr ? own : &var.history);
  }
  std::map<int, double> out;
  if (parts.empty()) return out;
  for (const auto& [year, first] : *parts[0]) {
    double value = first;
    bool everywhere = true;
    for (std::size_t i = 1; i < parts.size() && everywhere; ++i) {
      auto it = parts[i]->find(year);
      everywhere = it != parts[i]->end();
      if (!everywhere) break;
      if (t.reduce == "min") {
        value = std::min(value, it->second);
      } else if (t.reduce == "max") {
        value = std::max(value, it->second);
      } else {
        value += it->second;
      }
    }
    if (!everywhere) continue;
    out[year] = t.reduce == "mean" ? value / static_cast<double>(parts.size()) : value;
  }
  return out;
}

// The variables that record the reductions `var`'s targets apply, in order of first
// mention, each with its targets: "sum(pop)" has the equation sum(pop) and no element;
// "sum(pop,age)[long_an]" the equation sum(pop, age) in the element region = long_an.
std::vector<std::pair<VarSpec, ElementContext>> reduction_vars(const Model& model,
                                                               const VarSpec& var) {
  std::vector<std::pair<VarSpec, ElementContext>> out;
  for (const auto& t : var.targets) {
    if ((t.reduce.empty() && t.over.empty()) || !recordable_reduction(model, var, t)) continue;
    const std::string name = reduction_name(var, t);
    auto it =
        std::find_if(out.begin(), out.end(), [&](const auto& r) { return r.first.name == name; });
    if (it == out.end()) {
      VarSpec r;
      r.name = name;
      r.unit = var.unit;
      r.eq = Equation{t.reduce + "(" + var.name + (t.over.empty() ? "" : ", " + t.over) + ")",
                      t.reduce_where};
      r.labels = reduction_labels(var.labels, t);
      r.where = t.where;
      ElementContext context{var.name, {}};
      const std::vector<std::string> left = dims_after_reduction(var, t);
      if (!left.empty()) {
        const std::vector<std::string> elements = split_element_key(t.element);
        for (std::size_t i = 0; i < left.size(); ++i)
          context.elements.emplace_back(left[i], elements[i]);
      }
      r.history = reduction_history(model, var, t, context);
      out.emplace_back(std::move(r), std::move(context));
      it = std::prev(out.end());
    }
    it->first.targets.push_back(t);
  }
  return out;
}

}  // namespace

bool check_element_of(const Model& model, const std::string& key, const SourceLocation& where,
                      const std::vector<std::string>& dims, const std::string& path,
                      Diagnostics& d) {
  Diagnostics bad;
  check_element_keys(model, {{key, where}}, where, dims, path, bad);
  // Only the element itself matters here, not that the other elements have no value.
  bool ok = true;
  for (const auto& x : bad.all()) {
    if (x.message.rfind("no value for element", 0) == 0) continue;
    d.add(x);
    ok = false;
  }
  return ok;
}

FlatModel flatten_dimensions(const Model& model) {
  FlatModel flat;
  flat.model = model;
  const auto scalar_context = [](const std::string& name) { return ElementContext{name, {}}; };
  if (model.dims.empty()) {
    for (const auto& v : model.vars) flat.var_context.push_back(scalar_context(v.name));
    return flat;
  }
  Model& m = flat.model;
  m.params.clear();
  m.tables.clear();
  m.vars.clear();
  for (const auto& p : model.params) {
    if (p.dims.empty()) {
      m.params.push_back(p);
      continue;
    }
    flat.family_dims[p.name] = p.dims;
    for (const auto& combination : element_combinations(model, p.dims)) {
      ParamSpec e = element_param(p, element_key(combination));
      e.name = element_name(p.name, combination);
      Diagnostics ignored;  // validation reported every problem
      derive_marginal(e, ignored);
      m.params.push_back(std::move(e));
    }
  }
  for (const auto& t : model.tables) {
    if (t.dims.empty()) {
      m.tables.push_back(t);
      continue;
    }
    flat.family_dims[t.name] = t.dims;
    for (const auto& combination : element_combinations(model, t.dims)) {
      TableSpec e = t;
      e.dims.clear();
      if (const auto* points = at_key(t.points_by_element, element_key(combination)))
        e.points = *points;
      e.points_by_element = {};
      e.name = element_name(t.name, combination);
      m.tables.push_back(std::move(e));
    }
  }
  // A dimensioned shock group is one group per element, under the group's name, so each
  // element's names have their own sites (shock/<group>/<name>[<element>]) and the matrix
  // correlates the names within an element only.
  m.shocks.clear();
  for (const auto& g : model.shocks) {
    if (g.dims.empty()) {
      m.shocks.push_back(g);
      continue;
    }
    for (const auto& name : g.names) flat.family_dims[name] = g.dims;
    for (const auto& combination : element_combinations(model, g.dims)) {
      ShockGroup e = g;
      e.dims.clear();
      for (auto& name : e.names) name = element_name(name, combination);
      m.shocks.push_back(std::move(e));
    }
  }
  for (const auto& v : model.vars) {
    if (v.dims.empty()) {
      m.vars.push_back(v);
      flat.var_context.push_back(scalar_context(v.name));
      continue;
    }
    flat.family_dims[v.name] = v.dims;
    for (const auto& combination : element_combinations(model, v.dims)) {
      VarSpec e = element_var(v, element_key(combination));
      e.name = element_name(v.name, combination);
      e.labels = element_labels(v.labels, combination);
      ElementContext context{v.name, {}};
      for (std::size_t i = 0; i < combination.size(); ++i)
        context.elements.emplace_back(v.dims[i], combination[i]);
      m.vars.push_back(std::move(e));
      flat.var_context.push_back(std::move(context));
    }
    for (auto& [r, context] : reduction_vars(model, v)) {
      m.vars.push_back(std::move(r));
      flat.var_context.push_back(std::move(context));
    }
  }
  return flat;
}

}  // namespace tamnhin
