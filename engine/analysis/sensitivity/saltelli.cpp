#include "engine/analysis/sensitivity/saltelli.hpp"

#include "engine/random/sampling.hpp"

namespace tamnhin::analysis {

SaltelliDesign saltelli_design(std::span<const std::string> dims, random::SamplingDesign design,
                               std::uint64_t seed, std::size_t samples) {
  // 2D uniform(0,1) "parameters": the quantile of uniform(0,1) is the identity, so the
  // sampler's uniforms come through unchanged. Sites "saltelli/A/<name>" and
  // "saltelli/B/<name>" keep them apart from the run's own parameter streams.
  std::vector<random::ParamSpecForSampling> specs;
  const random::Marginal unit{random::DistKind::uniform, 0.0, 1.0};
  for (const std::string& name : dims) specs.push_back({"saltelli/A/" + name, unit});
  for (const std::string& name : dims) specs.push_back({"saltelli/B/" + name, unit});
  random::ParamDraws draws = random::sample_parameters(specs, {}, design, seed, samples);
  SaltelliDesign out;
  out.samples = samples;
  out.dims = dims.size();
  const std::size_t half = dims.size() * samples;
  out.a.assign(draws.values.begin(), draws.values.begin() + static_cast<std::ptrdiff_t>(half));
  out.b.assign(draws.values.begin() + static_cast<std::ptrdiff_t>(half), draws.values.end());
  return out;
}

}  // namespace tamnhin::analysis
