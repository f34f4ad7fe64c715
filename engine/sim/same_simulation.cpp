#include "engine/sim/same_simulation.hpp"

#include <algorithm>
#include <bit>
#include <functional>
#include <span>
#include <string>
#include <vector>

#include "engine/sim/shared_parameters.hpp"

namespace tamnhin {

namespace {

// Doubles compare by their bits: +0.0 and -0.0 are different constants (1 / x tells them
// apart), and a NaN is the same NaN only when its bits are.
bool same(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b);
}
bool same(const std::optional<double>& a, const std::optional<double>& b) {
  return a.has_value() == b.has_value() && (!a || same(*a, *b));
}
template <class T, class Same>
bool same_list(const std::vector<T>& a, const std::vector<T>& b, Same&& element) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (!element(a[i], b[i])) return false;
  return true;
}
bool same(const std::vector<double>& a, const std::vector<double>& b) {
  return same_list(a, b, [](double x, double y) { return same(x, y); });
}

bool same(const Operand& a, const Operand& b) {
  return a.slot == b.slot && a.lag == b.lag;
}
bool same(const Op& a, const Op& b) {
  if (a.code != b.code || a.aux != b.aux || !same(a.dst, b.dst)) return false;
  for (std::size_t k = 0; k < a.in.size(); ++k)
    if (!same(a.in[k], b.in[k])) return false;
  return true;
}
bool same(const std::vector<Op>& a, const std::vector<Op>& b) {
  return same_list(a, b, [](const Op& x, const Op& y) { return same(x, y); });
}

bool same(const random::Marginal& a, const random::Marginal& b) {
  return a.kind == b.kind && same(a.a, b.a) && same(a.b, b.b) && same(a.c, b.c) && same(a.d, b.d) &&
         a.truncated == b.truncated;
}

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

// What the column analysis needs the two programs to share: everything but the data an
// op reads (constants, parameter priors, paths, tables, ramps, bounds, history, shock
// factors). Where they differ in shape the analysis claims nothing.
bool same_shape(const Program& a, const Program& b) {
  const auto slot = [](const Slot& x, const Slot& y) {
    return x.kind == y.kind && x.first_row == y.first_row && x.depth == y.depth &&
           x.index == y.index;
  };
  const auto param = [](const CompiledParam& x, const CompiledParam& y) {
    return x.name == y.name && x.slot == y.slot;
  };
  const auto var = [](const CompiledVar& x, const CompiledVar& y) {
    return x.name == y.name && x.slot == y.slot && x.recorded == y.recorded &&
           x.before_base.size() == y.before_base.size();
  };
  const auto group = [](const CompiledShockGroup& x, const CompiledShockGroup& y) {
    return x.sites == y.sites && x.member_slots == y.member_slots &&
           x.factor.size() == y.factor.size();
  };
  const auto recorded = [](const RecordedVariable& x, const RecordedVariable& y) {
    return x.name == y.name;
  };
  return a.base_year == b.base_year && a.years == b.years && a.rows == b.rows &&
         a.year_slot == b.year_slot && a.t_slot == b.t_slot && same_list(a.slots, b.slots, slot) &&
         a.constants.size() == b.constants.size() && same_list(a.params, b.params, param) &&
         same_list(a.vars, b.vars, var) && a.tables.size() == b.tables.size() &&
         a.ramps.size() == b.ramps.size() && a.paths.size() == b.paths.size() &&
         a.sites == b.sites && same_list(a.shock_groups, b.shock_groups, group) &&
         same(a.base_ops, b.base_ops) && same(a.step_ops, b.step_ops) &&
         same_list(a.recorded, b.recorded, recorded);
}

// Per parameter of `a`: whether its column of draws may differ from `b`'s. A column is a
// pure function of its sampling unit (shared_parameters.hpp): equal keys, equal bits.
std::vector<char> parameters_that_may_differ(const StudyScenario& a, const StudyScenario& b) {
  const auto where = [](const StudyScenario& s) {
    std::vector<std::pair<std::string, std::size_t>> at(s.program->params.size());
    for (const SamplingUnit& unit : sampling_units(*s.program, s.draws, s.seed, s.design))
      for (std::size_t j = 0; j < unit.params.size(); ++j) at[unit.params[j]] = {unit.key, j};
    return at;
  };
  const auto in_a = where(a), in_b = where(b);
  std::vector<char> differs(in_a.size());
  for (std::size_t p = 0; p < in_a.size(); ++p)
    differs[p] = in_a[p].first.empty() || in_a[p] != in_b[p] ? 1 : 0;
  return differs;
}

// The analysis itself: the simulator's year loop (simulate.cpp's BatchRunner) run on one
// flag per workspace row, "may differ", instead of on lanes of draws.
class DifferenceFlow {
 public:
  DifferenceFlow(const Program& a, const Program& b, std::vector<char> params)
      : a_(a), b_(b), params_(std::move(params)) {
    std::size_t largest_group = 0;
    for (const auto& g : a.shock_groups) largest_group = std::max(largest_group, g.sites.size());
    scratch_row_ = a.rows;
    // Unknown until written: a row read before any op wrote it would be flagged.
    rows_.assign(a.rows + largest_group, 1);
    recorded_.assign(a.recorded.size() * static_cast<std::size_t>(a.years), 1);
    ring_pos_.assign(a.slots.size(), 0);
  }

  std::vector<char> run() {
    for (int y = 0; y < a_.years; ++y) {
      year_ = y;
      for (std::size_t i = 0; i < a_.slots.size(); ++i)
        if (a_.slots[i].depth > 1) ring_pos_[i] = static_cast<std::uint32_t>(y) % a_.slots[i].depth;
      rows_[row_of({a_.year_slot, 0})] = 0;
      rows_[row_of({a_.t_slot, 0})] = 0;
      for (const Op& op : a_.ops_for(y)) execute(op);
    }
    return recorded_;
  }

