// Levers: the variables scenarios are meant to set (budget shares, growth paths). A lever
// may declare its sensible values (`range = [lo, hi]`), and levers that are shares of one
// whole are declared as a group (`[shares.<name>] members = [...]`, optional `total`).
// Every value a lever takes from a file, `--set`, `--vary` or a search is checked against
// its range, and a group must sum to its total in every simulated year: a share typed as
// a percentage (16 instead of 0.16) is an error, never a plausible-looking wrong answer,
// and nothing rescales shares silently.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"
#include "engine/model/toml_reader.hpp"

namespace tamnhin {

// Readers for the model file: `range = [lo, hi]` on a variable and a `[shares.<name>]`
// table.
// The range of element `key` of lever `v` (empty key: a scalar lever): the element's own
// (`range = { north = [0, 1], ... }`) or the lever's; null when it declares none.
const std::pair<double, double>* range_of(const VarSpec& v, const std::string& key);

// A range is `[lo, hi]`, or for a dimensioned lever a table of them per element.
std::optional<std::pair<double, double>> read_range(const toml::node& node, const std::string& path,
                                                    TomlReader& reader);
void read_share_group(ShareGroup& group, const toml::table& table, const std::string& path,
                      TomlReader& reader);

// Whole-model checks (part of validate_model): ranges only on levers; every keyframe and
// base of a lever inside its range; share-group members are distinct levers with paths,
// in one group each; each group sums to its total in every year base..end (the first
// failing year is reported with the sum and each member's value).
void validate_levers(const Model& model, Diagnostics& diagnostics);

// "name[e1,e2]" split into the name and the element key ("e1,e2", spaces after commas
// dropped); a name without brackets has an empty key. nullopt when the brackets are
// malformed (unclosed, empty, text after them).
std::optional<std::pair<std::string, std::string>> split_element_suffix(std::string_view name);

// One lever setting: constant from the first projected year (base_year + 1; the base year
// keeps its data), or a single keyframe at `year`.
struct LeverSetting {
  std::string name;
  std::optional<int> year;
  double value = 0;
  SourceLocation where;  // for messages: the option or file that asked for it
  // Of a dimensioned lever: the element key ("long_an", "long_an,60+") set alone; empty:
  // every element.
  std::string element = {};
};

// What a group adjustment did, for the user (stderr) and run.json.
struct ShareAdjustment {
  std::string group;
  std::vector<std::string> set;       // members given a value
  std::vector<std::string> rescaled;  // members moved in proportion to keep the total
  std::string message;                // one sentence saying so
};

// Applies the settings to the model's levers. On a dimensioned lever a setting without an
// element sets every element, one with an element that element only; ranges hold for every
// element and a share group of dimensioned members sums to its total in each element. Members of a
// share group that were not set move in proportion, at every keyframe the settings touch, so the
// group still sums to its total (members set together keep their values). Values outside a lever's
// range, a setting of something that is not a lever, a keyframe on a lever defined by an equation,
// and a group that cannot reach its total are errors in `diagnostics`.
std::vector<ShareAdjustment> apply_lever_settings(Model& model,
                                                  const std::vector<LeverSetting>& settings,
                                                  Diagnostics& diagnostics);

// Sets a parameter to a constant (its distribution replaced; every element of a
// dimensioned parameter).
void set_param_constant(ParamSpec& param, double value, const SourceLocation& where);
// Sets one element (key) of a dimensioned constant parameter. A parameter with a
// distribution has one distribution for all its elements, so one element of it cannot be
// made constant alone: that, a parameter without dims and an unknown element are errors.
bool set_param_element(const Model& model, ParamSpec& param, const std::string& key, double value,
                       const SourceLocation& where, Diagnostics& diagnostics);

// The levers of a model, in model order.
std::vector<const VarSpec*> levers_of(const Model& model);

// "did you mean 16 / 100 = 0.16?" when a value outside [lo, hi] would fit as a
// percentage/fraction mix-up; otherwise a plain statement of the range.
std::string range_hint(double value, double lo, double hi, const std::string& unit);

}  // namespace tamnhin
