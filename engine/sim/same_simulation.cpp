#include "engine/sim/same_simulation.hpp"

#include <bit>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/sim/detail_program_equality.hpp"

namespace tamnhin {

namespace {

using detail::same;
using detail::same_list;

bool same_programs(const Program& a, const Program& b) {
  const auto slot = [](const Slot& x, const Slot& y) {
    return x.kind == y.kind && x.first_row == y.first_row && x.depth == y.depth &&
           x.index == y.index;
  };
  const auto param = [](const CompiledParam& x, const CompiledParam& y) {
    return x.name == y.name && same(x.marginal, y.marginal) && x.slot == y.slot;
  };
  const auto correlation = [](const random::CorrelationGroup& x,
                              const random::CorrelationGroup& y) {
    return x.members == y.members && same(x.matrix, y.matrix);
  };
  // Not `where`: it only locates the equation in an error message, and an equation that
  // fails fails in the earlier scenario first.
  const auto var = [](const CompiledVar& x, const CompiledVar& y) {
    return x.name == y.name && x.slot == y.slot && same(x.min, y.min) && same(x.max, y.max) &&
           x.recorded == y.recorded && same(x.before_base, y.before_base);
  };
  const auto table = [](const CompiledTable& x, const CompiledTable& y) {
    return same(x.x, y.x) && same(x.y, y.y);
  };
  const auto ramp = [](const CompiledRamp& x, const CompiledRamp& y) {
    return same(x.y0, y.y0) && same(x.y1, y.y1);
  };
  const auto path = [](const std::vector<double>& x, const std::vector<double>& y) {
    return same(x, y);
  };
  const auto group = [](const CompiledShockGroup& x, const CompiledShockGroup& y) {
    return x.sites == y.sites && x.member_slots == y.member_slots && same(x.factor, y.factor);
  };
  const auto recorded = [](const RecordedVariable& x, const RecordedVariable& y) {
    return x.name == y.name;
  };
  return a.base_year == b.base_year && a.years == b.years && a.rows == b.rows &&
         a.year_slot == b.year_slot && a.t_slot == b.t_slot && same_list(a.slots, b.slots, slot) &&
         same(a.constants, b.constants) && same_list(a.params, b.params, param) &&
         same_list(a.correlations, b.correlations, correlation) && same_list(a.vars, b.vars, var) &&
         same_list(a.tables, b.tables, table) && same_list(a.ramps, b.ramps, ramp) &&
         same_list(a.paths, b.paths, path) && a.sites == b.sites &&
         same_list(a.shock_groups, b.shock_groups, group) && same(a.base_ops, b.base_ops) &&
         same(a.step_ops, b.step_ops) && same_list(a.recorded, b.recorded, recorded);
}

// FNV-1a's step on whole 64-bit words (a search may digest thousands of variants).
class Digest {
 public:
  void add(std::uint64_t word) {
    h_ ^= word;
    h_ *= 0x100000001b3ULL;
  }
  void add(double x) { add(std::bit_cast<std::uint64_t>(x)); }
  void add(const std::string& s) {
    add(static_cast<std::uint64_t>(s.size()));
    for (const char c : s) add(static_cast<std::uint64_t>(static_cast<unsigned char>(c)));
  }
  std::uint64_t value() const { return h_; }

 private:
  std::uint64_t h_ = 0xcbf29ce484222325ULL;
};

}  // namespace

bool simulates_the_same(const StudyScenario& a, const StudyScenario& b) {
  if (a.draws != b.draws || a.seed != b.seed || a.design != b.design ||
      a.stream_offset != b.stream_offset || !a.param_columns.empty() || !b.param_columns.empty())
    return false;
  return a.program == b.program || same_programs(*a.program, *b.program);
}

std::uint64_t simulation_digest(const StudyScenario& scenario) {
  // A few fields that tell most different scenarios apart, cheaply: a scenario differs from
  // another in its paths, constants or parameters far more often than in its ops.
  const Program& p = *scenario.program;
  Digest d;
  d.add(static_cast<std::uint64_t>(scenario.draws));
  d.add(scenario.seed);
  d.add(static_cast<std::uint64_t>(scenario.design));
  d.add(scenario.stream_offset);
  d.add(static_cast<std::uint64_t>(p.base_year));
  d.add(static_cast<std::uint64_t>(p.years));
  d.add(static_cast<std::uint64_t>(p.base_ops.size()));
  d.add(static_cast<std::uint64_t>(p.step_ops.size()));
  for (const double c : p.constants) d.add(c);
  for (const auto& path : p.paths)
    for (const double v : path) d.add(v);
  for (const CompiledParam& param : p.params) {
    d.add(param.name);
    d.add(static_cast<std::uint64_t>(param.marginal.kind));
    d.add(param.marginal.a);
    d.add(param.marginal.b);
    d.add(param.marginal.c);
    d.add(param.marginal.d);
  }
  return d.value();
}

}  // namespace tamnhin
