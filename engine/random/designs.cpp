#include "engine/random/designs.hpp"

#include <array>

#include "engine/core/check.hpp"

namespace tamnhin::random {

namespace {

constexpr std::array<DesignInfo, 3> kDesigns{{
    {SamplingDesign::mc, "mc", "param/", false, true, "independent uniforms (plain Monte Carlo)"},
    {SamplingDesign::lhs, "lhs", "lhs/", false, false,
     "Latin hypercube: each parameter exactly stratified over the draws"},
    {SamplingDesign::sobol, "sobol", "sobol/", true, true,
     "Sobol' points with a random digital shift (quasi-Monte Carlo)"},
}};

}  // namespace

std::span<const DesignInfo> sampling_designs() {
  return kDesigns;
}

const DesignInfo& design_info(SamplingDesign design) {
  for (const DesignInfo& d : kDesigns)
    if (d.design == design) return d;
  throw InternalError("sampling design without a registry entry");
}

std::optional<SamplingDesign> parse_sampling_design(std::string_view name) {
  for (const DesignInfo& d : kDesigns)
    if (name == d.name) return d.design;
  return std::nullopt;
}

const char* to_string(SamplingDesign design) {
  return design_info(design).name;
}

std::vector<std::string> sampling_design_names() {
  std::vector<std::string> names;
  for (const DesignInfo& d : kDesigns) names.emplace_back(d.name);
  return names;
}

std::string sampling_design_list() {
  std::string list;
  for (const DesignInfo& d : kDesigns) {
    if (!list.empty()) list += ", ";
    list += d.name;
  }
  return list;
}

}  // namespace tamnhin::random
