#include "engine/model/load_model.hpp"

#include "engine/model/levers.hpp"
#include "engine/model/programme_targets.hpp"

#include <algorithm>
#include <charconv>
#include <filesystem>

namespace tamnhin {

namespace {

const std::initializer_list<std::string_view> kParamKeys = {
    "dist", "mean", "sd", "mu", "sigma", "min", "max", "mode", "alpha", "beta", "value", "note"};

// A year: an integer that fits the int every year is kept in. Wider integers would wrap
// (4294969319 would become 2023) and make the year arithmetic overflow, so anything
// outside 1..9999 is an error here; the model's own checks then narrow the range.
std::optional<int> read_year(const toml::node& node, const std::string& path, TomlReader& reader) {
  const auto value = reader.integer(node, path);
  if (!value) return std::nullopt;
  if (*value < 1 || *value > 9999) {
    reader.error(reader.at(node), path, "must be a calendar year, got " + std::to_string(*value));
    return std::nullopt;
  }
  return static_cast<int>(*value);
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
    model.base_year = read_year(*n, "model.base_year", reader).value_or(0);
    model.base_year_where = reader.at(*n);
  } else if (!extending) {
    reader.error(reader.at(header), "model", "missing required key 'base_year'",
                 "the first simulated year, e.g. base_year = 2023");
  }
  if (auto n = header.get("end_year")) {
    model.end_year = read_year(*n, "model.end_year", reader).value_or(2045);
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
                       "label_vi", "short"});
    Target target;
    target.where = reader.at(*t);
    if (auto y = t->get("year")) {
      target.year = read_year(*y, item_path + ".year", reader).value_or(0);
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
    read_labels(target.labels, *t, item_path, reader);
    var.targets.push_back(std::move(target));
  }
}

// history = { 2019 = 5.1, 2020 = 4.8 }: observed values, drawn as points by the report.
// Not simulated and not checked against the model's years (they usually precede them).
void read_history(VarSpec& var, const toml::node& node, const std::string& path,
                  TomlReader& reader) {
  const toml::table* t = reader.table(node, path);
  if (t == nullptr) return;
  var.history.clear();
  for (auto&& [key, value] : *t) {
    const std::string_view k = key.str();
    int year = 0;
    auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), year);
    if (ec != std::errc{} || end != k.data() + k.size() || year < 1 || year > 9999) {
      reader.error(reader.at(key), path + "." + std::string(k),
                   "history keys must be years, got '" + std::string(k) + "'",
                   "e.g. history = { 2019 = 5.1, 2020 = 4.8 }");
      continue;
    }
    if (auto v = reader.number(value, path + "." + std::string(k))) var.history[year] = *v;
  }
}

