// Loading a model file (MODEL_FORMAT.md, "Model file") into a Model, and the checks
// that need only the file itself. Equations are checked when they are compiled
// (engine/compile), which knows every name.
#pragma once

#include <optional>
#include <string>

#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"
#include "engine/model/toml_reader.hpp"

namespace tamnhin {

// Reads, parses and validates a model file. Every problem found is added to
// `diagnostics`; returns nullopt only when the file could not be parsed at all.
std::optional<Model> load_model(const std::string& file, Diagnostics& diagnostics);

// Reads a model file and, through `[model] extends = "other.toml"` (relative to the file),
// the models it builds on: the parent is read first and this file's entries then override
// it (see read_model_into). No validation; problems go to `diagnostics`.
std::optional<Model> read_model_file(const std::string& file, Diagnostics& diagnostics);

// Reads a parsed model document into `model`. With `extending`, `model` already holds the
// parent: [model] keys override its header; a parameter it has is overridden field by
// field (a new `dist` replaces it whole); a variable it has is overridden key by key (eq
// replaces path and vice versa, targets join); tables and shock groups of the same name
// are replaced; anything else, and every correlation, is added.
void read_model_into(Model& model, const toml::table& root, TomlReader& reader, bool extending);

// How a variable's table edits a VarSpec: defining it, extending it from a model that
// builds on another, or overriding it from a scenario (which may set only base, eq, path,
// min, max, targets, note and source).
enum class VarEdit { define, extend, scenario_override };

// Field readers, shared with scenario files, which override models field by field.
// With `is_override`, a parameter table without `dist` changes only the fields it names.
// In every edit eq replaces path and vice versa, and targets join the existing ones.
void read_param(ParamSpec& param, const toml::node& node, const std::string& path,
                TomlReader& reader, bool is_override);
void read_var(VarSpec& var, const toml::table& table, const std::string& path, TomlReader& reader,
              VarEdit edit);
void read_table(TableSpec& table_spec, const toml::table& table, const std::string& path,
                TomlReader& reader);
// The points [[x, y], ...] of a table.
std::optional<std::vector<std::pair<double, double>>> read_points(const toml::node& points,
                                                                  const std::string& path,
                                                                  TomlReader& reader);

// Checks that need the whole model but no equation: unique valid names, distributions
// and their fields, years, eq/path, clamps, targets, tables, correlation and shock
// matrices (symmetric, unit diagonal, positive semi-definite). Derives each parameter's
// marginal from its dist and fields.
void validate_model(Model& model, Diagnostics& diagnostics);

// A parameter's marginal from its dist and fields (reporting what is wrong with them);
// validate_model runs it on every parameter, and on every element of a dimensioned one.
void derive_marginal(ParamSpec& param, Diagnostics& diagnostics);

}  // namespace tamnhin
