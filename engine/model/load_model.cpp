#include "engine/model/load_model.hpp"

#include "engine/model/levers.hpp"
#include "engine/model/programme_targets.hpp"

#include <algorithm>
#include <charconv>

#include "engine/model/extends_chain.hpp"

namespace tamnhin {

namespace {

const std::initializer_list<std::string_view> kParamKeys = {
    "dist", "mean",  "sd",   "mu",    "sigma", "min", "max",
    "mode", "alpha", "beta", "value", "note",  "dims"};

// Reads the value of each element from a per-element table ({ e1 = v, e2 = v }, nested
// once per further dimension, in the order of dims); `leaf` reads one value.
template <typename T, typename Leaf>
void read_element_level(PerElement<T>& out, const toml::table& table, const std::string& path,
                        TomlReader& reader, std::size_t depth, const std::string& prefix,
                        const Leaf& leaf) {
  for (auto [key_ptr, value_ptr] : entries_in_file_order(table)) {
    const std::string k(key_ptr->str());
    const std::string key = prefix.empty() ? k : prefix + "," + k;
    const std::string p = path + "." + k;
    if (depth > 1) {
      if (auto sub = reader.table(*value_ptr, p))
        read_element_level(out, *sub, p, reader, depth - 1, key, leaf);
      continue;
    }
    if (auto value = leaf(*value_ptr, p)) {
      out.values[key] = std::move(*value);
      out.where[key] = reader.at(*key_ptr);
    }
  }
}

template <typename T, typename Leaf>
void read_per_element(PerElement<T>& out, const toml::node& node, const std::string& path,
                      TomlReader& reader, std::size_t depth, const Leaf& leaf) {
  out = {};
  out.table_where = reader.at(node);
  read_element_level(out, *node.as_table(), path, reader, depth, "", leaf);
}

// A value of a dimensioned item given per element: a table where a single value would be
// a number, or (for year tables) a table whose first key is not a year.
bool per_element(const toml::node& node, const std::vector<std::string>& dims, bool years) {
  if (dims.empty() || !node.is_table()) return false;
  if (!years) return true;
  const toml::table& t = *node.as_table();
  if (t.empty()) return false;
  const std::string_view first = t.begin()->first.str();
  return !(first.front() >= '0' && first.front() <= '9');
}

// `dims = ["region", ...]` of a parameter, table or variable.
void read_dims(std::vector<std::string>& dims, SourceLocation& where, const toml::table& table,
               const std::string& path, TomlReader& reader) {
  if (!table.contains("dims")) return;
  dims = reader.string_list_at(table, "dims", path);
  where = reader.at(*table.get("dims"));
}

// With `extending`, every key is optional: the parent model gave them.
void read_model_header(Model& model, const toml::table& header, TomlReader& reader,
                       bool extending) {
  reader.check_keys(
      header, "model",
      {"name", "region", "base_year", "end_year", "description", "source", "extends"});
  if (auto n = header.get("name"))
    model.name = reader.string(*n, "model.name").value_or("");
  else if (!extending)
    reader.error(reader.at(header), "model", "missing required key 'name'");
  if (auto n = header.get("region")) model.region = reader.string(*n, "model.region").value_or("");
  if (auto n = header.get("description"))
    model.description = reader.string(*n, "model.description").value_or("");
  if (auto n = header.get("base_year")) {
    model.base_year = reader.year(*n, "model.base_year").value_or(0);
    model.base_year_where = reader.at(*n);
  } else if (!extending) {
    reader.error(reader.at(header), "model", "missing required key 'base_year'",
                 "the first simulated year, e.g. base_year = 2023");
  }
  if (auto n = header.get("end_year")) {
    model.end_year = reader.year(*n, "model.end_year").value_or(2045);
    model.end_year_where = reader.at(*n);
  }
}

// label, label_vi and short: optional strings, each replacing what an earlier file set.
void read_labels(Labels& labels, const toml::table& table, const std::string& path,
                 TomlReader& reader) {
  if (auto n = table.get("label")) labels.en = reader.string(*n, path + ".label").value_or("");
  if (auto n = table.get("label_vi"))
    labels.vi = reader.string(*n, path + ".label_vi").value_or("");
  if (auto n = table.get("short")) {
    labels.short_form = reader.string(*n, path + ".short").value_or("");
    // Characters, not bytes: a Vietnamese letter takes two or three bytes.
    const auto characters = static_cast<std::size_t>(
        std::count_if(labels.short_form.begin(), labels.short_form.end(),
                      [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; }));
    if (characters > kMaxShortLabelLength) {
      reader.error(reader.at(*n), path + ".short",
                   "is " + std::to_string(characters) + " characters long; at most " +
                       std::to_string(kMaxShortLabelLength),
                   "short heads a narrow column; put the full text in label");
    }
  }
}

void read_targets(VarSpec& var, const toml::node& node, const std::string& path,
                  TomlReader& reader) {
  const toml::array* items = reader.array(node, path);
  if (items == nullptr) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const toml::table* t = reader.table(*items->get(i), item_path);
    if (t == nullptr) continue;
    reader.check_keys(*t, item_path,
                      {"year", "below", "at_most", "above", "at_least", "source", "note", "label",
                       "label_vi", "short", "element", "reduce", "over"});
    Target target;
    target.where = reader.at(*t);
    if (auto y = t->get("year")) {
      target.year = reader.year(*y, item_path + ".year").value_or(0);
    } else {
      reader.error(target.where, item_path, "missing required key 'year'");
    }
    int comparators = 0;
    for (auto name : {"below", "at_most", "above", "at_least"}) {
      if (auto v = t->get(name)) {
        ++comparators;
        target.comparator = *comparator_from_string(name);
        target.threshold = reader.number(*v, item_path + "." + name).value_or(0.0);
      }
    }
    if (comparators != 1) {
      reader.error(
          target.where, item_path,
          comparators == 0 ? "a target needs a threshold" : "a target takes exactly one threshold",
          "write one of below, at_most, above or at_least = value");
    }
    if (auto s = t->get("source"))
      target.source = reader.string(*s, item_path + ".source").value_or("");
    if (auto e = t->get("element")) {
      target.element = reader.string(*e, item_path + ".element").value_or("");
      target.element_where = reader.at(*e);
    }
    if (auto r = t->get("reduce")) {
      target.reduce = reader.string(*r, item_path + ".reduce").value_or("");
      target.reduce_where = reader.at(*r);
    }
    if (auto o = t->get("over")) {
      target.over = reader.string(*o, item_path + ".over").value_or("");
      target.over_where = reader.at(*o);
    }
    read_labels(target.labels, *t, item_path, reader);
    var.targets.push_back(std::move(target));
  }
}

// A table of years to numbers ({ 2024 = 0.065, 2030 = 0.08 }), as `path` and `history` are.
// With `where`, also where each year was written.
void read_years(std::map<int, double>& out, const toml::node& node, const std::string& path,
                TomlReader& reader, const std::string& example,
                std::map<int, SourceLocation>* where = nullptr) {
  const toml::table* t = reader.table(node, path);
  if (t == nullptr) return;
  out.clear();
  if (where != nullptr) where->clear();
  const std::string field = path.substr(path.rfind('.') + 1);  // "path", "history"
  if (t->empty())
    reader.error(reader.at(node), path, "a " + field + " needs at least one year", example);
  for (auto&& [key, value] : *t) {
    const std::string_view k = key.str();
    int year = 0;
    auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), year);
    if (ec != std::errc{} || end != k.data() + k.size()) {
      reader.error(reader.at(key), path + "." + std::string(k),
                   field + " keys must be years, got '" + std::string(k) + "'", example);
      continue;
    }
    if (auto v = reader.number(value, path + "." + std::string(k))) {
      out[year] = *v;
      if (where != nullptr) (*where)[year] = reader.at(value);
    }
  }
}

}  // namespace

