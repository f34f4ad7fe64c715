#include "engine/sim/reuse_plan.hpp"

#include <algorithm>
#include <optional>

#include "engine/sim/difference_flow.hpp"

namespace tamnhin {

ReusePlan plan_reuse(const StudyScenario& scenario, const StudyScenario& source) {
  const std::optional<DifferenceFlow> flow = difference_flow(scenario, source);
  if (!flow) return {};
  const Program& p = *scenario.program;
  const auto years = static_cast<std::size_t>(p.years);

  // A finish_var's flag covers its recorded column and, in the base year, the ring it
  // seeds (difference_flow.cpp): a 0 there means the column is the source's too.
  // A bounded variable loads only when its finish_var's result is the source's in every
  // year (else the years it runs would count clamps and the others not).
  std::vector<char> same_every_year(p.vars.size(), 1);
  for (std::size_t y = 0; y < years; ++y) {
    const std::vector<Op>& ops = p.ops_for(static_cast<int>(y));
    for (std::size_t i = 0; i < ops.size(); ++i)
      if (ops[i].code == OpCode::finish_var && flow->ops[y][i] != 0)
        same_every_year[ops[i].aux] = 0;
  }
  const auto loads = [&](const Op& op, std::size_t y, std::size_t i) {
    if (op.code != OpCode::finish_var || flow->ops[y][i] != 0) return false;
    const CompiledVar& var = p.vars[op.aux];
    return var.recorded && ((!var.min && !var.max) || same_every_year[op.aux] != 0);
  };

  std::size_t largest_group = 0;
  for (const auto& g : p.shock_groups) largest_group = std::max(largest_group, g.sites.size());
  std::vector<char> live(p.rows + largest_group, 0);  // read later by an op that runs
  ReusePlan plan;
  plan.actions.resize(years);
  for (std::size_t y = years; y-- > 0;) {
    const std::vector<Op>& ops = p.ops_for(static_cast<int>(y));
    std::vector<OpAction>& actions = plan.actions[y];
    actions.assign(ops.size(), OpAction::run);
    for (std::size_t i = ops.size(); i-- > 0;) {
      const Op& op = ops[i];
      const OpRows rows = op_rows(p, op, static_cast<int>(y));
      const bool needed = std::any_of(rows.writes.begin(), rows.writes.end(),
                                      [&](std::uint32_t r) { return live[r] != 0; });
      // A finish_var also records, clamps (counted) and checks: it runs unless it loads,
      // but for a variable neither recorded nor bounded whose value nothing reads.
      const bool finishes_something =
          op.code == OpCode::finish_var &&
          (p.vars[op.aux].recorded || p.vars[op.aux].min || p.vars[op.aux].max);
      if (loads(op, y, i)) {
        actions[i] = needed ? OpAction::load : OpAction::record;
      } else if (flow->ops[y][i] == 0 && !needed && !finishes_something) {
        actions[i] = OpAction::skip;
      }
      for (const std::uint32_t r : rows.writes) live[r] = 0;
      if (actions[i] == OpAction::run)
        for (const std::uint32_t r : rows.reads) live[r] = 1;
    }
  }
  for (std::uint32_t v = 0; v < p.vars.size(); ++v) {
    const CompiledVar& var = p.vars[v];
    if ((var.min || var.max) && var.recorded && same_every_year[v] != 0)
      plan.copied_clamps.push_back(v);  // loaded in every year
  }
  return plan;
}

}  // namespace tamnhin
