// Internal to engine/compile: the slots an op reads and writes, for the passes that follow
// values through the finished op lists (prune.cpp, common_subexpressions.cpp).
#pragma once

#include <cstddef>
#include <cstdint>

#include "engine/compile/program.hpp"

namespace tamnhin::compile_detail {

// The slots an op reads. finish_var reads (and rewrites) its variable's slot.
void for_each_read(const Program& p, const Op& op, auto&& f) {
  switch (op.code) {
    case OpCode::normal_z:
    case OpCode::uniform_u:
    case OpCode::path:
    case OpCode::shock_group:
      return;
    case OpCode::finish_var:
      f(p.vars[op.aux].slot);
      return;
    default:
      for (int k = 0; k < traits(op.code).arity; ++k) f(op.in[static_cast<std::size_t>(k)].slot);
  }
}

// The slots an op writes: its destination, or every member of a shock group.
void for_each_write(const Program& p, const Op& op, auto&& f) {
  if (op.code == OpCode::shock_group) {
    for (const std::uint32_t slot : p.shock_groups[op.aux].member_slots) f(slot);
  } else if (op.code == OpCode::finish_var) {
    f(p.vars[op.aux].slot);
  } else {
    f(op.dst.slot);
  }
}

}  // namespace tamnhin::compile_detail