void read_param(ParamSpec& param, const toml::node& node, const std::string& path,
                TomlReader& reader, bool is_override) {
  param.where = reader.at(node);
  if (node.is_number()) {
    param.dist = "constant";
    param.fields = {{"value", reader.number(node, path).value_or(0.0)}};
    param.field_where = {{"value", reader.at(node)}};
    return;
  }
  const toml::table* t = reader.table(node, path);
  if (t == nullptr) return;
  reader.check_keys(*t, path, kParamKeys);
  read_dims(param.dims, param.dims_where, *t, path, reader);
  if (auto d = t->get("dist")) {
    // A new distribution replaces the old one whole: its fields mean other things.
    param.dist = reader.string(*d, path + ".dist").value_or("");
    param.fields.clear();
    param.field_where.clear();
    param.fields_by_element.clear();
  } else if (!is_override) {
    reader.error(param.where, path, "missing required key 'dist'",
                 "e.g. { dist = \"normal\", mean = 0.3, sd = 0.05 }, or a plain number");
  }
  for (auto [key_ptr, value_ptr] : entries_in_file_order(*t)) {
    const std::string k(key_ptr->str());
    const toml::node& value = *value_ptr;
    if (k == "dist" || k == "dims") continue;
    if (per_element(value, param.dims, false)) {
      read_per_element(
          param.fields_by_element[k], value, path + "." + k, reader, param.dims.size(),
          [&](const toml::node& v, const std::string& p) { return reader.number(v, p); });
      param.fields.erase(k);
      param.field_where.erase(k);
      continue;
    }
    param.fields_by_element.erase(k);
    if (k == "note") {
      param.note = reader.string(value, path + ".note").value_or("");
      continue;
    }
    if (auto v = reader.number(value, path + "." + k)) {
      param.fields[k] = *v;
      param.field_where[k] = reader.at(value);
    }
  }
}

