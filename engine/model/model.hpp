// A model as read from its file: what exists (parameters, tables, shock groups,
// variables) and how each variable evolves. Plain data; loading and validation live in
// load_model.hpp, compilation to a program in engine/compile.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "engine/core/comparator.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/core/labels.hpp"
#include "engine/core/programme_target.hpp"
#include "engine/random/marginal.hpp"

namespace tamnhin {

// Longest name a model may define or an equation may use. Names head table rows and
// messages; a longer one is a mistake (a pasted paragraph), and quoting it whole would
// flood the terminal.
inline constexpr std::size_t kMaxNameLength = 64;

// A named dimension and its elements, e.g. region = ["long_an", "tay_ninh_old"].
struct Dimension {
  std::string name;
  std::vector<std::string> elements;
  SourceLocation where;
};

// A field given per element of a dimensioned item: element key -> value. An element's key is
// its name; over two or more dimensions, the names joined by ',' in the order of the item's
// `dims` ("long_an,0-14"), written as nested tables.
template <typename T>
struct PerElement {
  std::map<std::string, T> values;
  std::map<std::string, SourceLocation> where;  // per key
  SourceLocation table_where;
  bool empty() const { return values.empty(); }
};

struct ParamSpec {
  std::string name;
  std::vector<std::string> dims;  // empty: a scalar
  SourceLocation dims_where;
  std::map<std::string, PerElement<double>> fields_by_element;  // field -> per element
  // As written: the distribution's name ("normal", ...; "constant" for a plain number)
  // and its numeric fields ("mean", "sd", ...), kept so a scenario can override one field.
  std::string dist;
  std::map<std::string, double> fields;
  std::map<std::string, SourceLocation> field_where;
  random::Marginal marginal;  // derived from dist and fields by validate_model()
  std::string note;
  SourceLocation where;
};

struct TableSpec {
  std::string name;
  std::vector<std::string> dims;
  SourceLocation dims_where;
  std::vector<std::pair<double, double>> points;  // strictly increasing x
  PerElement<std::vector<std::pair<double, double>>> points_by_element;
  SourceLocation where;
};

// Named yearly standard normals, correlated across the group's names.
// With `dims`, every name is a dimensioned name: each element has its own draws (site
// shock/<group>/<name>[<element>]), the matrix correlates the names within an element, and
// elements are independent.
struct ShockGroup {
  std::string name;
  std::vector<std::string> names;
  std::vector<std::string> dims;
  SourceLocation dims_where;
  std::vector<double> matrix;  // names.size()^2, row-major; identity when not given
  SourceLocation where;
};

struct Correlation {
  std::vector<std::string> params;
  std::vector<double> matrix;  // params.size()^2, row-major
  SourceLocation where;
};

struct Target {
  int year = 0;
  Comparator comparator = Comparator::below;
  double threshold = 0;
  std::string source;
  std::string element;  // of a dimensioned variable: the element key the target is on
  // On a reduction of a dimensioned variable: "sum", "mean", "min" or "max" over every
  // dimension, or over `over` alone (then `element` names the other dimensions' element).
  std::string reduce, over;
  SourceLocation reduce_where, over_where, element_where;
  Labels labels;
  SourceLocation where;
};

struct Equation {
  std::string text;
  SourceLocation where;  // of the first character of the text
};

struct VarSpec {
  std::string name;
  std::string unit;  // empty: not recorded (unless it has targets)
  bool lever = false;
  std::optional<double> base;
  std::optional<Equation> eq;                // exactly one of eq and path
  std::map<int, double> path;                // year -> value, linear between keys, flat outside
  std::map<int, SourceLocation> path_where;  // where each keyframe was written
  // Observed values: year -> value. Those before the base year are what prev() reads
  // there (linear between years and on to the base-year value; without any, prev() before
  // the base year reads the base value); the report draws all of them as points.
  std::map<int, double> history;
  // Dimensions: one variable per element. Fields given per element override the ones above.
  std::vector<std::string> dims;
  SourceLocation dims_where;
  PerElement<double> base_by, min_by, max_by;
  PerElement<std::map<int, double>> path_by, history_by;
  std::optional<double> min, max;
  // A lever's sensible values (`range = [lo, hi]`): every value a scenario file, --set,
  // --vary or a search gives it must lie inside (engine/model/levers.hpp).
  std::optional<std::pair<double, double>> range;
  // Of a dimensioned lever, a range per element instead (`range = { north = [0, 1],
  // south = [0, 0.5] }`, every element given).
  PerElement<std::pair<double, double>> range_by;
  SourceLocation range_where;
  std::vector<Target> targets;
  std::string note;
  std::string source;
  Labels labels;
  SourceLocation where;

  bool recorded() const { return !unit.empty() || !targets.empty(); }
  bool has_path() const { return !path.empty() || !path_by.empty(); }
};

// Levers that are shares of one whole (`[shares.<name>] members = [...]`): their paths
// must sum to `total` in every year; nothing rescales them silently.
struct ShareGroup {
  std::string name;
  std::vector<std::string> members;
  double total = 1.0;
  std::string note;
  SourceLocation where;
};

struct Model {
  std::string name;
  std::string region;
  std::string description;
  int base_year = 0;
  int end_year = 2045;
  SourceLocation base_year_where, end_year_where;  // where they were set
  std::string file;                                // path as read
  std::vector<std::string> files;                  // this file, then the models it extends
  std::vector<Dimension> dims;
  std::vector<ParamSpec> params;
  std::vector<TableSpec> tables;
  std::vector<ShockGroup> shocks;
  std::vector<Correlation> correlations;
  std::vector<VarSpec> vars;  // model order
  std::vector<ShareGroup> shares;
  // Targets of the programme the model does not project, shown in the scorecard; a model
  // that extends another adds to its list.
  std::vector<ProgrammeTarget> programme_targets;

  int years() const { return end_year - base_year + 1; }
  const VarSpec* find_var(std::string_view n) const;
  VarSpec* find_var(std::string_view n);
  const ParamSpec* find_param(std::string_view n) const;
  ParamSpec* find_param(std::string_view n);
  TableSpec* find_table(std::string_view n);
  const Dimension* find_dim(std::string_view n) const;
  // The share group `var` belongs to, if any.
  const ShareGroup* share_group_of(std::string_view var) const;
  // Every name defined by the model (params, tables, shock names, vars), for
  // did-you-mean hints.
  std::vector<std::string> all_names() const;
};

// The value of a keyframe path in `year`: linear between keys, flat outside.
double path_value(const std::map<int, double>& path, int year);

}  // namespace tamnhin
