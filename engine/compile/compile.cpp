#include "engine/compile/compile.hpp"

#include <map>
#include <optional>

#include "engine/compile/analysis.hpp"
#include "engine/compile/common_subexpressions.hpp"
#include "engine/compile/dependency_order.hpp"
#include "engine/compile/hoist.hpp"
#include "engine/compile/lower.hpp"
#include "engine/random/correlation.hpp"

namespace tamnhin {

namespace {

using compile_detail::Analysis;
using compile_detail::Lowerer;
using compile_detail::Value;

void report_cycles(const Model& model, const OrderResult& order, Diagnostics& d) {
  for (const auto& cycle : order.cycles) {
    const VarSpec& first = model.vars[cycle.front()];
    if (cycle.size() == 1) {
      d.add(first.eq->where, "vars." + first.name + ".eq",
            "'" + first.name + "' reads its own value in the same year",
            "use prev(" + first.name + ") for last year's value");
      continue;
    }
    std::string members;
    for (std::size_t v : cycle) members += (members.empty() ? "" : ", ") + model.vars[v].name;
    d.add(first.eq->where, "vars." + first.name + ".eq", "same-year cycle between " + members,
          "break it with prev() on one of them: each needs the others in the same year");
  }
}

// The phases after the analysis, in order: lay out the slots of the parameters, variables,
// shock members and tables; lower the base year; lower the later years; give every slot
// its rows. Each phase is one method.
class ProgramBuilder {
 public:
  ProgramBuilder(const Model& model, const Analysis& analysis, const CompileOptions& options,
                 Diagnostics& d)
      : model_(model), a_(analysis), lower_(model, analysis, p_, d) {
    lower_.share_smooth_states(options.merge_common_subexpressions);
    p_.model_name = model.name;
    p_.region = model.region;
    p_.programme_targets = model.programme_targets;
    p_.base_year = model.base_year;
    p_.years = model.years();
  }

  void lay_out() {
    p_.year_slot = lower_.new_slot(SlotKind::year, 1, 0);
    p_.t_slot = lower_.new_slot(SlotKind::years_since_base, 1, 0);
    lay_out_params();
    lay_out_vars();
    lay_out_shocks();
    for (const auto& t : model_.tables) {
      CompiledTable compiled;
      for (const auto& [x, y] : t.points) {
        compiled.x.push_back(x);
        compiled.y.push_back(y);
      }
      p_.tables.push_back(std::move(compiled));
    }
    lower_.set_layout(var_slots_, param_slots_, shock_slots_);
  }

  // Base year: base values first (prev() of anything reads them), then paths, then the
  // equations of variables without a base value, in dependency order.
  void lower_base_year(const std::vector<std::size_t>& order) {
    shocks(p_.base_ops);
    lower_.set_ops(p_.base_ops);
    for (std::size_t v = 0; v < model_.vars.size(); ++v) {
      if (!model_.vars[v].base) continue;
      lower_.store(Value{true, *model_.vars[v].base, {}}, Operand{var_slots_[v], 0});
      finish(p_.base_ops, v);
    }
    for (std::size_t v = 0; v < model_.vars.size(); ++v) {
      if (model_.vars[v].base || model_.vars[v].eq) continue;
      path_op(p_.base_ops, v);
      finish(p_.base_ops, v);
    }
    for (std::size_t v : order) {
      if (model_.vars[v].base || !model_.vars[v].eq) continue;
      lower_.equation(v, p_.base_ops, true);
      finish(p_.base_ops, v);
    }
  }

  // Later years: every variable in dependency order.
  void lower_later_years(const std::vector<std::size_t>& order) {
    shocks(p_.step_ops);
    for (std::size_t v : order) {
      if (model_.vars[v].eq) {
        lower_.equation(v, p_.step_ops, !model_.vars[v].base.has_value());
      } else {
        path_op(p_.step_ops, v);
      }
      finish(p_.step_ops, v);
    }
  }