void read_var(VarSpec& var, const toml::table& table, const std::string& path, TomlReader& reader,
              VarEdit edit) {
  if (edit == VarEdit::scenario_override) {
    reader.check_keys(table, path,
                      {"base", "eq", "path", "history", "min", "max", "targets", "note", "source",
                       "label", "label_vi", "short"});
  } else {
    if (edit == VarEdit::define) var.where = reader.at(table);
    reader.check_keys(table, path,
                      {"unit", "lever", "range", "dims", "base", "eq", "path", "history", "min",
                       "max", "targets", "note", "source", "label", "label_vi", "short"});
  }
  if (edit != VarEdit::scenario_override) {
    if (auto n = table.get("unit")) var.unit = reader.string(*n, path + ".unit").value_or("");
    if (auto n = table.get("lever"))
      var.lever = reader.boolean(*n, path + ".lever").value_or(false);
  }
  if (edit != VarEdit::scenario_override) read_dims(var.dims, var.dims_where, table, path, reader);
  // `range = [lo, hi]`, or per element of a dimensioned lever (read after dims).
  if (const toml::node* n = table.get("range");
      n != nullptr && edit != VarEdit::scenario_override) {
    var.range_where = reader.at(*n);
    if (per_element(*n, var.dims, false)) {
      read_per_element(
          var.range_by, *n, path + ".range", reader, var.dims.size(),
          [&](const toml::node& v, const std::string& p) { return read_range(v, p, reader); });
      var.range.reset();
    } else {
      var.range = read_range(*n, path + ".range", reader);
      var.range_by = {};
    }
  }
  const auto number_leaf = [&](const toml::node& v, const std::string& p) {
    return reader.number(v, p);
  };
  // A number, or for a dimensioned variable a table of numbers per element.
  const auto value = [&](const char* key, std::optional<double>& one, PerElement<double>& each) {
    const toml::node* n = table.get(key);
    if (n == nullptr) return;
    if (per_element(*n, var.dims, false)) {
      read_per_element(each, *n, path + "." + key, reader, var.dims.size(), number_leaf);
      one.reset();
    } else {
      one = reader.number(*n, path + "." + key);
      each = {};
    }
  };
  value("base", var.base, var.base_by);
  value("min", var.min, var.min_by);
  value("max", var.max, var.max_by);
  if (auto n = table.get("note")) var.note = reader.string(*n, path + ".note").value_or("");
  if (auto n = table.get("source")) var.source = reader.string(*n, path + ".source").value_or("");
  read_labels(var.labels, table, path, reader);
  const toml::node* eq = table.get("eq");
  const toml::node* keyframes = table.get("path");
  if (eq != nullptr && keyframes != nullptr) {
    reader.error(reader.at(*keyframes), path,
                 "has both 'eq' and 'path'; a variable has exactly one",
                 "keep the equation or the keyframes, not both");
  }
  // A table of years, or for a dimensioned variable a table of them per element.
  const auto years = [&](const toml::node& n, const std::string& key, std::map<int, double>& one,
                         PerElement<std::map<int, double>>& each, const std::string& example,
                         std::map<int, SourceLocation>* where) {
    if (per_element(n, var.dims, true)) {
      read_per_element(each, n, path + "." + key, reader, var.dims.size(),
                       [&](const toml::node& v, const std::string& p) {
                         std::map<int, double> m;
                         read_years(m, v, p, reader, example);
                         return std::optional(std::move(m));
                       });
      one.clear();
      if (where != nullptr) where->clear();
    } else {
      read_years(one, n, path + "." + key, reader, example, where);
      each = {};
    }
  };
  if (eq != nullptr) {
    if (auto text = reader.string(*eq, path + ".eq")) {
      var.eq = Equation{*text, reader.string_start(*eq)};
      if (keyframes == nullptr) {
        var.path.clear();
        var.path_by = {};
      }
    }
  }
  if (keyframes != nullptr) {
    years(*keyframes, "path", var.path, var.path_by, "e.g. path = { 2024 = 0.065, 2030 = 0.08 }",
          &var.path_where);
    if (eq == nullptr) var.eq.reset();
  }
  if (auto n = table.get("history")) {
    years(*n, "history", var.history, var.history_by,
          "e.g. history = { 2015 = 1.2e6, 2022 = 1.4e6 }", nullptr);
  }
  if (auto n = table.get("targets")) read_targets(var, *n, path + ".targets", reader);
}

