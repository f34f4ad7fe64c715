// Common sub-expressions (common_subexpressions.hpp), by value numbering over each finished
// op list.
//
// Why a pass over the finished lists rather than a value table in the lowerer: the lowerer
// reuses temporaries from one equation to the next, writes an equation's last result
// straight into its variable, and the program builder adds the finish_var ops that clamp
// a variable in place and (in the base year) seed its history ring. Which value a slot
// holds at a given op is only known once all of these are in the list, and here every
// write is explicit. The pass runs before hoist_year_invariant, so a merged year-invariant
// value is then hoisted once.
//
// Value numbering: every value an op reads gets a number. Reading a slot row that no op
// of the list has written yet (a constant, a parameter, the year, last year's row of a
// variable through prev()) gives a fresh number for that row; a pure op's result is
// numbered by (code, numbers of its inputs), so two ops with the same key compute the
// same bits; any other op's result is a fresh number. A write to a slot changes the
// number its row holds from then on, so an overwritten temporary or a clamped variable is
// never mistaken for the value it held before.
#include "engine/compile/common_subexpressions.hpp"

#include <array>
#include <cstdint>
#include <map>
#include <utility>
#include <vector>

#include "engine/compile/op_slots.hpp"

namespace tamnhin {

namespace {

constexpr std::uint32_t kNone = UINT32_MAX;

// The value number each slot row holds at the current point of a list.
class ValueNumbers {
 public:
  explicit ValueNumbers(const Program& p) : p_(p) {}

  std::uint32_t read(Operand o) {
    const auto [it, fresh] = held_.try_emplace(row(o), next_);
    if (fresh) ++next_;
    return it->second;
  }

  void write(std::uint32_t slot, std::uint32_t value) { held_[row({slot, 0})] = value; }

  // Every row of the slot changes (finish_var seeds the history ring in the base year).
  void forget(std::uint32_t slot) {
    const auto first = static_cast<std::uint64_t>(slot) << 32;
    held_.erase(held_.lower_bound(first), held_.lower_bound(first + (std::uint64_t{1} << 32)));
  }

  std::uint32_t fresh() { return next_++; }

 private:
  // The ring row an operand names: lag modulo the slot's depth (a row of one slot).
  std::uint64_t row(Operand o) const {
    const std::uint32_t lag = o.lag % p_.slots[o.slot].depth;
    return (static_cast<std::uint64_t>(o.slot) << 32) | lag;
  }

  const Program& p_;
  std::map<std::uint64_t, std::uint32_t> held_;
  std::uint32_t next_ = 0;
};

bool is_temp(const Program& p, std::uint32_t slot) {
  return p.slots[slot].kind == SlotKind::temp;
}

// Temporaries read in a list before it writes them: they carry a value in from another
// list (none do before hoisting, but the pass must not depend on that), so their writes
// are kept as they are.
std::vector<char> carried_temporaries(const Program& p) {
  std::vector<char> carried(p.slots.size(), 0);
  for (const auto* ops : {&p.base_ops, &p.step_ops}) {
    std::vector<char> written(p.slots.size(), 0);
    for (const Op& op : *ops) {
      compile_detail::for_each_read(p, op, [&](std::uint32_t slot) {
        if (is_temp(p, slot) && written[slot] == 0) carried[slot] = 1;
      });
      compile_detail::for_each_write(p, op, [&](std::uint32_t slot) { written[slot] = 1; });
    }
  }
  return carried;
}

// What value numbering finds in one list: per op, the numbers of its inputs and of its
// result, and the earlier op that computed the same result (kNone if it is the first);
// per value number, the last op that reads it (a duplicate counts: it may become a copy).
struct Numbering {
  std::vector<std::array<std::uint32_t, 4>> inputs;
  std::vector<std::uint32_t> result;
  std::vector<std::size_t> first;
  std::vector<char> has_duplicate;
  std::map<std::uint32_t, std::size_t> last_read;
};

Numbering number_values(const Program& p, const std::vector<Op>& ops, bool base_year) {
  Numbering n;
  n.inputs.resize(ops.size());
  n.result.resize(ops.size());
  n.first.assign(ops.size(), kNone);
  n.has_duplicate.assign(ops.size(), 0);
  ValueNumbers held(p);
  // (code, input numbers) -> the op that first computed it.
  std::map<std::array<std::uint32_t, 5>, std::size_t> computed;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    const Op& op = ops[i];
    std::array<std::uint32_t, 5> key{static_cast<std::uint32_t>(op.code), kNone, kNone, kNone,
                                     kNone};
    for (int k = 0; k < arity(op.code); ++k) {
      const auto ku = static_cast<std::size_t>(k);
      n.inputs[i][ku] = held.read(op.in[ku]);
      n.last_read[n.inputs[i][ku]] = i;
      key[ku + 1] = n.inputs[i][ku];
    }
    if (op.code == OpCode::copy) {
      n.result[i] = n.inputs[i][0];  // the same bits in another slot
    } else if (is_pure(op.code)) {
      const auto [it, fresh] = computed.try_emplace(key, i);
      if (fresh) {
        n.result[i] = held.fresh();
      } else {
        n.first[i] = it->second;
        n.has_duplicate[it->second] = 1;
        n.result[i] = n.result[it->second];
        n.last_read[n.result[i]] = i;
      }
    } else {
      n.result[i] = held.fresh();
    }
    switch (op.code) {
      case OpCode::shock_group:
        for (const std::uint32_t slot : p.shock_groups[op.aux].member_slots) {
          held.forget(slot);
          held.write(slot, held.fresh());
        }
        break;
      case OpCode::finish_var: {
        // A clamp may change the value; without one this year's row keeps its bits. In
        // the base year the other rows of the ring are seeded too.
        const CompiledVar& var = p.vars[op.aux];
        const std::uint32_t before = held.read({var.slot, 0});
        if (base_year) held.forget(var.slot);
        held.write(var.slot, var.min || var.max ? held.fresh() : before);
        break;
      }
      default:
        held.write(op.dst.slot, n.result[i]);
    }
  }
  return n;
}

Op copy_op(Operand from, Operand to) {
  Op op;
  op.code = OpCode::copy;
  op.in[0] = from;
  op.dst = to;
  return op;
}

// The rows that hold merged values. Only the first op of a value writes its row, and only
// until the value's last reader; after that the row may hold another merged value, so a
// list needs as many rows as values are live at once, not one per value. No value is
// read after the end of its list, so every row is free at the start of a list.
class HomeRows {
 public:
  void start_list() {
    free_ = all_;
    busy_.clear();
  }