  // Rows are given last: lowering adds slots (constants, temporaries, states).
  Program assign_rows() {
    std::uint32_t row = 0;
    for (auto& slot : p_.slots) {
      slot.first_row = row;
      row += slot.depth;
    }
    p_.rows = row;
    return std::move(p_);
  }

 private:
  // Random parameters get a slot each; constant ones are folded into the equations.
  void lay_out_params() {
    param_slots_.assign(model_.params.size(), 0);
    std::vector<std::size_t> random_index(model_.params.size(), 0);
    for (std::size_t i = 0; i < model_.params.size(); ++i) {
      const ParamSpec& spec = model_.params[i];
      if (!spec.marginal.is_random()) continue;
      random_index[i] = p_.params.size();
      const auto slot =
          lower_.new_slot(SlotKind::param, 1, static_cast<std::uint32_t>(p_.params.size()));
      param_slots_[i] = slot;
      p_.params.push_back({spec.name, spec.marginal, slot});
    }
    for (const auto& c : model_.correlations) {
      random::CorrelationGroup group;
      for (const auto& name : c.params) {
        for (std::size_t i = 0; i < model_.params.size(); ++i) {
          if (model_.params[i].name == name) group.members.push_back(random_index[i]);
        }
      }
      group.matrix = c.matrix;
      p_.correlations.push_back(std::move(group));
    }
  }

  // A variable's slot keeps as many years as prev() reads back, plus this year.
  void lay_out_vars() {
    var_slots_.assign(model_.vars.size(), 0);
    for (std::size_t v = 0; v < model_.vars.size(); ++v) {
      const VarSpec& spec = model_.vars[v];
      CompiledVar var;
      var.name = spec.name;
      var.slot = lower_.new_slot(SlotKind::var, a_.max_lag[v] + 1, static_cast<std::uint32_t>(v));
      var.min = spec.min;
      var.max = spec.max;
      var.where = spec.eq ? spec.eq->where : spec.where;
      if (spec.recorded()) {
        var.recorded = static_cast<std::uint32_t>(p_.recorded.size());
        p_.recorded.push_back({spec.name, spec.unit, spec.labels, spec.history});
        for (const auto& t : spec.targets) {
          p_.targets.push_back(
              {*var.recorded, t.year, t.comparator, t.threshold, t.source, t.labels});
        }
      }
      var.before_base = before_base(spec, a_.max_lag[v]);
      var_slots_[v] = var.slot;
      p_.vars.push_back(std::move(var));
    }
  }

  // The values prev() reads before the base year: the history, linear between its years and
  // on to the base-year value. The analysis rejected reads before the history starts.
  std::vector<double> before_base(const VarSpec& spec, std::uint32_t max_lag) const {
    std::map<int, double> known(spec.history.begin(), spec.history.lower_bound(model_.base_year));
    if (known.empty()) return {};  // years from the base year on are for the report only
    known[model_.base_year] = spec.base ? *spec.base : path_value(spec.path, model_.base_year);
    std::vector<double> values;
    for (std::uint32_t k = 1; k <= max_lag; ++k)
      values.push_back(path_value(known, model_.base_year - static_cast<int>(k)));
    return values;
  }

  void lay_out_shocks() {
    for (const auto& group : model_.shocks) {
      CompiledShockGroup compiled;
      for (const auto& member : group.names) {
        CompiledVar var;
        var.name = member;
        var.slot = lower_.new_slot(SlotKind::var, 1, static_cast<std::uint32_t>(p_.vars.size()));
        var.where = group.where;
        compiled.sites.push_back("shock/" + group.name + "/" + member);
        compiled.member_slots.push_back(var.slot);
        shock_slots_.push_back(var.slot);
        p_.vars.push_back(std::move(var));
      }
      // A matrix validate_model rejected (and reported) still compiles, with the identity,
      // so that `check` can go on to report equation problems; such a program is never run.
      const std::size_t k = group.names.size();
      auto factor =
          group.matrix.size() == k * k ? random::correlation_factor(group.matrix, k) : std::nullopt;
      if (!factor) {
        factor.emplace(k * k, 0.0);
        for (std::size_t i = 0; i < k; ++i) (*factor)[i * k + i] = 1.0;
      }
      compiled.factor = std::move(*factor);
      p_.shock_groups.push_back(std::move(compiled));
    }
  }

