#include "engine/compile/prune.hpp"

#include <vector>

#include "engine/compile/op_slots.hpp"
#include "engine/core/check.hpp"

namespace tamnhin {

using compile_detail::for_each_read;
using compile_detail::for_each_write;

Program prune_to_recorded(const Program& program, std::span<const std::size_t> keep) {
  const std::size_t n = program.slots.size();
  // Variables, parameters and other named slots: needed once any kept op reads them, in
  // any year (prev() reads earlier years of the same slot). Temporaries are reused by
  // unrelated ops (compile.cpp allocates them like registers), so for them liveness is
  // followed op by op, backwards through each year's list: a write is kept when a kept op
  // reads that value before the temporary is written again. The base year's list runs
  // once, then the later years' list again and again, so both lists end with what the
  // later years' list needs live at its start.
  std::vector<bool> needed(n, false);
  for (const CompiledVar& var : program.vars) {
    if (!var.recorded) continue;
    for (const std::size_t r : keep) {
      TAMNHIN_CHECK_LT(r, program.recorded.size());
      if (*var.recorded == r) needed[var.slot] = true;
    }
  }
  const auto is_temp = [&](std::uint32_t s) { return program.slots[s].kind == SlotKind::temp; };
  std::vector<bool> step_live_in(n, false);
  std::vector<bool> keep_base(program.base_ops.size()), keep_step(program.step_ops.size());
  // One backward pass over `ops` from the temporaries live at its end; returns whether a
  // named slot became needed. `live` ends as the temporaries live at the list's start.
  const auto pass = [&](const std::vector<Op>& ops, std::vector<bool>& kept,
                        std::vector<bool>& live) {
    bool grew = false;
    for (std::size_t i = ops.size(); i-- > 0;) {
      const Op& op = ops[i];
      bool wanted = false;
      for_each_write(program, op, [&](std::uint32_t s) {
        wanted = wanted || (is_temp(s) ? static_cast<bool>(live[s]) : static_cast<bool>(needed[s]));
      });
      kept[i] = wanted;
      if (!wanted) continue;
      for_each_write(program, op, [&](std::uint32_t s) {
        if (is_temp(s)) live[s] = false;
      });
      for_each_read(program, op, [&](std::uint32_t s) {
        if (is_temp(s)) {
          live[s] = true;
        } else if (!needed[s]) {
          needed[s] = true;
          grew = true;
        }
      });
    }
    return grew;
  };
  // To a fixed point: `needed` and the live temporaries only grow.
  for (bool changed = true; changed;) {
    std::vector<bool> step_live = step_live_in;
    changed = pass(program.step_ops, keep_step, step_live);
    if (step_live != step_live_in) {
      step_live_in = step_live;
      changed = true;
    }
    std::vector<bool> base_live = step_live_in;
    changed = pass(program.base_ops, keep_base, base_live) || changed;
  }

  Program out = program;
  const auto filter = [](std::vector<Op>& ops, const std::vector<bool>& kept) {
    std::size_t k = 0;
    for (std::size_t i = 0; i < ops.size(); ++i)
      if (kept[i]) ops[k++] = ops[i];
    ops.resize(k);
  };
  filter(out.base_ops, keep_base);
  filter(out.step_ops, keep_step);
  return out;
}

}  // namespace tamnhin
