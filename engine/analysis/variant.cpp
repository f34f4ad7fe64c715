#include "engine/analysis/variant.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>

#include "engine/model/load_model.hpp"

namespace tamnhin::analysis {

namespace {

std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}

}  // namespace

std::optional<double> parse_plain_number(std::string_view text, const SourceLocation& where,
                                         const std::string& subject, Diagnostics& d) {
  const std::string t = trim(text);
  double value = 0;
  const char* first = t.data();
  const char* last = t.data() + t.size();
  if (!t.empty() && *first == '+') ++first;
  auto [end, ec] = std::from_chars(first, last, value);
  if (!t.empty() && ec == std::errc{} && end == last && std::isfinite(value)) return value;
  std::string hint = "write a plain number, e.g. 0.24 or 2.6e3";
  if (!t.empty() && t.back() == '%') {
    hint =
        "write the number without '%' in the lever's own unit (a share of 24% is 0.24; "
        "`tamnhin levers FILE` shows units and ranges)";
  } else if (t.find(',') != std::string::npos) {
    hint = "use '.' as the decimal point and no thousands separator, e.g. 0.16";
  } else if (ec == std::errc::result_out_of_range || (ec == std::errc{} && !std::isfinite(value))) {
    hint = "the number is too large to represent";
  }
  d.add(where, subject, "'" + t + "' is not a number", hint);
  return std::nullopt;
}

std::optional<Override> parse_override(std::string_view text, const std::string& option,
                                       Diagnostics& d) {
  const SourceLocation where{option + " " + std::string(text), 0, 0};
  const auto eq = text.find('=');
  if (eq == std::string_view::npos) {
    d.add(where, "", "expected NAME=VALUE or NAME@YEAR=VALUE",
          "e.g. " + option + " share_health=0.24 or " + option + " share_health@2030=0.3");
    return std::nullopt;
  }
  std::string name = trim(text.substr(0, eq));
  Override o;
  o.where = where;
  if (const auto at = name.find('@'); at != std::string::npos) {
    const std::string year_text = trim(std::string_view(name).substr(at + 1));
    name = trim(std::string_view(name).substr(0, at));
    int year = 0;
    auto [end, ec] = std::from_chars(year_text.data(), year_text.data() + year_text.size(), year);
    if (ec != std::errc{} || end != year_text.data() + year_text.size() || year < 1 ||
        year > 9999) {
      d.add(where, name, "'" + year_text + "' is not a calendar year",
            "e.g. " + option + " " + name + "@2030=0.3");
      return std::nullopt;
    }
    o.year = year;
  }
  // NAME or, for one element of a dimensioned lever or parameter, NAME[ELEMENT].
  const auto split = split_element_suffix(name);
  if (name.empty() || !split || !is_valid_name(split->first)) {
    d.add(where, name, "'" + name + "' is not a lever or parameter name",
          "names are lowercase letters, digits and '_', with [element] for one element of a "
          "dimensioned one; `tamnhin levers FILE` lists them");
    return std::nullopt;
  }
  o.name = split->second.empty() ? split->first : split->first + "[" + split->second + "]";
  auto value = parse_plain_number(text.substr(eq + 1), where, name, d);
  if (!value) return std::nullopt;
  o.value = *value;
  return o;
}

std::optional<AppliedVariant> apply_overrides(const Model& base,
                                              const std::vector<Override>& overrides,
                                              Diagnostics& d) {
  AppliedVariant out{base, {}};
  Model& model = out.model;
  std::vector<LeverSetting> levers;
  std::vector<std::string> names;  // for did-you-mean: levers and parameters
  for (const auto* v : levers_of(model)) names.push_back(v->name);
  for (const auto& p : model.params) names.push_back(p.name);
  const std::size_t before = d.size();
  for (const auto& o : overrides) {
    // "x[long_an]": one element of a dimensioned lever or parameter.
    const auto split = split_element_suffix(o.name);
    const std::string family = split ? split->first : o.name;
    const std::string element = split ? split->second : "";
    if (ParamSpec* p = model.find_param(family)) {
      if (o.year) {
        d.add(o.where, o.name + "@" + std::to_string(*o.year),
              "'" + o.name + "' is a parameter: one value per draw for all years",
              "drop @" + std::to_string(*o.year) + ": " + o.name + "=" + show_number(o.value));
        continue;
      }
      if (element.empty()) {
        set_param_constant(*p, o.value, o.where);
      } else {
        set_param_element(model, *p, element, o.value, o.where, d);
      }
      continue;
    }
    const VarSpec* v = model.find_var(family);
    if (v == nullptr) {
      const std::string hint = did_you_mean(family, names);
      d.add(o.where, o.name, "the model has no lever or parameter '" + family + "'",
            hint.empty() ? "`tamnhin levers FILE` lists the levers" : hint);
      continue;
    }
    levers.push_back({family, o.year, o.value, o.where, element});
  }
  out.adjustments = apply_lever_settings(model, levers, d);
  if (d.size() > before) return std::nullopt;
  // The settings are checked; the rest of the model was valid before. Validate again all
  // the same: a keyframe set outside a member's range shows here, with its place.
  Diagnostics again;
  validate_model(model, again);
  if (!again.empty()) {
    d.append(again);
    return std::nullopt;
  }
  return out;
}

std::string describe(const std::vector<Override>& overrides) {
  std::string out;
  for (const auto& o : overrides) {
    if (!out.empty()) out += ' ';
    out += o.name;
    if (o.year) out += '@' + std::to_string(*o.year);
    char buf[32];  // shortest text that reads back exactly: equal texts, equal values
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, o.value);
    out += '=' + std::string(buf, end);
  }
  return out;
}

}  // namespace tamnhin::analysis
