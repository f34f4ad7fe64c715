#include "engine/sim/difference_flow.hpp"

#include <algorithm>
#include <bit>
#include <string>
#include <utility>

#include "engine/core/check.hpp"
#include "engine/sim/detail_program_equality.hpp"
#include "engine/sim/shared_parameters.hpp"

namespace tamnhin {

namespace {

using detail::same;
using detail::same_list;

// The row that operand (slot, lag) reads in year index `year`, as BatchRunner::row_of
// finds it: a variable with history reads row (year - lag) mod depth of its ring, which
// before the base year holds the seeded history.
std::uint32_t ring_row(const Slot& slot, std::uint32_t lag, int year) {
  if (slot.depth == 1) return slot.first_row;
  const std::uint32_t pos = static_cast<std::uint32_t>(year) % slot.depth;
  const std::uint32_t back = lag % slot.depth;
  return slot.first_row + (pos >= back ? pos - back : pos + slot.depth - back);
}

// How many of an op's inputs (in[0], in[1], ...) it reads in year index `year`, as the
// kernel does: smooth and the delays read fewer in their first year (op.aux), the random
// ops and path none, the others their arity. The flow and op_rows both follow it.
int inputs_read(const Op& op, int year) {
  const bool start = year == static_cast<int>(op.aux);
  switch (op.code) {
    case OpCode::smooth:
    case OpCode::delay_out:
      return start ? 1 : 3;
    case OpCode::delay_stock:
      return start ? 2 : 4;
    default:
      return arity(op.code);
  }
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

// The analysis itself: the simulator's year loop run on one flag per workspace row.
class FlowRun {
 public:
  FlowRun(const Program& a, const Program& b, std::vector<char> params)
      : a_(a), b_(b), params_(std::move(params)) {
    std::size_t largest_group = 0;
    for (const auto& g : a.shock_groups) largest_group = std::max(largest_group, g.sites.size());
    scratch_row_ = a.rows;
    // Unknown until written: a row read before any op wrote it would be flagged.
    rows_.assign(a.rows + largest_group, 1);
    recorded_.assign(a.recorded.size() * static_cast<std::size_t>(a.years), 1);
  }

  DifferenceFlow run() {
    DifferenceFlow out;
    for (int y = 0; y < a_.years; ++y) {
      year_ = y;
      rows_[row_of({a_.year_slot, 0})] = 0;
      rows_[row_of({a_.t_slot, 0})] = 0;
      std::vector<char>& ops = out.ops.emplace_back();
      for (const Op& op : a_.ops_for(y)) ops.push_back(execute(op));
    }
    out.columns = std::move(recorded_);
    return out;
  }

 private:
  static bool differ(double x, double y) {
    return std::bit_cast<std::uint64_t>(x) != std::bit_cast<std::uint64_t>(y);
  }

  std::uint32_t row_of(Operand o) const { return ring_row(a_.slots[o.slot], o.lag, year_); }

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

  // Returns whether what the op writes may differ: what it reads, or the data it reads
  // from the program (a table, a ramp's years, a path's value this year).
  char execute(const Op& op) {
    if (op.code == OpCode::shock_group) return shock_group(op.aux);
    if (op.code == OpCode::finish_var) return finish_var(op);
    const char out = inputs(op, inputs_read(op, year_)) | data_differs(op);
    rows_[row_of(op.dst)] = out;
    return out;
  }

  char data_differs(const Op& op) const {
    switch (op.code) {
      case OpCode::lookup:
        return same(a_.tables[op.aux].x, b_.tables[op.aux].x) &&
                       same(a_.tables[op.aux].y, b_.tables[op.aux].y)
                   ? 0
                   : 1;
      case OpCode::ramp:
        return differ(a_.ramps[op.aux].y0, b_.ramps[op.aux].y0) ||
                       differ(a_.ramps[op.aux].y1, b_.ramps[op.aux].y1)
                   ? 1
                   : 0;
      case OpCode::path:
        return differ(a_.paths[op.aux][static_cast<std::size_t>(year_)],
                      b_.paths[op.aux][static_cast<std::size_t>(year_)])
                   ? 1
                   : 0;
      case OpCode::normal_z:  // keyed by site (the same: same_shape), seed, year and draw
      case OpCode::uniform_u:
      case OpCode::smooth:
      case OpCode::delay_out:
      case OpCode::delay_stock:
        return 0;
      default:
        TAMNHIN_CHECK(is_pure(op.code));
        return 0;
    }
  }

  char shock_group(std::uint32_t g) {
    // The members are sums of the group's normals (keyed by site: the same) weighted by the
    // factor: all may differ when any weight does.
    const CompiledShockGroup& group = a_.shock_groups[g];
    const char out = same(group.factor, b_.shock_groups[g].factor) ? 0 : 1;
    for (std::size_t m = 0; m < group.sites.size(); ++m) rows_[scratch_row_ + m] = 0;
    for (const std::uint32_t slot : group.member_slots) rows_[row_of({slot, 0})] = out;
    return out;
  }

  // The ring seeds of year 0 may differ only where the value or the history does: both
  // are flagged in the op's result with the value, which is what a reader of the op needs.
  char finish_var(const Op& op) {
    const CompiledVar& var = a_.vars[op.aux];
    const CompiledVar& other = b_.vars[op.aux];
    const std::uint32_t row = row_of(op.dst);
    if (!same(var.min, other.min) || !same(var.max, other.max)) rows_[row] = 1;
    if (var.recorded)
      recorded_[*var.recorded * static_cast<std::size_t>(a_.years) +
                static_cast<std::size_t>(year_)] = rows_[row];
    char out = rows_[row];
    if (year_ != 0) return out;
    // The ring's seed (BatchRunner::finish_var): history when given, else the base value.
    const Slot& slot = a_.slots[var.slot];
    for (std::uint32_t r = 1; r < slot.depth; ++r) {
      const std::size_t k = slot.depth - r;
      rows_[slot.first_row + r] =
          k <= var.before_base.size()
              ? (differ(var.before_base[k - 1], other.before_base[k - 1]) ? 1 : 0)
              : rows_[row];
      out |= rows_[slot.first_row + r];
    }
    return out;
  }

  const Program& a_;
  const Program& b_;
  std::vector<char> params_;
  std::uint32_t scratch_row_ = 0;
  std::vector<char> rows_;      // per workspace row: may differ
  std::vector<char> recorded_;  // per recorded column (v * years + y): may differ
  int year_ = 0;
};

}  // namespace

std::optional<DifferenceFlow> difference_flow(const StudyScenario& a, const StudyScenario& b) {
  if (a.draws != b.draws || a.seed != b.seed || a.design != b.design ||
      a.stream_offset != b.stream_offset || !a.param_columns.empty() || !b.param_columns.empty() ||
      !same_shape(*a.program, *b.program))
    return std::nullopt;
  return FlowRun(*a.program, *b.program, parameters_that_may_differ(a, b)).run();
}

std::vector<bool> columns_known_same(const StudyScenario& a, const StudyScenario& b) {
  const std::optional<DifferenceFlow> flow = difference_flow(a, b);
  if (!flow) return {};
  std::vector<bool> known(flow->columns.size());
  for (std::size_t c = 0; c < known.size(); ++c) known[c] = flow->columns[c] == 0;
  return known;
}

OpRows op_rows(const Program& program, const Op& op, int year) {
  OpRows rows;
  const auto row = [&](Operand o, std::vector<std::uint32_t>& into) {
    const Slot& slot = program.slots[o.slot];
    if (slot.kind == SlotKind::temp || slot.kind == SlotKind::var)
      into.push_back(ring_row(slot, o.lag, year));
  };
  switch (op.code) {
    case OpCode::shock_group: {
      const CompiledShockGroup& group = program.shock_groups[op.aux];
      for (std::size_t m = 0; m < group.sites.size(); ++m)
        rows.writes.push_back(program.rows + static_cast<std::uint32_t>(m));  // its normals
      for (const std::uint32_t slot : group.member_slots) row({slot, 0}, rows.writes);
      return rows;
    }
    case OpCode::finish_var: {
      row(op.dst, rows.reads);  // clamped in place
      row(op.dst, rows.writes);
      const Slot& slot = program.slots[program.vars[op.aux].slot];
      if (year == 0)  // the ring's seed
        for (std::uint32_t r = 1; r < slot.depth; ++r) rows.writes.push_back(slot.first_row + r);
      return rows;
    }
    default:
      for (int k = 0; k < inputs_read(op, year); ++k)
        row(op.in[static_cast<std::size_t>(k)], rows.reads);
      break;
  }
  row(op.dst, rows.writes);
  return rows;
}

}  // namespace tamnhin