void read_path(VarSpec& var, const toml::node& node, const std::string& path, TomlReader& reader) {
  const toml::table* t = reader.table(node, path);
  if (t == nullptr) return;
  var.path.clear();
  var.path_where.clear();
  if (t->empty())
    reader.error(reader.at(node), path, "a path needs at least one year",
                 "e.g. path = { 2024 = 0.065, 2030 = 0.08 }");
  for (auto&& [key, value] : *t) {
    const std::string_view k = key.str();
    int year = 0;
    auto [end, ec] = std::from_chars(k.data(), k.data() + k.size(), year);
    if (ec != std::errc{} || end != k.data() + k.size()) {
      reader.error(reader.at(key), path + "." + std::string(k),
                   "path keys must be years, got '" + std::string(k) + "'",
                   "e.g. path = { 2024 = 0.065, 2030 = 0.08 }");
      continue;
    }
    if (auto v = reader.number(value, path + "." + std::string(k))) {
      var.path[year] = *v;
      var.path_where[year] = reader.at(value);
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
  if (auto d = t->get("dist")) {
    // A new distribution replaces the old one whole: its fields mean other things.
    param.dist = reader.string(*d, path + ".dist").value_or("");
    param.fields.clear();
    param.field_where.clear();
  } else if (!is_override) {
    reader.error(param.where, path, "missing required key 'dist'",
                 "e.g. { dist = \"normal\", mean = 0.3, sd = 0.05 }, or a plain number");
  }
  for (auto [key_ptr, value_ptr] : entries_in_file_order(*t)) {
    const std::string k(key_ptr->str());
    const toml::node& value = *value_ptr;
    if (k == "dist") continue;
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
                      {"base", "eq", "path", "min", "max", "targets", "note", "source", "label",
                       "label_vi", "short", "history"});
  } else {
    if (edit == VarEdit::define) var.where = reader.at(table);
    reader.check_keys(table, path,
                      {"unit", "lever", "range", "base", "eq", "path", "min", "max", "targets",
                       "note", "source", "label", "label_vi", "short", "history"});
  }
  if (edit != VarEdit::scenario_override) {
    if (auto n = table.get("unit")) var.unit = reader.string(*n, path + ".unit").value_or("");
    if (auto n = table.get("lever"))
      var.lever = reader.boolean(*n, path + ".lever").value_or(false);
    if (auto n = table.get("range")) read_range(var, *n, path + ".range", reader);
  }
  if (auto n = table.get("base")) var.base = reader.number(*n, path + ".base");
  if (auto n = table.get("min")) var.min = reader.number(*n, path + ".min");
  if (auto n = table.get("max")) var.max = reader.number(*n, path + ".max");
  if (auto n = table.get("note")) var.note = reader.string(*n, path + ".note").value_or("");
  if (auto n = table.get("source")) var.source = reader.string(*n, path + ".source").value_or("");
  read_labels(var.labels, table, path, reader);
  if (auto n = table.get("history")) read_history(var, *n, path + ".history", reader);
  const toml::node* eq = table.get("eq");
  const toml::node* keyframes = table.get("path");
  if (eq != nullptr && keyframes != nullptr) {
    reader.error(reader.at(*keyframes), path,
                 "has both 'eq' and 'path'; a variable has exactly one",
                 "keep the equation or the keyframes, not both");
  }
  if (eq != nullptr) {
    if (auto text = reader.string(*eq, path + ".eq")) {
      var.eq = Equation{*text, reader.string_start(*eq)};
      if (keyframes == nullptr) var.path.clear();
    }
  }
  if (keyframes != nullptr) {
    read_path(var, *keyframes, path + ".path", reader);
    if (eq == nullptr) var.eq.reset();
  }
  if (auto n = table.get("targets")) read_targets(var, *n, path + ".targets", reader);
}

void read_table(TableSpec& table_spec, const toml::table& table, const std::string& path,
                TomlReader& reader) {
  table_spec.where = reader.at(table);
  reader.check_keys(table, path, {"points", "note"});
  const toml::node* points = table.get("points");
  if (points == nullptr) {
    reader.error(table_spec.where, path, "missing required key 'points'",
                 "e.g. points = [[0.0, 0.0], [1.0, 0.6]]");
    return;
  }
  const toml::array* rows = reader.array(*points, path + ".points");
  if (rows == nullptr) return;
  table_spec.points.clear();
  for (std::size_t i = 0; i < rows->size(); ++i) {
    const std::string p = path + ".points[" + std::to_string(i) + "]";
    const toml::array* pair = reader.array(*rows->get(i), p);
    if (pair == nullptr) continue;
    if (pair->size() != 2) {
      reader.error(reader.at(*rows->get(i)), p,
                   "a point is [x, y], got " + std::to_string(pair->size()) + " numbers");
      continue;
    }
    auto x = reader.number(*pair->get(0), p + "[0]");
    auto y = reader.number(*pair->get(1), p + "[1]");
    if (x && y) table_spec.points.emplace_back(*x, *y);
  }
}

void read_model_into(Model& model, const toml::table& root, TomlReader& reader, bool extending) {
  model.file = reader.file();
  reader.check_keys(root, "",
                    {"model", "params", "tables", "shocks", "correlations", "vars", "shares",
                     "programme_targets"});
  if (auto h = root.get("model")) {
    if (auto t = reader.table(*h, "model")) read_model_header(model, *t, reader, extending);
  } else {
    reader.error({reader.file(), 1, 1}, "model", "missing the [model] table",
                 root.contains("scenario")
                     ? "this looks like a scenario file"
                     : "a model starts with [model] name = ... base_year = ...");
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
      reader.check_keys(*t, path, {"names", "matrix", "note"});
      group.names = reader.string_list_at(*t, "names", path);
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

namespace {

std::string canonical_id(const std::string& file) {
  std::error_code ec;
  const auto canonical = std::filesystem::weakly_canonical(file, ec);
  return ec ? file : canonical.string();
}

// `chain` holds the files being read, outermost first, to detect extends cycles.
std::optional<Model> read_model_chain(const std::string& file, Diagnostics& diagnostics,
                                      std::vector<std::string>& chain) {
  namespace fs = std::filesystem;
  auto parsed = parse_toml_file(file, diagnostics);
  if (!parsed) return std::nullopt;
  TomlReader reader(file, parsed->text, diagnostics);
  Model model;
  bool extending = false;
  const toml::node* header = parsed->root.get("model");
  const toml::node* extends =
      header != nullptr && header->is_table() ? header->as_table()->get("extends") : nullptr;
  if (extends != nullptr) {
    if (auto parent_path = reader.string(*extends, "model.extends")) {
      const std::string parent_file =
          fs::path(*parent_path).is_absolute()
              ? *parent_path
              : (fs::path(file).parent_path() / *parent_path).lexically_normal().string();
      chain.push_back(file);
      const std::string parent_id = canonical_id(parent_file);
      for (const auto& f : chain) {
        if (canonical_id(f) != parent_id) continue;
        std::string cycle;
        for (const auto& g : chain) cycle += g + " -> ";
        reader.error(reader.at(*extends), "model.extends", "extends cycle: " + cycle + parent_file,
                     "a model cannot extend itself, directly or through others");
        return std::nullopt;
      }
      const std::size_t before = diagnostics.size();
      auto parent = read_model_chain(parent_file, diagnostics, chain);
      chain.pop_back();
      if (!parent) {
        // A parent that cannot be read at all: say who named it.
        if (diagnostics.size() > before && diagnostics.back().where.file == parent_file &&
            diagnostics.back().where.line == 0) {
          const SourceLocation at = reader.at(*extends);
          diagnostics.back().hint = "named by 'extends' at " + at.file + ":" +
                                    std::to_string(at.line) + ":" + std::to_string(at.column);
        }
        return std::nullopt;
      }
      model = std::move(*parent);
      extending = true;
    }
  }
  read_model_into(model, parsed->root, reader, extending);
  model.files.insert(model.files.begin(), file);
  return model;
}

}  // namespace

std::optional<Model> read_model_file(const std::string& file, Diagnostics& diagnostics) {
  std::vector<std::string> visiting;
  return read_model_chain(file, diagnostics, visiting);
}

std::optional<Model> load_model(const std::string& file, Diagnostics& diagnostics) {
  auto model = read_model_file(file, diagnostics);
  if (model) validate_model(*model, diagnostics);
  return model;
}

}  // namespace tamnhin