void read_table(TableSpec& table_spec, const toml::table& table, const std::string& path,
                TomlReader& reader) {
  table_spec.where = reader.at(table);
  reader.check_keys(table, path, {"points", "note", "dims"});
  read_dims(table_spec.dims, table_spec.dims_where, table, path, reader);
  const toml::node* points = table.get("points");
  if (points == nullptr) {
    reader.error(table_spec.where, path, "missing required key 'points'",
                 "e.g. points = [[0.0, 0.0], [1.0, 0.6]]");
    return;
  }
  if (per_element(*points, table_spec.dims, false)) {
    table_spec.points.clear();
    read_per_element(
        table_spec.points_by_element, *points, path + ".points", reader, table_spec.dims.size(),
        [&](const toml::node& v, const std::string& p) { return read_points(v, p, reader); });
    return;
  }
  table_spec.points_by_element = {};
  table_spec.points = read_points(*points, path + ".points", reader)
                          .value_or(std::vector<std::pair<double, double>>{});
}

std::optional<std::vector<std::pair<double, double>>> read_points(const toml::node& points,
                                                                  const std::string& path,
                                                                  TomlReader& reader) {
  const toml::array* rows = reader.array(points, path);
  if (rows == nullptr) return std::nullopt;
  std::vector<std::pair<double, double>> out;
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const std::string p = path + "[" + std::to_string(i) + "]";
    const toml::array* pair = reader.array(*rows->get(i), p);
    if (pair == nullptr) continue;
    if (pair->size() != 2) {
      reader.error(reader.at(*rows->get(i)), p,
                   "a point is [x, y], got " + std::to_string(pair->size()) + " numbers");
      continue;
    }
    auto x = reader.number(*pair->get(0), p + "[0]");
    auto y = reader.number(*pair->get(1), p + "[1]");
    if (x && y) out.emplace_back(*x, *y);
  }
  return out;
}

