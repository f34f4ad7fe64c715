// A compiled model: flat lists of ops over slots, plus the data the ops refer to.
// A slot is a row of B lanes (one per draw of a batch). Variables own `depth` rows, a ring
// of their last years, so prev(x, k) reads row (year - k) mod depth; other slots own one.
//
// Each year runs one list: `base_ops` in the base year, `step_ops` in every later year.
// Both start with the shock groups, compute every variable in dependency order, and end
// each variable with a finish_var op (clamp, finiteness check, record).
//
// Nothing here depends on the number of draws, the batch size or threads, and nothing
// assumes one step per year beyond `year_index`, so a sub-annual step can be added later.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/compile/ops.hpp"
#include "engine/core/comparator.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/core/programme_target.hpp"
#include "engine/core/recorded.hpp"
#include "engine/random/marginal.hpp"
#include "engine/random/sampling.hpp"

namespace tamnhin {

enum class SlotKind : std::uint8_t { constant, param, year, years_since_base, temp, var };

struct Slot {
  SlotKind kind = SlotKind::temp;
  std::uint32_t first_row = 0;
  std::uint32_t depth = 1;  // rows of history (variables); 1 otherwise
  std::uint32_t index = 0;  // constant: into constants; param: into params; var: into vars
};

struct Operand {
  std::uint32_t slot = 0;
  std::uint32_t lag = 0;  // years back; only variables have lag > 0
};

struct Op {
  OpCode code = OpCode::copy;
  Operand dst;
  std::array<Operand, 4> in{};
  std::uint32_t aux = 0;
};

struct CompiledVar {
  std::string name;
  std::uint32_t slot = 0;
  std::optional<double> min, max;
  std::optional<std::uint32_t> recorded;  // index into Program::recorded
  // Seeds the history ring in the base year: [k - 1] is the value of year base - k, for
  // k = 1 .. depth - 1. Empty: every earlier year holds the base-year value.
  std::vector<double> before_base;
  SourceLocation where;  // of its equation, else of its definition
};

struct CompiledParam {
  std::string name;
  random::Marginal marginal;
  std::uint32_t slot = 0;
};

struct CompiledTable {
  std::vector<double> x, y;
};

struct CompiledRamp {
  double y0 = 0, y1 = 0;  // calendar years
};

struct CompiledShockGroup {
  std::vector<std::string> sites;  // one random site per member
  std::vector<std::uint32_t> member_slots;
  std::vector<double> factor;  // F with F F^T = the group's correlation
};

struct Program {
  std::string model_name;
  std::string region;                              // the model's, for the outputs
  std::vector<ProgrammeTarget> programme_targets;  // the model's, for the scorecard
  int base_year = 0;
  int years = 0;           // number of simulated years, base..end inclusive
  std::uint32_t rows = 0;  // rows of B lanes a workspace needs

  std::vector<Slot> slots;
  std::vector<double> constants;
  std::vector<CompiledParam> params;  // random parameters only; constants were folded
  std::vector<random::CorrelationGroup> correlations;  // indices into params
  std::vector<CompiledVar> vars;  // model variables, then shock members and states
  std::vector<CompiledTable> tables;
  std::vector<CompiledRamp> ramps;
  std::vector<std::vector<double>> paths;  // per path: value for each year index
  std::vector<std::string> sites;          // random sites of equations ("eq/<var>/<k>")
  std::vector<CompiledShockGroup> shock_groups;
  std::uint32_t year_slot = 0, t_slot = 0;

  std::vector<Op> base_ops;
  std::vector<Op> step_ops;

  std::vector<RecordedVariable> recorded;  // model order
  std::vector<TargetSpec> targets;         // model order, then scenario additions

  const std::vector<Op>& ops_for(int year_index) const {
    return year_index == 0 ? base_ops : step_ops;
  }
};

}  // namespace tamnhin
