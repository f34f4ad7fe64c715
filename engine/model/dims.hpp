// Dimensions (docs/model-format.md, "Dimensions"): a parameter, table or variable with
// `dims = [...]` stands for one item per element, each with its own values. Compilation
// expands a model into a flat one in which every element is an item of its own, named
// "name[e1,e2]"; the equations are then made scalar per element (engine/compile). So an
// element is one more row of slots in the same batch kernel, and its random sites, sampled
// parameters and output rows are named after it.
#pragma once

#include <array>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"

namespace tamnhin {

// The elements of `dims`, every combination, the last dimension varying fastest.
// An empty `dims` gives one empty combination (a scalar).
std::vector<std::vector<std::string>> element_combinations(const Model& model,
                                                           const std::vector<std::string>& dims);

// The key of a combination in per-element tables: the elements joined by ','.
std::string element_key(const std::vector<std::string>& elements);
// The name of an element's item: "name[e1,e2]"; `name` for a scalar.
std::string element_name(std::string_view name, const std::vector<std::string>& elements);

// Targets on a reduction of a dimensioned variable (`reduce = "sum"`, optionally
// `over = "age"`; docs/model-format.md, "Dimensions"). The flat model records each
// reduction a target names as a variable of its own, named as the expression is written
// without spaces: "sum(pop)", "mean(pop,age)[long_an]".
inline constexpr std::array<std::string_view, 4> kTargetReductions = {"sum", "mean", "min", "max"};
bool is_target_reduction(std::string_view reduce);
// The dimensions a target's reduction leaves (those its `element` names): none without
// `over`, the variable's others with it.
std::vector<std::string> dims_after_reduction(const VarSpec& var, const Target& target);
std::string reduction_name(const VarSpec& var, const Target& target);

// Where a flat variable comes from.
struct ElementContext {
  std::string family;                                         // the name as written in the model
  std::vector<std::pair<std::string, std::string>> elements;  // (dimension, element), in dims order
};

struct FlatModel {
  Model model;  // without dimensions: every element of a dimensioned item is an item
  std::map<std::string, std::vector<std::string>> family_dims;  // dimensioned name -> its dims
  std::vector<ElementContext> var_context;                      // per variable of `model`
};

// The flat model of a validated model. A model without dimensions is returned as it is.
FlatModel flatten_dimensions(const Model& model);

// One element of a dimensioned variable or parameter as a scalar item (name unchanged);
// used by validation too, so an element is checked exactly as it will be compiled.
VarSpec element_var(const VarSpec& var, const std::string& key);
ParamSpec element_param(const ParamSpec& param, const std::string& key);

// The element key `key` of `dims` split into its elements.
std::vector<std::string> split_element_key(const std::string& key);

// Checks a per-element table against `dims`: every key is a combination of elements (with
// a did-you-mean for a misspelt element) and every combination has a value.
// `keys` are the keys of the table with where each was written, `table_where` where the
// table is.
void check_element_keys(const Model& model, const std::map<std::string, SourceLocation>& keys,
                        const SourceLocation& table_where, const std::vector<std::string>& dims,
                        const std::string& path, Diagnostics& diagnostics);

// Checks that `key` names one element (one combination of elements) of `dims`, reporting
// otherwise at `where` with a did-you-mean; returns whether it does.
bool check_element_of(const Model& model, const std::string& key, const SourceLocation& where,
                      const std::vector<std::string>& dims, const std::string& path,
                      Diagnostics& diagnostics);

}  // namespace tamnhin