void read_model_into(Model& model, const toml::table& root, TomlReader& reader, bool extending) {
  model.file = reader.file();
  reader.check_keys(root, "",
                    {"model", "dims", "params", "tables", "shocks", "correlations", "vars",
                     "shares", "programme_targets"});
  if (auto h = root.get("model")) {
    if (auto t = reader.table(*h, "model")) read_model_header(model, *t, reader, extending);
  } else {
    reader.error({reader.file(), 1, 1}, "model", "missing the [model] table",
                 root.contains("scenario")
                     ? "this looks like a scenario file"
                     : "a model starts with [model] name = ... base_year = ...");
  }
  if (auto section = root.get("dims"); section && reader.table(*section, "dims")) {
    for (auto [key_ptr, node_ptr] : entries_in_file_order(*section->as_table())) {
      Dimension dim;
      dim.name = std::string(key_ptr->str());
      dim.where = reader.at(*key_ptr);
      dim.elements = reader.string_list_at(*section->as_table(), dim.name, "dims");
      auto same = std::find_if(model.dims.begin(), model.dims.end(),
                               [&](const Dimension& d) { return d.name == dim.name; });
      if (same != model.dims.end() && extending) {
        *same = std::move(dim);
      } else {
        model.dims.push_back(std::move(dim));
      }
    }
  }
  if (auto section = root.get("params"); section && reader.table(*section, "params")) {
    for (auto [key_ptr, node_ptr] : entries_in_file_order(*section->as_table())) {
      const toml::key& key = *key_ptr;
      const toml::node& node = *node_ptr;
      if (ParamSpec* existing = model.find_param(key.str()); existing && extending) {
        read_param(*existing, node, "params." + existing->name, reader, true);
        continue;
      }
      ParamSpec param;
      param.name = std::string(key.str());
      read_param(param, node, "params." + param.name, reader, false);
      param.where = reader.at(key);
      model.params.push_back(std::move(param));
    }
  }
  if (auto section = root.get("tables"); section && reader.table(*section, "tables")) {
    for (auto [key_ptr, node_ptr] : entries_in_file_order(*section->as_table())) {
      const toml::key& key = *key_ptr;
      const toml::node& node = *node_ptr;
      TableSpec table_spec;
      table_spec.name = std::string(key.str());
      if (auto t = reader.table(node, "tables." + table_spec.name))
        read_table(table_spec, *t, "tables." + table_spec.name, reader);
      table_spec.where = reader.at(key);
      if (TableSpec* existing = model.find_table(table_spec.name); existing && extending) {
        *existing = std::move(table_spec);
      } else {
        model.tables.push_back(std::move(table_spec));
      }
    }
  }
  if (auto section = root.get("shocks"); section && reader.table(*section, "shocks")) {
    for (auto [key_ptr, node_ptr] : entries_in_file_order(*section->as_table())) {
      const toml::key& key = *key_ptr;
      const toml::node& node = *node_ptr;
      ShockGroup group;
      group.name = std::string(key.str());
      group.where = reader.at(key);
      const std::string path = "shocks." + group.name;
      const toml::table* t = reader.table(node, path);
      if (t == nullptr) continue;
      reader.check_keys(*t, path, {"names", "matrix", "dims", "note"});
      group.names = reader.string_list_at(*t, "names", path);
      read_dims(group.dims, group.dims_where, *t, path, reader);
      if (auto m = t->get("matrix")) {
        group.matrix = reader.square_matrix(*m, group.names.size(), path + ".matrix")
                           .value_or(std::vector<double>{});
      }
      auto same = std::find_if(model.shocks.begin(), model.shocks.end(),
                               [&](const ShockGroup& g) { return g.name == group.name; });
      if (same != model.shocks.end() && extending) {
        *same = std::move(group);
      } else {
        model.shocks.push_back(std::move(group));
      }
    }
  }
  if (auto section = root.get("correlations"); section && reader.array(*section, "correlations")) {
    const toml::array& items = *section->as_array();
    for (std::size_t i = 0; i < items.size(); ++i) {
      const std::string path = "correlations[" + std::to_string(i) + "]";
      const toml::table* t = reader.table(*items.get(i), path);
      if (t == nullptr) continue;
      reader.check_keys(*t, path, {"params", "matrix", "note"});
      Correlation c;
      c.where = reader.at(*t);
      c.params = reader.string_list_at(*t, "params", path);
      if (auto m = t->get("matrix")) {
        c.matrix = reader.square_matrix(*m, c.params.size(), path + ".matrix")
                       .value_or(std::vector<double>{});
      } else {
        reader.error(c.where, path, "missing required key 'matrix'");
      }
      model.correlations.push_back(std::move(c));
    }
  }
  if (auto section = root.get("programme_targets"))
    read_programme_targets(model.programme_targets, *section, reader);
  if (auto section = root.get("shares"); section && reader.table(*section, "shares")) {
    for (auto [key_ptr, node_ptr] : entries_in_file_order(*section->as_table())) {
      ShareGroup group;
      group.name = std::string(key_ptr->str());
      group.where = reader.at(*key_ptr);
      if (auto t = reader.table(*node_ptr, "shares." + group.name))
        read_share_group(group, *t, "shares." + group.name, reader);
      auto same = std::find_if(model.shares.begin(), model.shares.end(),
                               [&](const ShareGroup& g) { return g.name == group.name; });
      if (same != model.shares.end() && extending) {
        *same = std::move(group);
      } else {
        model.shares.push_back(std::move(group));
      }
    }
  }
  if (auto section = root.get("vars"); section && reader.table(*section, "vars")) {
    for (auto [key_ptr, node_ptr] : entries_in_file_order(*section->as_table())) {
      const toml::key& key = *key_ptr;
      const toml::node& node = *node_ptr;
      const std::string path = "vars." + std::string(key.str());
      if (VarSpec* existing = model.find_var(key.str()); existing && extending) {
        if (auto t = reader.table(node, path))
          read_var(*existing, *t, path, reader, VarEdit::extend);
        continue;
      }
      VarSpec var;
      var.name = std::string(key.str());
      if (auto t = reader.table(node, path)) read_var(var, *t, path, reader, VarEdit::define);
      var.where = reader.at(key);
      model.vars.push_back(std::move(var));
    }
  }
}

std::optional<Model> read_model_file(const std::string& file, Diagnostics& diagnostics) {
  auto chain = read_extends_chain(file, "model", "model", diagnostics);
  if (!chain) return std::nullopt;
  // The root of the chain first; each file then overrides what it builds on.
  Model model;
  for (auto it = chain->rbegin(); it != chain->rend(); ++it) {
    read_model_into(model, it->parsed.root, *it->reader, it != chain->rbegin());
    model.files.insert(model.files.begin(), it->file);
  }
  return model;
}

std::optional<Model> load_model(const std::string& file, Diagnostics& diagnostics) {
  auto model = read_model_file(file, diagnostics);
  if (model) validate_model(*model, diagnostics);
  return model;
}

}  // namespace tamnhin
