#include "engine/compile/hoist.hpp"

#include <cstdint>
#include <vector>

namespace tamnhin {

std::size_t hoist_year_invariant(Program& p) {
  constexpr std::uint32_t kNone = UINT32_MAX;
  // invariant[s]: slot s holds the same lanes in every year of a batch.
  std::vector<char> invariant(p.slots.size(), 0);
  for (std::size_t s = 0; s < p.slots.size(); ++s)
    invariant[s] = p.slots[s].kind == SlotKind::constant || p.slots[s].kind == SlotKind::param;
  // alias[t]: the hoisted slot that holds temporary t's current value, while no later op
  // has written t again.
  std::vector<std::uint32_t> alias(p.slots.size(), kNone);
  std::vector<Op> hoisted, kept;
  for (Op op : p.step_ops) {
    const OpTraits tr = traits(op.code);
    bool movable = tr.pure && p.slots[op.dst.slot].kind == SlotKind::temp && op.dst.lag == 0;
    for (int i = 0; i < tr.arity; ++i) {
      Operand& in = op.in[static_cast<std::size_t>(i)];
      if (in.lag == 0 && alias[in.slot] != kNone) in.slot = alias[in.slot];
      movable = movable && in.lag == 0 && invariant[in.slot] != 0;
    }
    if (movable) {
      const auto slot = static_cast<std::uint32_t>(p.slots.size());
      p.slots.push_back(Slot{SlotKind::temp, p.rows, 1, 0});
      p.rows += 1;
      invariant.push_back(1);
      alias.push_back(kNone);
      alias[op.dst.slot] = slot;
      op.dst.slot = slot;
      hoisted.push_back(op);
    } else {
      alias[op.dst.slot] = kNone;  // written again: later reads see this op's value
      kept.push_back(op);
    }
  }
  p.step_ops = std::move(kept);
  p.base_ops.insert(p.base_ops.begin(), hoisted.begin(), hoisted.end());
  return hoisted.size();
}

}  // namespace tamnhin