  void finish(std::vector<Op>& ops, std::size_t v) {
    Op op;
    op.code = OpCode::finish_var;
    op.dst = Operand{var_slots_[v], 0};
    op.aux = static_cast<std::uint32_t>(v);
    ops.push_back(op);
  }

  // A path's values are tabulated once, shared by the base-year and later-year ops.
  void path_op(std::vector<Op>& ops, std::size_t v) {
    auto [it, fresh] = path_of_var_.emplace(v, static_cast<std::uint32_t>(p_.paths.size()));
    if (fresh) {
      std::vector<double> values;
      values.reserve(static_cast<std::size_t>(p_.years));
      for (int y = 0; y < p_.years; ++y)
        values.push_back(path_value(model_.vars[v].path, p_.base_year + y));
      p_.paths.push_back(std::move(values));
    }
    Op op;
    op.code = OpCode::path;
    op.dst = Operand{var_slots_[v], 0};
    op.aux = it->second;
    ops.push_back(op);
  }

  void shocks(std::vector<Op>& ops) {
    for (std::size_t g = 0; g < p_.shock_groups.size(); ++g) {
      Op op;
      op.code = OpCode::shock_group;
      op.aux = static_cast<std::uint32_t>(g);
      ops.push_back(op);
    }
  }

  const Model& model_;
  const Analysis& a_;
  Program p_;
  Lowerer lower_;
  std::vector<std::uint32_t> var_slots_, param_slots_, shock_slots_;
  std::map<std::size_t, std::uint32_t> path_of_var_;
};

// Same-year dependencies between variables, ordered; a cycle is reported.
OrderResult order_variables(const Model& model, const Analysis& a, Diagnostics& d) {
  DependencyGraph graph;
  graph.nodes = model.vars.size();
  graph.reads.resize(model.vars.size());
  for (std::size_t v = 0; v < model.vars.size(); ++v) {
    graph.reads[v].assign(a.vars[v].same_year_reads.begin(), a.vars[v].same_year_reads.end());
  }
  OrderResult order = dependency_order(graph);
  report_cycles(model, order, d);
  return order;
}

}  // namespace

std::optional<Program> compile(const Model& dimensioned, Diagnostics& diagnostics,
                               const CompileOptions& options) {
  // Every element of a dimensioned item is an item of its own from here on.
  const FlatModel flat = flatten_dimensions(dimensioned);
  const Model& model = flat.model;
  Diagnostics d;
  const Analysis a = compile_detail::analyse_model(flat, d);
  const OrderResult order = order_variables(model, a, d);
  if (!d.empty()) {
    diagnostics.append(d);
    return std::nullopt;
  }
  // `check` compiles models that failed to load, to report their equations' problems too;
  // one whose years validate_model rejected (end_year before base_year) has no years to
  // lower into, and that problem is already reported.
  if (model.years() < 1) return std::nullopt;

  ProgramBuilder builder(model, a, options, d);
  builder.lay_out();
  builder.lower_base_year(order.order);
  builder.lower_later_years(order.order);
  if (!d.empty()) {
    compile_detail::append_unique(diagnostics, d);
    return std::nullopt;
  }
  Program program = builder.assign_rows();
  // Merged first, so that a value two equations share is hoisted once if it is invariant.
  if (options.merge_common_subexpressions) merge_common_subexpressions(program);
  hoist_year_invariant(program);
  return program;
}

}  // namespace tamnhin
