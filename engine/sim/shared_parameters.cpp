#include "engine/sim/shared_parameters.hpp"

#include <algorithm>
#include <cstring>

namespace tamnhin {

namespace {

void append_bytes(std::string& key, const void* data, std::size_t size) {
  key.append(static_cast<const char*>(data), size);
}

template <typename T>
void append_value(std::string& key, T value) {
  append_bytes(key, &value, sizeof value);
}

void append_param(std::string& key, const CompiledParam& p) {
  append_value(key, p.name.size());
  key += p.name;
  append_value(key, static_cast<int>(p.marginal.kind));
  for (double v : {p.marginal.a, p.marginal.b, p.marginal.c, p.marginal.d}) append_value(key, v);
}

std::string key_prefix(std::size_t draws, std::uint64_t seed, random::SamplingDesign design) {
  std::string key;
  append_value(key, static_cast<int>(design));
  append_value(key, seed);
  append_value(key, draws);
  return key;
}

}  // namespace

std::vector<SamplingUnit> sampling_units(const Program& program, std::size_t draws,
                                         std::uint64_t seed, random::SamplingDesign design) {
  const std::string prefix = key_prefix(draws, seed, design);
  std::vector<SamplingUnit> units;
  if (random::design_info(design).joint) {
    // One joint point per draw: every parameter, every correlation, in program order.
    SamplingUnit all;
    all.key = prefix + "all";
    for (std::size_t p = 0; p < program.params.size(); ++p) {
      all.params.push_back(p);
      append_param(all.key, program.params[p]);
    }
    for (const auto& g : program.correlations) {
      append_value(all.key, g.members.size());
      for (std::size_t m : g.members) append_value(all.key, m);
      for (double v : g.matrix) append_value(all.key, v);
    }
    all.correlations = program.correlations;
    units.push_back(std::move(all));
    return units;
  }
  // Independent designs (mc, lhs): a correlation group with at least two random members samples
  // them jointly (sample_parameters skips the others' correlations); everything else is
  // independent.
  std::vector<bool> in_group(program.params.size(), false);
  for (const auto& g : program.correlations) {
    const std::size_t k = g.members.size();
    std::vector<std::size_t> keep;
    for (std::size_t i = 0; i < k; ++i)
      if (program.params[g.members[i]].marginal.is_random()) keep.push_back(i);
    if (keep.size() < 2) continue;
    SamplingUnit unit;
    unit.key = prefix + "group";
    for (std::size_t i : keep) {
      unit.params.push_back(g.members[i]);
      append_param(unit.key, program.params[g.members[i]]);
      in_group[g.members[i]] = true;
    }
    for (std::size_t r : keep)
      for (std::size_t c : keep) unit.matrix.push_back(g.matrix[r * k + c]);
    for (double v : unit.matrix) append_value(unit.key, v);
    units.push_back(std::move(unit));
  }
  for (std::size_t p = 0; p < program.params.size(); ++p) {
    if (in_group[p]) continue;
    SamplingUnit unit;
    unit.key = prefix + "one";
    unit.params.push_back(p);
    append_param(unit.key, program.params[p]);
    units.push_back(std::move(unit));
  }
  return units;
}

namespace {

// What sample_parameters takes for `unit`: its parameters, and its correlations (the
// unit's own group, or every group for a joint design's single unit).
struct UnitSpecs {
  std::vector<random::ParamSpecForSampling> params;
  std::vector<random::CorrelationGroup> correlations;
};

UnitSpecs unit_specs(const Program& program, const SamplingUnit& unit) {
  UnitSpecs out;
  for (std::size_t p : unit.params)
    out.params.push_back({program.params[p].name, program.params[p].marginal});
  out.correlations = unit.correlations;
  if (!unit.matrix.empty()) {
    random::CorrelationGroup g;
    for (std::size_t i = 0; i < unit.params.size(); ++i) g.members.push_back(i);
    g.matrix = unit.matrix;
    out.correlations.push_back(std::move(g));
  }
  return out;
}

}  // namespace

UnitValues sample_unit(const Program& program, const SamplingUnit& unit, std::size_t draws,
                       std::uint64_t seed, random::SamplingDesign design) {
  const UnitSpecs specs = unit_specs(program, unit);
  auto sampled = random::sample_parameters(specs.params, specs.correlations, design, seed, draws);
  return std::make_shared<const std::vector<double>>(std::move(sampled.values));
}

UnitValues sample_unit_window(const Program& program, const SamplingUnit& unit, std::size_t draws,
                              std::uint64_t seed, random::SamplingDesign design, std::size_t first,
                              std::size_t count) {
  const UnitSpecs specs = unit_specs(program, unit);
  auto sampled = random::sample_parameter_window(specs.params, specs.correlations, design, seed,
                                                 draws, first, count);
  return std::make_shared<const std::vector<double>>(std::move(sampled.values));
}

UnitValues SharedParameters::get(const Program& program, const SamplingUnit& unit,
                                 std::size_t draws, std::uint64_t seed,
                                 random::SamplingDesign design) {
  auto it = entries_.find(unit.key);
  if (it != entries_.end()) return it->second;
  UnitValues values = sample_unit(program, unit, draws, seed, design);
  entries_.emplace(unit.key, values);
  return values;
}

void SharedParameters::forget_unused(const std::vector<std::string>& still_needed) {
  for (auto it = entries_.begin(); it != entries_.end();) {
    if (std::binary_search(still_needed.begin(), still_needed.end(), it->first))
      ++it;
    else
      it = entries_.erase(it);
  }
}

}  // namespace tamnhin
