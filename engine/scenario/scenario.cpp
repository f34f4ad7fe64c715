#include "engine/scenario/scenario.hpp"

#include <algorithm>
#include <filesystem>
#include <memory>

#include "engine/model/extends_chain.hpp"
#include "engine/model/load_model.hpp"
#include "engine/model/toml_reader.hpp"

namespace tamnhin {

namespace {

namespace fs = std::filesystem;

// Settings inherit along the chain; name and description belong to the file named.
void read_header(Scenario& s, ChainFile& doc, bool is_named_file) {
  TomlReader& r = *doc.reader;
  const toml::table& h = *doc.header;
  r.check_keys(h, "scenario",
               {"name", "model", "extends", "description", "draws", "seed", "sampling"});
  if (auto n = h.get("name"); n && is_named_file) {
    s.name = r.string(*n, "scenario.name").value_or(s.name);
    if (!is_valid_name(s.name)) {
      r.error(r.at(*n), "scenario.name", "invalid scenario name '" + s.name + "'",
              "use lowercase letters, digits and '_' (it becomes a column in the tables)");
    }
  }
  if (auto n = h.get("description"); n && is_named_file)
    s.description = r.string(*n, "scenario.description").value_or(s.description);
  if (auto n = h.get("draws")) {
    if (auto v = r.integer(*n, "scenario.draws")) {
      if (*v <= 0 || *v > 100'000'000) {
        r.error(r.at(*n), "scenario.draws",
                "must be between 1 and 100000000, got " + std::to_string(*v));
      } else {
        s.draws = static_cast<std::size_t>(*v);
      }
    }
  }
  if (auto n = h.get("seed")) {
    if (auto v = r.integer(*n, "scenario.seed")) {
      if (*v < 0)
        r.error(r.at(*n), "scenario.seed", "must not be negative, got " + std::to_string(*v));
      else
        s.seed = static_cast<std::uint64_t>(*v);
    }
  }
  if (auto n = h.get("sampling")) {
    if (auto v = r.string(*n, "scenario.sampling")) {
      if (auto design = random::parse_sampling_design(*v))
        s.sampling = design;
      else
        r.error(r.at(*n), "scenario.sampling", "unknown sampling design '" + *v + "'",
                "one of " + random::sampling_design_list());
    }
  }
}

// Applies each entry of a scenario section ([params], [vars] or [tables]) to the model's
// item of the same name; a name the model lacks is an error with a did-you-mean.
template <typename Item, typename Apply>
void override_section(std::vector<Item>& items, const char* section, TomlReader& r,
                      const toml::table& root, Apply apply) {
  const toml::node* node = root.get(section);
  if (node == nullptr || r.table(*node, section) == nullptr) return;
  std::vector<std::string> known;
  for (const auto& item : items) known.push_back(item.name);
  for (auto [key, value] : entries_in_file_order(*node->as_table())) {
    // Not captured as `key` itself: clang before 16 cannot capture a structured binding.
    const std::string_view name = key->str();
    auto it = std::find_if(items.begin(), items.end(),
                           [&](const Item& item) { return item.name == name; });
    if (it == items.end()) {
      std::string kind(section);
      kind.pop_back();  // "params" -> "param"
      r.error(r.at(*key), std::string(section) + "." + std::string(key->str()),
              "the model defines no " + kind + " '" + std::string(key->str()) +
                  "'; a scenario may only change what the model defines",
              did_you_mean(key->str(), known));
      continue;
    }
    apply(*it, *value, std::string(section) + "." + it->name);
  }
}

void apply_overrides(Model& model, ChainFile& doc) {
  TomlReader& r = *doc.reader;
  const toml::table& root = doc.parsed.root;
  override_section(model.params, "params", r, root,
                   [&](ParamSpec& p, const toml::node& node, const std::string& path) {
                     read_param(p, node, path, r, true);
                   });
  override_section(model.vars, "vars", r, root,
                   [&](VarSpec& v, const toml::node& node, const std::string& path) {
                     if (auto t = r.table(node, path)) {
                       read_var(v, *t, path, r, VarEdit::scenario_override);
                     }
                   });
  override_section(model.tables, "tables", r, root,
                   [&](TableSpec& t, const toml::node& node, const std::string& path) {
                     if (auto table = r.table(node, path)) read_table(t, *table, path, r);
                   });
}

}  // namespace

std::optional<Scenario> load_scenario(const std::string& file, Diagnostics& diagnostics) {
  // The chain, the file named first.
  auto read = read_extends_chain(file, "scenario", "scenario", diagnostics);
  if (!read) return std::nullopt;
  std::vector<ChainFile>& chain = *read;
  if (chain.front().header == nullptr && chain.front().parsed.root.contains("model")) {
    // A bare model file runs as its own baseline.
    auto model = read_model_file(file, diagnostics);
    if (!model) return std::nullopt;
    Scenario s;
    s.name = kBareModelScenarioName;
    s.file = file;
    s.files = model->files;
    s.model = std::move(*model);
    validate_model(s.model, diagnostics);
    s.description = s.model.description;
    return s;
  }
  for (std::size_t i = 0; i < chain.size(); ++i) {
    ChainFile& doc = chain[i];
    if (doc.header == nullptr) {
      if (i == 0) {
        // The file named on the command line: it may be a model missing its header.
        doc.reader->error({doc.file, 1, 1}, "", "missing the [model] or [scenario] table",
                          "a model starts with [model] name = \"...\" base_year = 2023; a "
                          "scenario with [scenario] model = \"model.toml\"");
      } else {
        doc.reader->error({doc.file, 1, 1}, "scenario", "missing the [scenario] table",
                          "a file named by 'extends' is a scenario: [scenario] ...");
      }
      return std::nullopt;
    }
    doc.reader->check_keys(doc.parsed.root, "", {"scenario", "params", "vars", "tables"});
  }

  // The model: named by the nearest file of the chain that names one.
  std::optional<std::string> model_file;
  SourceLocation model_named_at;
  for (auto& doc : chain) {
    if (auto m = doc.header->get("model")) {
      if (auto path = doc.reader->string(*m, "scenario.model")) {
        model_file = path_relative_to(doc.file, *path);
        model_named_at = doc.reader->at(*m);
      }
      break;
    }
  }
  if (!model_file) {
    diagnostics.add({chain.front().file, 1, 1}, "scenario.model",
                    "no model: neither this scenario nor any it extends names one",
                    "add model = \"model.toml\" (relative to the scenario file)");
    return std::nullopt;
  }
  const std::size_t before = diagnostics.size();
  auto model = read_model_file(*model_file, diagnostics);
  if (!model) {
    // Say who named the model when the model file itself could not be read.
    if (diagnostics.size() > before && diagnostics.back().where.file == *model_file &&
        diagnostics.back().where.line == 0) {
      diagnostics.back().hint = "named as the model at " + model_named_at.file + ":" +
                                std::to_string(model_named_at.line) + ":" +
                                std::to_string(model_named_at.column);
    }
    return std::nullopt;
  }

  Scenario s;
  s.file = file;
  s.name = fs::path(file).stem().string();
  s.model = std::move(*model);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    read_header(s, *it, it == std::prev(chain.rend()));
    apply_overrides(s.model, *it);
  }
  for (const auto& doc : chain) s.files.push_back(doc.file);
  s.files.insert(s.files.end(), s.model.files.begin(), s.model.files.end());
  validate_model(s.model, diagnostics);
  return s;
}

}  // namespace tamnhin
