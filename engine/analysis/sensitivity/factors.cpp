#include "engine/analysis/sensitivity/factors.hpp"

#include <algorithm>
#include <boost/math/special_functions/erf.hpp>
#include <limits>

#include "engine/core/check.hpp"
#include "engine/random/correlation.hpp"
#include "engine/random/philox.hpp"

namespace tamnhin::analysis {

FactorSet sensitivity_factors(const Program& program) {
  FactorSet set;
  const std::size_t npos = static_cast<std::size_t>(-1);
  set.coordinate.assign(program.params.size(), npos);
  std::vector<std::size_t> group_of(program.params.size(), npos);
  std::vector<std::vector<std::size_t>> groups;
  std::vector<std::vector<double>> copulas;
  for (const auto& g : program.correlations) {
    std::vector<std::size_t> keep;  // positions of random members
    for (std::size_t i = 0; i < g.members.size(); ++i)
      if (program.params[g.members[i]].marginal.is_random()) keep.push_back(i);
    if (keep.size() < 2) continue;
    const std::size_t k = g.members.size();
    std::vector<double> sub;
    for (std::size_t r : keep)
      for (std::size_t c : keep) sub.push_back(g.matrix[r * k + c]);
    auto factor = random::correlation_factor(sub, keep.size());
    TAMNHIN_CHECK(factor.has_value());  // validated when the model was loaded
    std::vector<std::size_t> members;
    for (std::size_t i : keep) {
      members.push_back(g.members[i]);
      group_of[g.members[i]] = groups.size();
    }
    groups.push_back(std::move(members));
    copulas.push_back(std::move(*factor));
  }
  std::vector<bool> done(groups.size(), false);
  for (std::size_t p = 0; p < program.params.size(); ++p) {
    if (!program.params[p].marginal.is_random()) continue;
    Factor f;
    if (group_of[p] == npos) {
      f.name = program.params[p].name;
      f.params = {p};
    } else {
      const std::size_t g = group_of[p];
      if (done[g]) continue;
      done[g] = true;
      f.params = groups[g];
      f.copula = copulas[g];
      for (std::size_t m : f.params) f.name += (f.name.empty() ? "" : "+") + program.params[m].name;
    }
    for (std::size_t m : f.params) {
      set.coordinate[m] = set.params.size();
      set.params.push_back(m);
      set.factor_of.push_back(set.factors.size());
      set.names.push_back(program.params[m].name);
    }
    set.factors.push_back(std::move(f));
  }
  set.yearly_draws = !program.sites.empty() || !program.shock_groups.empty();
  return set;
}

std::vector<std::shared_ptr<const std::vector<double>>> parameter_columns(const Program& program,
                                                                          const FactorSet& set,
                                                                          std::span<const double> u,
                                                                          std::size_t rows) {
  TAMNHIN_CHECK_EQ(u.size(), set.params.size() * rows);
  std::vector<std::vector<double>> values(set.params.size(), std::vector<double>(rows));
  for (std::size_t c = 0; c < set.params.size(); ++c)
    std::copy(u.begin() + static_cast<std::ptrdiff_t>(c * rows),
              u.begin() + static_cast<std::ptrdiff_t>((c + 1) * rows), values[c].begin());
  // The Gaussian copula of each group, as the engine's sampler applies it to mc and sobol
  // draws: z = Phi^-1(u), z' = F z, u' = Phi(z'), kept inside (0, 1).
  for (const Factor& f : set.factors) {
    if (f.copula.empty()) continue;
    const std::size_t k = f.params.size();
    std::vector<double> z(k);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t i = 0; i < k; ++i)
        z[i] = random::inverse_normal_cdf(values[set.coordinate[f.params[i]]][r]);
      for (std::size_t i = 0; i < k; ++i) {
        double zi = 0;
        for (std::size_t j = 0; j < k; ++j) zi += f.copula[i * k + j] * z[j];
        const double v = 0.5 * boost::math::erfc(-zi * 0.70710678118654752440);
        values[set.coordinate[f.params[i]]][r] =
            std::clamp(v, std::numeric_limits<double>::min(), 1 - 0x1p-53);
      }
    }
  }
  std::vector<std::shared_ptr<const std::vector<double>>> out;
  for (std::size_t c = 0; c < set.params.size(); ++c) {
    const random::QuantileFunction quantile(program.params[set.params[c]].marginal);
    quantile.apply(values[c].data(), values[c].size());
    out.push_back(std::make_shared<const std::vector<double>>(std::move(values[c])));
  }
  return out;
}

}  // namespace tamnhin::analysis
