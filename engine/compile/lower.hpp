// Lowering: the step of compilation that turns analysed equations into ops of the batch
// kernel (engine/compile/ops.hpp). The program builder (compile.cpp) lays out the slots
// and asks for each variable's equation in the order the years need them; the lowerer
// emits the ops, folds constants and makes the constants', temporaries' and states' slots.
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "engine/compile/analysis.hpp"
#include "engine/compile/program.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/model/model.hpp"

namespace tamnhin::compile_detail {

// A lowered sub-expression: a compile-time constant or an operand.
struct Value {
  bool is_const = false;
  double c = 0;
  Operand operand;
};

class Lowerer {
 public:
  Lowerer(const Model& model, const Analysis& analysis, Program& program, Diagnostics& diagnostics);
  ~Lowerer();
  Lowerer(const Lowerer&) = delete;
  Lowerer& operator=(const Lowerer&) = delete;

  // The slots of the variables, parameters and shock members, by index.
  void set_layout(std::vector<std::uint32_t> var_slots, std::vector<std::uint32_t> param_slots,
                  std::vector<std::uint32_t> shock_slots);
  // Emits the ops computing variable `v`'s equation into its current row.
  void equation(std::size_t v, std::vector<Op>& ops, bool evaluated_in_base_year);
  // Emits the op writing `value` to `dst` into the list set_ops (or equation) last named.
  void store(const Value& value, Operand dst);
  // The slot holding constant `c` (one per distinct value).
  std::uint32_t constant_slot(double c);
  std::uint32_t new_slot(SlotKind kind, std::uint32_t depth, std::uint32_t index);
  void set_ops(std::vector<Op>& ops);
  // Whether smooth() calls written alike share one state (on unless turned off).
  void share_smooth_states(bool on);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tamnhin::compile_detail
