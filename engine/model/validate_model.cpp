// Whole-model checks that need no equation (see load_model.hpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

#include "engine/model/dims.hpp"
#include "engine/model/levers.hpp"
#include "engine/model/load_model.hpp"
#include "engine/random/correlation.hpp"

namespace tamnhin {

namespace {

struct DistRule {
  random::DistKind kind;
  std::vector<std::string> required;
  std::vector<std::string> optional;
};

const std::map<std::string, DistRule>& dist_rules() {
  static const std::map<std::string, DistRule> rules = {
      {"constant", {random::DistKind::constant, {"value"}, {}}},
      {"normal", {random::DistKind::normal, {"mean", "sd"}, {"min", "max"}}},
      {"lognormal", {random::DistKind::lognormal, {"mu", "sigma"}, {"min", "max"}}},
      {"uniform", {random::DistKind::uniform, {"min", "max"}, {}}},
      {"triangular", {random::DistKind::triangular, {"min", "mode", "max"}, {}}},
      {"beta", {random::DistKind::beta, {"alpha", "beta"}, {"min", "max"}}},
  };
  return rules;
}

}  // namespace

void derive_marginal(ParamSpec& p, Diagnostics& d) {
  const std::string path = "params." + p.name;
  auto rule_it = dist_rules().find(p.dist);
  if (rule_it == dist_rules().end()) {
    if (p.dist.empty()) return;  // already reported as missing
    std::vector<std::string> names;
    for (const auto& [n, r] : dist_rules()) names.push_back(n);
    std::string hint = did_you_mean(p.dist, names);
    d.add(p.where, path + ".dist", "unknown distribution '" + p.dist + "'",
          hint.empty() ? "one of normal, lognormal, uniform, triangular, beta" : hint);
    return;
  }
  const DistRule& rule = rule_it->second;
  const auto where = [&](const std::string& field) {
    auto it = p.field_where.find(field);
    return it == p.field_where.end() ? p.where : it->second;
  };
  bool complete = true;
  for (const auto& field : rule.required) {
    if (!p.fields.contains(field)) {
      d.add(p.where, path, "a " + p.dist + " distribution needs '" + field + "'");
      complete = false;
    }
  }
  for (const auto& [field, value] : p.fields) {
    const bool known =
        std::find(rule.required.begin(), rule.required.end(), field) != rule.required.end() ||
        std::find(rule.optional.begin(), rule.optional.end(), field) != rule.optional.end();
    if (!known) {
      std::string expected;
      for (const auto& f : rule.required) expected += " " + f;
      for (const auto& f : rule.optional) expected += " " + f;
      d.add(where(field), path + "." + field, "is not a field of a " + p.dist + " distribution",
            "its fields are:" + expected);
      complete = false;
    }
  }
  if (!complete) return;
  const auto f = [&](const std::string& k, double fallback = 0.0) {
    auto it = p.fields.find(k);
    return it == p.fields.end() ? fallback : it->second;
  };
  random::Marginal m;
  m.kind = rule.kind;
  const auto positive = [&](const std::string& field) {
    if (f(field) > 0) return true;
    d.add(where(field), path + "." + field, "must be positive, got " + show_number(f(field)));
    return false;
  };
  const auto ordered = [&](const std::string& lo, const std::string& hi, double lo_v, double hi_v) {
    if (lo_v < hi_v) return true;
    d.add(where(hi), path,
          lo + " must be less than " + hi + ", got " + lo + " = " + show_number(lo_v) + ", " + hi +
              " = " + show_number(hi_v));
    return false;
  };
  // A normal or lognormal with min and/or max: the distribution restricted to [min, max].
  const auto truncated = [&](random::DistKind kind, double a, double b) {
    random::Marginal t{kind, a, b};
    const bool has_min = p.fields.contains("min"), has_max = p.fields.contains("max");
    if (!has_min && !has_max) return t;
    const double inf = std::numeric_limits<double>::infinity();
    t.c = has_min ? f("min") : -inf;
    t.d = has_max ? f("max") : inf;
    t.truncated = true;
    if (has_min && has_max && !ordered("min", "max", t.c, t.d)) return random::Marginal{};
    if (!(random::kept_mass(t) > 1e-12)) {
      d.add(where(has_min ? "min" : "max"), path,
            "[min, max] keeps almost none of the " + p.dist + " distribution (a share of " +
                show_number(random::kept_mass(t)) + ")",
            "min and max truncate the distribution; they must cover a part of it that has "
            "probability" +
                std::string(kind == random::DistKind::lognormal
                                ? " (min and max are values, not logs)"
                                : ""));
      return random::Marginal{};
    }
    return t;
  };
  switch (rule.kind) {
    case random::DistKind::constant:
      m.a = f("value");
      break;
    case random::DistKind::normal:
      if (positive("sd")) m = truncated(rule.kind, f("mean"), f("sd"));
      break;
    case random::DistKind::lognormal:
      if (positive("sigma")) m = truncated(rule.kind, f("mu"), f("sigma"));
      break;
    case random::DistKind::uniform:
      if (ordered("min", "max", f("min"), f("max"))) m = {rule.kind, f("min"), f("max")};
      break;
    case random::DistKind::triangular:
      if (ordered("min", "max", f("min"), f("max"))) {
        if (f("mode") < f("min") || f("mode") > f("max")) {
          d.add(where("mode"), path + ".mode",
                "must lie between min and max, got " + show_number(f("mode")));
        } else {
          m = {rule.kind, f("min"), f("mode"), f("max")};
        }
      }
      break;
    case random::DistKind::beta: {
      // Each check runs (and reports) whatever the others found: not short-circuited.
      const bool alpha_ok = positive("alpha");
      const bool beta_ok = positive("beta");
      const bool range_ok = ordered("min", "max", f("min", 0.0), f("max", 1.0));
      const bool ok = alpha_ok && beta_ok && range_ok;
      if (ok) m = {rule.kind, f("alpha"), f("beta"), f("min", 0.0), f("max", 1.0)};
      break;
    }
  }
  p.marginal = m;
}

namespace {

// Every element of a dimensioned item is checked as the scalar item it compiles to; a
// problem shared by all elements is reported once.
void append_unique(Diagnostics& to, const Diagnostics& from) {
  std::set<std::string> seen;
  for (const auto& x : from.all()) {
    if (seen.insert(x.to_string()).second) to.add(x);
  }
}

// The dims of an item: declared, none twice.
bool check_item_dims(const Model& model, const std::vector<std::string>& dims,
                     const SourceLocation& where, const std::string& path, Diagnostics& d) {
  std::vector<std::string> names;
  for (const auto& dim : model.dims) names.push_back(dim.name);
  bool ok = true;
  for (std::size_t i = 0; i < dims.size(); ++i) {
    if (model.find_dim(dims[i]) == nullptr) {
      const std::string hint = did_you_mean(dims[i], names);
      d.add(where, path + ".dims", "unknown dimension '" + dims[i] + "'",
            !hint.empty()        ? hint
            : model.dims.empty() ? "declare it under [dims], e.g. region = [\"a\", \"b\"]"
                                 : "the dimensions: " + element_key(names));
      ok = false;
    } else if (std::find(dims.begin(), dims.begin() + static_cast<long>(i), dims[i]) !=
               dims.begin() + static_cast<long>(i)) {
      d.add(where, path + ".dims", "dimension '" + dims[i] + "' is listed twice");
      ok = false;
    }
  }
  return ok;
}

void validate_dimension(const Dimension& dim, Diagnostics& d) {
  const std::string path = "dims." + dim.name;
  if (dim.elements.empty()) {
    d.add(dim.where, path, "a dimension needs at least one element",
          "e.g. region = [\"long_an\", \"tay_ninh_old\"]");
  }
  std::set<std::string> seen;
  for (const auto& e : dim.elements) {
    const bool trimmed = !e.empty() && e.front() != ' ' && e.back() != ' ';
    if (!trimmed || e.find_first_of(",[]()") != std::string::npos || e.size() > kMaxNameLength) {
      d.add(dim.where, path, "invalid element name '" + e + "'",
            "an element is written inside x[...]: no ',', brackets or parentheses, no "
            "surrounding spaces, at most " +
                std::to_string(kMaxNameLength) + " characters");
    } else if (!seen.insert(e).second) {
      d.add(dim.where, path, "element '" + e + "' is listed twice");
    }
  }
}

// Checks a correlation matrix: symmetric, unit diagonal, entries in [-1, 1], PSD.
void validate_correlation_matrix(const std::vector<double>& m, std::size_t k,
                                 const SourceLocation& where, const std::string& path,
                                 Diagnostics& d) {
  if (m.size() != k * k) return;  // shape problems already reported
  for (std::size_t i = 0; i < k; ++i) {
    for (std::size_t j = 0; j < k; ++j) {
      const double v = m[i * k + j];
      const std::string cell = path + "[" + std::to_string(i) + "][" + std::to_string(j) + "]";
      if (i == j && v != 1.0) {
        d.add(where, cell, "the diagonal of a correlation matrix must be 1, got " + show_number(v));
        return;
      }
      if (v < -1.0 || v > 1.0) {
        d.add(where, cell, "a correlation must lie in [-1, 1], got " + show_number(v));
        return;
      }
      if (std::abs(v - m[j * k + i]) > 1e-12) {
        d.add(where, cell,
              "the matrix is not symmetric: " + show_number(v) + " vs " +
                  show_number(m[j * k + i]) + " at [" + std::to_string(j) + "][" +
                  std::to_string(i) + "]");
        return;
      }
    }
  }
  if (!random::correlation_factor(m, k)) {
    d.add(where, path, "the correlation matrix is not positive semi-definite",
          "these correlations cannot hold together; weaken the strongest ones");
  }
}

void validate_table_points(const std::vector<std::pair<double, double>>& points,
                           const SourceLocation& where, const std::string& path, Diagnostics& d) {
  if (points.empty()) d.add(where, path, "a table needs at least one point");
  for (std::size_t i = 1; i < points.size(); ++i) {
    if (!(points[i].first > points[i - 1].first)) {
      d.add(where, path,
            "x values must increase strictly, but point " + std::to_string(i) + " has x = " +
                show_number(points[i].first) + " after " + show_number(points[i - 1].first));
      break;
    }
  }
}

void validate_var(const Model& model, const VarSpec& v, Diagnostics& d) {
  const std::string path = "vars." + v.name;
  if (!v.eq && v.path.empty()) {
    d.add(v.where, path, "needs an 'eq' or a 'path'",
          "e.g. eq = \"prev(" + v.name + ") * 1.02\", or path = { " +
              std::to_string(model.base_year) + " = 1.0 }");
  }
  if (v.min && v.max && *v.min > *v.max) {
    d.add(v.where, path,
          "min must not exceed max, got min = " + show_number(*v.min) +
              ", max = " + show_number(*v.max));
  } else if (v.base) {
    if ((v.min && *v.base < *v.min) || (v.max && *v.base > *v.max)) {
      d.add(v.where, path + ".base",
            "base " + show_number(*v.base) + " lies outside [min, max] = [" +
                (v.min ? show_number(*v.min) : "-inf") + ", " +
                (v.max ? show_number(*v.max) : "inf") + "]");
    }
  }
  for (const auto& t : v.targets) {
    if (t.year < model.base_year || t.year > model.end_year) {
      d.add(t.where, path + ".targets",
            "target year " + std::to_string(t.year) + " is outside the simulated years " +
                std::to_string(model.base_year) + ".." + std::to_string(model.end_year),
            "change the year or the model's base_year/end_year");
    }
  }
}

// The element a target names: an element (a combination, over several dimensions) of
// `dims`.
void check_target_element(const Model& model, const Target& t, const std::vector<std::string>& dims,
                          const std::string& path, Diagnostics& d) {
  check_element_of(model, t.element, t.where, dims, path, d);
}

// "e.g. element = \"long_an\"", naming the first element of `dims`; "name one of its elements"
// when a dimension is undeclared or empty (validation reports that on its own).
std::string example_element(const Model& model, const std::vector<std::string>& dims) {
  const auto combinations = element_combinations(model, dims);
  if (combinations.empty() || combinations.front().size() != dims.size())
    return "name one of its elements";
  return "e.g. element = \"" + element_key(combinations.front()) + "\"";
}

// A target on a reduction of dimensioned `v`: a known reduction, over one of v's dimensions
// (or all), an element for exactly the dimensions left, a simulated year.
void validate_reduction_target(const Model& model, const VarSpec& v, const Target& t,
                               const std::string& path, Diagnostics& d) {
  std::vector<std::string> reductions(kTargetReductions.begin(), kTargetReductions.end());
  if (t.reduce.empty()) {
    d.add(t.over_where, path, "over = \"" + t.over + "\" without reduce = ...",
          "add reduce = \"sum\" (or mean, min, max)");
    return;
  }
  if (!is_target_reduction(t.reduce)) {
    const std::string hint = did_you_mean(t.reduce, reductions);
    d.add(t.reduce_where, path + ".reduce", "unknown reduction '" + t.reduce + "'",
          hint.empty() ? "one of: sum, mean, min, max" : hint);
    return;
  }
  if (!t.over.empty() && std::find(v.dims.begin(), v.dims.end(), t.over) == v.dims.end()) {
    const std::string hint = did_you_mean(t.over, v.dims);
    d.add(t.over_where, path + ".over", "'" + v.name + "' has no dimension '" + t.over + "'",
          hint.empty() ? "its dimensions: " + element_key(v.dims) : hint);
    return;
  }
  const std::vector<std::string> left = dims_after_reduction(v, t);
  const std::string name = t.reduce + "(" + v.name + (t.over.empty() ? "" : ", " + t.over) + ")";
  if (left.empty() && !t.element.empty()) {
    d.add(t.element_where, path + ".element",
          name + " has no dimensions left, so no element '" + t.element + "'",
          v.dims.size() > 1 && t.over.empty()
              ? "drop element = ...; or reduce over one dimension: over = \"" + v.dims.back() + "\""
              : "drop element = ...");
    return;
  }
  if (!left.empty() && t.element.empty()) {
    d.add(t.where, path,
          name + " keeps dimension" + (left.size() == 1 ? " " : "s ") + element_key(left) +
              ": the target needs element = ...",
          example_element(model, left));
    return;
  }
  if (!left.empty()) check_target_element(model, t, left, path, d);
  if (t.year < model.base_year || t.year > model.end_year) {
    d.add(t.where, path,
          "target year " + std::to_string(t.year) + " is outside the simulated years " +
              std::to_string(model.base_year) + ".." + std::to_string(model.end_year),
          "change the year or the model's base_year/end_year");
  }
}

}  // namespace

void validate_model(Model& model, Diagnostics& d) {
  const SourceLocation top{model.file, 1, 1};
  if (model.base_year != 0 && (model.base_year < 1800 || model.base_year > 2300)) {
    d.add(model.base_year_where.line ? model.base_year_where : top, "model.base_year",
          "must be a calendar year, got " + std::to_string(model.base_year));
  } else if (model.base_year != 0 && model.end_year < model.base_year) {
    d.add(model.end_year_where.line ? model.end_year_where : top, "model.end_year",
          "end_year " + std::to_string(model.end_year) + " is before base_year " +
              std::to_string(model.base_year));
  } else if (model.base_year != 0 && model.end_year - model.base_year > 500) {
    d.add(model.end_year_where.line ? model.end_year_where : top, "model.end_year",
          "more than 500 simulated years (" + std::to_string(model.end_year - model.base_year + 1) +
              ")",
          "tamnhin projects decades, not centuries");
  }

  // Names: valid and unique across every kind.
  std::map<std::string, std::string> seen;  // name -> kind
  const auto claim = [&](const std::string& name, const std::string& kind,
                         const SourceLocation& where) {
    if (name.size() > kMaxNameLength) {
      std::size_t cut = 40;  // never inside a UTF-8 sequence
      while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xC0) == 0x80) --cut;
      const std::string start = name.substr(0, cut) + "...";
      d.add(where, kind + "." + start,
            "name '" + start + "' is " + std::to_string(name.size()) +
                " characters long; the limit is " + std::to_string(kMaxNameLength),
            "use a short name and say the rest in `note`");
      return;  // its validity and uniqueness do not matter any more
    }
    if (!is_valid_name(name)) {
      d.add(where, kind + "." + name, "invalid name '" + name + "'",
            "names are lowercase letters, digits and '_', starting with a letter");
    }
    auto [it, fresh] = seen.emplace(name, kind);
    if (!fresh) {
      d.add(where, kind + "." + name, "name '" + name + "' is already used by " + it->second,
            "names must be unique across params, tables, shocks and vars");
    }
  };
  for (auto& dim : model.dims) claim(dim.name, "dims", dim.where);
  for (auto& p : model.params) claim(p.name, "params", p.where);
  for (auto& t : model.tables) claim(t.name, "tables", t.where);
  for (auto& g : model.shocks) {
    for (auto& n : g.names) claim(n, "shocks." + g.name, g.where);
  }
  for (auto& v : model.vars) claim(v.name, "vars", v.where);

  for (const auto& dim : model.dims) validate_dimension(dim, d);
  for (auto& p : model.params) {
    if (p.dims.empty()) {
      derive_marginal(p, d);
      continue;
    }
    const std::string path = "params." + p.name;
    if (!check_item_dims(model, p.dims, p.dims_where, path, d)) continue;
    const std::size_t before = d.size();
    for (const auto& [field, table] : p.fields_by_element)
      check_element_keys(model, table.where, table.table_where, p.dims, path + "." + field, d);
    if (d.size() > before) continue;  // an element without its fields has nothing to check
    Diagnostics each;
    for (const auto& combination : element_combinations(model, p.dims)) {
      ParamSpec element = element_param(p, element_key(combination));
      derive_marginal(element, each);
      p.marginal = element.marginal;  // random or not, as its elements are
    }
    append_unique(d, each);
  }
  for (auto& t : model.tables) {
    const std::string path = "tables." + t.name + ".points";
    if (t.dims.empty()) {
      validate_table_points(t.points, t.where, path, d);
      continue;
    }
    if (!check_item_dims(model, t.dims, t.dims_where, "tables." + t.name, d)) continue;
    if (t.points_by_element.empty()) {
      validate_table_points(t.points, t.where, path, d);
      continue;
    }
    check_element_keys(model, t.points_by_element.where, t.points_by_element.table_where, t.dims,
                       path, d);
    for (const auto& [key, points] : t.points_by_element.values)
      validate_table_points(points, t.points_by_element.where.at(key), path + "." + key, d);
  }
  for (auto& g : model.shocks) {
    const std::string path = "shocks." + g.name;
    if (!g.dims.empty()) check_item_dims(model, g.dims, g.dims_where, path, d);
    if (g.names.empty()) continue;
    if (g.matrix.empty()) {
      g.matrix.assign(g.names.size() * g.names.size(), 0.0);
      for (std::size_t i = 0; i < g.names.size(); ++i) g.matrix[i * g.names.size() + i] = 1.0;
    }
    validate_correlation_matrix(g.matrix, g.names.size(), g.where, path + ".matrix", d);
  }
  std::set<std::string> correlated;
  for (std::size_t c = 0; c < model.correlations.size(); ++c) {
    auto& corr = model.correlations[c];
    const std::string path = "correlations[" + std::to_string(c) + "]";
    std::vector<std::string> param_names;
    for (const auto& p : model.params) param_names.push_back(p.name);
    bool ok = corr.params.size() >= 2;
    if (!ok) d.add(corr.where, path + ".params", "a correlation needs at least two parameters");
    for (auto& name : corr.params) {
      // An element of a dimensioned parameter is a parameter of its own here: "g[long_an]".
      const auto split = split_element_suffix(name);
      const ParamSpec* p = model.find_param(split ? split->first : name);
      const std::string element = split ? split->second : "";
      if (p != nullptr && !element.empty()) name = p->name + "[" + element + "]";
      if (p == nullptr) {
        d.add(corr.where, path + ".params", "unknown parameter '" + name + "'",
              did_you_mean(split ? split->first : name, param_names));
        ok = false;
      } else if (!p->dims.empty() && element.empty()) {
        const auto elements = element_combinations(model, p->dims);
        d.add(corr.where, path + ".params",
              "parameter '" + name + "' has dims: a correlation names its elements",
              elements.empty() ? std::string()
                               : "e.g. " + element_name(name, elements.front()) +
                                     "; each element is sampled as a parameter of its own");
        ok = false;
      } else if (p->dims.empty() && !element.empty()) {
        d.add(corr.where, path + ".params",
              "parameter '" + p->name + "' has no dims, so no element '" + element + "'",
              "write " + p->name);
        ok = false;
      } else if (!element.empty() &&
                 !check_element_of(model, element, corr.where, p->dims, path + ".params", d)) {
        ok = false;
      } else if (!element.empty() && [&] {
                   ParamSpec e = element_param(*p, element);
                   Diagnostics ignored;  // the element's own problems are reported above
                   derive_marginal(e, ignored);
                   return !e.marginal.is_random();
                 }()) {
        d.add(corr.where, path + ".params",
              "parameter '" + name + "' is a constant; only uncertain parameters correlate");
        ok = false;
      } else if (!p->marginal.is_random() && p->dist == "constant") {
        d.add(corr.where, path + ".params",
              "parameter '" + name + "' is a constant; only uncertain parameters correlate");
        ok = false;
      } else if (!correlated.insert(name).second) {
        d.add(corr.where, path + ".params",
              "parameter '" + name + "' appears in more than one correlation",
              "put all its correlations in one matrix");
        ok = false;
      }
    }
    if (ok)
      validate_correlation_matrix(corr.matrix, corr.params.size(), corr.where, path + ".matrix", d);
  }
  for (auto& v : model.vars) {
    const std::string path = "vars." + v.name;
    if (v.dims.empty()) {
      validate_var(model, v, d);
      for (const auto& t : v.targets) {
        if (!t.reduce.empty() || !t.over.empty()) {
          d.add(t.reduce.empty() ? t.over_where : t.reduce_where, path + ".targets",
                "'" + v.name + "' has no dims, so nothing to reduce",
                t.reduce.empty() ? "drop over = ..." : "drop reduce = ...");
        } else if (!t.element.empty()) {
          d.add(t.where, path + ".targets",
                "'" + v.name + "' has no dims, so no element '" + t.element + "'",
                "drop element = ...");
        }
      }
      continue;
    }
    if (!check_item_dims(model, v.dims, v.dims_where, path, d)) continue;
    const auto keys = [&](const auto& table, const char* field) {
      check_element_keys(model, table.where, table.table_where, v.dims, path + "." + field, d);
    };
    const std::size_t before = d.size();
    keys(v.base_by, "base");
    keys(v.min_by, "min");
    keys(v.max_by, "max");
    keys(v.path_by, "path");
    keys(v.history_by, "history");
    keys(v.range_by, "range");
    for (const auto& t : v.targets) {
      if (!t.reduce.empty() || !t.over.empty()) {
        validate_reduction_target(model, v, t, path + ".targets", d);
        continue;
      }
      if (t.element.empty()) {
        d.add(
            t.where, path + ".targets",
            "'" + v.name + "' has dims (" + element_key(v.dims) + "): a target needs element = ...",
            example_element(model, v.dims) +
                "; or reduce = \"sum\" (mean, min, max) for a target on the total");
        continue;
      }
      check_target_element(model, t, v.dims, path + ".targets", d);
    }
    if (d.size() > before) continue;  // an element without its values has nothing to check
    Diagnostics each;
    for (const auto& combination : element_combinations(model, v.dims))
      validate_var(model, element_var(v, element_key(combination)), each);
    append_unique(d, each);
  }
  validate_levers(model, d);
}

}  // namespace tamnhin