 private:
  static bool differ(double x, double y) {
    return std::bit_cast<std::uint64_t>(x) != std::bit_cast<std::uint64_t>(y);
  }

  std::uint32_t row_of(Operand o) const {
    const Slot& slot = a_.slots[o.slot];
    if (slot.depth == 1) return slot.first_row;
    const std::uint32_t lag = o.lag % slot.depth;
    const std::uint32_t pos = ring_pos_[o.slot];
    return slot.first_row + (pos >= lag ? pos - lag : pos + slot.depth - lag);
  }

  char flag(Operand o) const {
    const Slot& slot = a_.slots[o.slot];
    switch (slot.kind) {
      case SlotKind::constant:
        return differ(a_.constants[slot.index], b_.constants[slot.index]) ? 1 : 0;
      case SlotKind::param:
        return params_[slot.index];
      case SlotKind::year:
      case SlotKind::years_since_base:
      case SlotKind::temp:
      case SlotKind::var:
        break;
    }
    return rows_[row_of(o)];
  }

  char inputs(const Op& op, int count) const {
    char any = 0;
    for (int k = 0; k < count; ++k) any |= flag(op.in[static_cast<std::size_t>(k)]);
    return any;
  }

  void execute(const Op& op) {
    const bool start = year_ == static_cast<int>(op.aux);  // smooth's and delays' first year
    char out = 0;
    switch (op.code) {
      case OpCode::lookup:
        out = inputs(op, 1) | (same(a_.tables[op.aux].x, b_.tables[op.aux].x) &&
                                       same(a_.tables[op.aux].y, b_.tables[op.aux].y)
                                   ? 0
                                   : 1);
        break;
      case OpCode::ramp:
        out = inputs(op, 2) | (differ(a_.ramps[op.aux].y0, b_.ramps[op.aux].y0) ||
                                       differ(a_.ramps[op.aux].y1, b_.ramps[op.aux].y1)
                                   ? 1
                                   : 0);
        break;
      case OpCode::normal_z:
      case OpCode::uniform_u:
        out = 0;  // keyed by site (the same: same_shape), seed, year and draw
        break;
      case OpCode::path:
        out = differ(a_.paths[op.aux][static_cast<std::size_t>(year_)],
                     b_.paths[op.aux][static_cast<std::size_t>(year_)])
                  ? 1
                  : 0;
        break;
      case OpCode::smooth:
      case OpCode::delay_out:
        out = start ? inputs(op, 1) : inputs(op, 3);
        break;
      case OpCode::delay_stock:
        out = start ? inputs(op, 2) : inputs(op, 4);
        break;
      case OpCode::shock_group:
        shock_group(op.aux);
        return;
      case OpCode::finish_var:
        finish_var(op);
        return;
      default:
        TAMNHIN_CHECK(is_pure(op.code));
        out = inputs(op, arity(op.code));
        break;
    }
    rows_[row_of(op.dst)] = out;
  }

  void shock_group(std::uint32_t g) {
    // The members are sums of the group's normals (keyed by site: the same) weighted by the
    // factor: all may differ when any weight does.
    const CompiledShockGroup& group = a_.shock_groups[g];
    const char out = same(group.factor, b_.shock_groups[g].factor) ? 0 : 1;
    for (std::size_t m = 0; m < group.sites.size(); ++m) rows_[scratch_row_ + m] = 0;
    for (const std::uint32_t slot : group.member_slots) rows_[row_of({slot, 0})] = out;
  }

  void finish_var(const Op& op) {
    const CompiledVar& var = a_.vars[op.aux];
    const CompiledVar& other = b_.vars[op.aux];
    const std::uint32_t row = row_of(op.dst);
    if (!same(var.min, other.min) || !same(var.max, other.max)) rows_[row] = 1;
    if (var.recorded)
      recorded_[*var.recorded * static_cast<std::size_t>(a_.years) +
                static_cast<std::size_t>(year_)] = rows_[row];
    if (year_ != 0) return;
    // The ring's seed (BatchRunner::finish_var): history when given, else the base value.
    const Slot& slot = a_.slots[var.slot];
    for (std::uint32_t r = 1; r < slot.depth; ++r) {
      const std::size_t k = slot.depth - r;
      rows_[slot.first_row + r] =
          k <= var.before_base.size()
              ? (differ(var.before_base[k - 1], other.before_base[k - 1]) ? 1 : 0)
              : rows_[row];
    }
  }

  const Program& a_;
  const Program& b_;
  std::vector<char> params_;
  std::uint32_t scratch_row_ = 0;
  std::vector<char> rows_;      // per workspace row: may differ
  std::vector<char> recorded_;  // per recorded column (v * years + y): may differ
  std::vector<std::uint32_t> ring_pos_;
  int year_ = 0;
};

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

std::vector<bool> columns_known_same(const StudyScenario& a, const StudyScenario& b) {
  if (a.draws != b.draws || a.seed != b.seed || a.design != b.design ||
      a.stream_offset != b.stream_offset || !a.param_columns.empty() || !b.param_columns.empty() ||
      !same_shape(*a.program, *b.program))
    return {};
  const std::vector<char> differs =
      DifferenceFlow(*a.program, *b.program, parameters_that_may_differ(a, b)).run();
  std::vector<bool> known(differs.size());
  for (std::size_t c = 0; c < differs.size(); ++c) known[c] = differs[c] == 0;
  return known;
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
