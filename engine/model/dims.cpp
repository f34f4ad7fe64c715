#include "engine/model/dims.hpp"

#include <algorithm>

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

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (true) {
    const std::size_t comma = key.find(',', start);
    parts.push_back(key.substr(start, comma - start));
    if (comma == std::string::npos) return parts;
    start = comma + 1;
  }
}

}  // namespace

VarSpec element_var(const VarSpec& var, const std::string& key) {
  VarSpec e = var;
  e.dims.clear();
  if (const double* v = at_key(var.base_by, key)) e.base = *v;
  if (const double* v = at_key(var.min_by, key)) e.min = *v;
  if (const double* v = at_key(var.max_by, key)) e.max = *v;
  if (const auto* v = at_key(var.path_by, key)) e.path = *v;
  if (const auto* v = at_key(var.history_by, key)) e.history = *v;
  e.base_by = {};
  e.min_by = {};
  e.max_by = {};
  e.path_by = {};
  e.history_by = {};
  std::vector<Target> targets;
  for (const auto& t : var.targets) {
    if (t.element == key) targets.push_back(t);
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
    const std::vector<std::string> parts = split_key(key);
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
      ElementContext context{v.name, {}};
      for (std::size_t i = 0; i < combination.size(); ++i)
        context.elements.emplace_back(v.dims[i], combination[i]);
      m.vars.push_back(std::move(e));
      flat.var_context.push_back(std::move(context));
    }
  }
  return flat;
}

}  // namespace tamnhin