  // A row for a value first computed by op `i` and last read by op `last`. Rows whose
  // value was last read before op i are free again; one read by op i itself is not (op
  // i must not write a row it reads: the kernels' dst is restrict).
  std::uint32_t take(Program& p, std::size_t i, std::size_t last) {
    for (auto it = busy_.begin(); it != busy_.end();) {
      if (it->first < i) {
        free_.push_back(it->second);
        it = busy_.erase(it);
      } else {
        ++it;
      }
    }
    std::uint32_t slot = 0;
    if (free_.empty()) {
      slot = static_cast<std::uint32_t>(p.slots.size());
      p.slots.push_back(Slot{SlotKind::temp, p.rows, 1, 0});
      p.rows += 1;
      all_.push_back(slot);
    } else {
      slot = free_.back();
      free_.pop_back();
    }
    busy_.emplace_back(last, slot);
    return slot;
  }

 private:
  std::vector<std::uint32_t> all_, free_;
  std::vector<std::pair<std::size_t, std::uint32_t>> busy_;  // (last reader, row)
};

// Rewrites one list: the first op of each merged value writes a row of its own (and is
// copied to its own destination when that is not a free temporary), readers of the value
// read that row, and duplicates are dropped or become copies.
std::size_t merge_list(Program& p, std::vector<Op>& ops, bool base_year,
                       const std::vector<char>& carried, HomeRows& rows) {
  const Numbering n = number_values(p, ops, base_year);
  rows.start_list();
  std::map<std::uint32_t, std::uint32_t> home;  // value number -> its row's slot
  const auto free_temp = [&](std::uint32_t slot) { return is_temp(p, slot) && carried[slot] == 0; };
  std::vector<Op> out;
  out.reserve(ops.size());
  std::size_t merged = 0;
  for (std::size_t i = 0; i < ops.size(); ++i) {
    Op op = ops[i];
    for (int k = 0; k < arity(op.code); ++k) {
      const auto ku = static_cast<std::size_t>(k);
      const auto it = home.find(n.inputs[i][ku]);
      if (it != home.end()) op.in[ku] = Operand{it->second, 0};
    }
    if (n.first[i] != kNone) {
      ++merged;
      if (!free_temp(op.dst.slot)) out.push_back(copy_op({home.at(n.result[i]), 0}, op.dst));
      continue;
    }
    if (n.has_duplicate[i] == 0) {
      out.push_back(op);
      continue;
    }
    const std::uint32_t slot = rows.take(p, i, n.last_read.at(n.result[i]));
    home[n.result[i]] = slot;
    const Operand own_dst = op.dst;
    op.dst = Operand{slot, 0};
    out.push_back(op);
    if (!free_temp(own_dst.slot)) out.push_back(copy_op(op.dst, own_dst));
  }
  ops = std::move(out);
  return merged;
}

}  // namespace

std::size_t merge_common_subexpressions(Program& program) {
  const std::vector<char> carried = carried_temporaries(program);
  HomeRows rows;
  std::size_t merged = merge_list(program, program.base_ops, true, carried, rows);
  merged += merge_list(program, program.step_ops, false, carried, rows);
  return merged;
}

}  // namespace tamnhin
