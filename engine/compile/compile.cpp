#include "engine/compile/compile.hpp"

#include <bit>
#include <map>

#include "engine/compile/analysis.hpp"
#include "engine/compile/dependency_order.hpp"
#include "engine/core/check.hpp"
#include "engine/random/correlation.hpp"

namespace tamnhin {

const std::vector<FunctionInfo>& builtin_functions() {
  static const std::vector<FunctionInfo> functions = {
      {"prev", 1, 2, "prev(x) or prev(x, k): x one / k years earlier"},
      {"normal", 2, 2, "normal(mean, sd): a fresh draw every year"},
      {"lognormal", 2, 2, "lognormal(mu, sigma): mu and sigma of the log"},
      {"uniform", 2, 2, "uniform(a, b)"},
      {"triangular", 3, 3, "triangular(min, mode, max)"},
      {"min", 2, -1, "min(a, b, ...)"},
      {"max", 2, -1, "max(a, b, ...)"},
      {"clamp", 3, 3, "clamp(x, lo, hi)"},
      {"abs", 1, 1, "abs(x)"},
      {"exp", 1, 1, "exp(x)"},
      {"log", 1, 1, "log(x): natural logarithm"},
      {"sqrt", 1, 1, "sqrt(x)"},
      {"pow", 2, 2, "pow(x, y) = x ^ y"},
      {"if", 3, 3, "if(condition, value_if_true, value_if_false)"},
      {"logistic", 1, 1, "logistic(x) = 1 / (1 + exp(-x))"},
      {"lookup", 2, 2, "lookup(table, x): piecewise-linear in [tables.<table>]"},
      {"ramp", 4, 4, "ramp(year0, v0, year1, v1)"},
      {"smooth", 2, 2, "smooth(x, tau): first-order exponential smoothing"},
  };
  return functions;
}

namespace {

using compile_detail::Analysis;
using compile_detail::NameRef;

// A lowered sub-expression: a compile-time constant or an operand.
struct Value {
  bool is_const = false;
  double c = 0;
  Operand operand;
};

class Lowerer {
 public:
  Lowerer(const Model& model, const Analysis& analysis, Program& program, Diagnostics& diagnostics)
      : model_(model), a_(analysis), p_(program), d_(diagnostics) {}

  void set_layout(std::vector<std::uint32_t> var_slots, std::vector<std::uint32_t> param_slots,
                  std::vector<std::uint32_t> shock_slots) {
    var_slots_ = std::move(var_slots);
    param_slots_ = std::move(param_slots);
    shock_slots_ = std::move(shock_slots);
  }

  // Emits the ops computing variable `v`'s equation into its current row.
  void equation(std::size_t v, std::vector<Op>& ops, bool evaluated_in_base_year) {
    ops_ = &ops;
    v_ = v;
    base_evaluated_ = evaluated_in_base_year;
    next_temp_ = 0;
    const Value result = lower(*a_.vars[v].ast);
    store(result, Operand{var_slots_[v], 0});
  }

  void store(const Value& value, Operand dst) {
    if (!value.is_const && !ops_->empty() && is_temp(value.operand) &&
        ops_->back().dst.slot == value.operand.slot) {
      ops_->back().dst = dst;  // write the last result straight into the variable
      return;
    }
    Op op;
    op.code = OpCode::copy;
    op.dst = dst;
    op.in[0] = materialise(value);
    ops_->push_back(op);
  }

  std::uint32_t constant_slot(double c) {
    const auto bits = std::bit_cast<std::uint64_t>(c);
    auto it = constant_slots_.find(bits);
    if (it != constant_slots_.end()) return it->second;
    const auto slot =
        new_slot(SlotKind::constant, 1, static_cast<std::uint32_t>(p_.constants.size()));
    p_.constants.push_back(c);
    constant_slots_.emplace(bits, slot);
    return slot;
  }

  std::uint32_t new_slot(SlotKind kind, std::uint32_t depth, std::uint32_t index) {
    p_.slots.push_back(Slot{kind, 0, depth, index});
    return static_cast<std::uint32_t>(p_.slots.size() - 1);
  }

  void set_ops(std::vector<Op>& ops) { ops_ = &ops; }

 private:
  bool is_temp(Operand o) const { return p_.slots[o.slot].kind == SlotKind::temp; }

  Operand materialise(const Value& v) {
    return v.is_const ? Operand{constant_slot(v.c), 0} : v.operand;
  }

  Operand temp() {
    if (next_temp_ == temps_.size()) temps_.push_back(new_slot(SlotKind::temp, 1, 0));
    return Operand{temps_[next_temp_++], 0};
  }

  Value pure(OpCode code, std::initializer_list<Value> args) {
    bool all_const = true;
    for (const auto& a : args) all_const = all_const && a.is_const;
    if (all_const) {
      double in[4] = {0, 0, 0, 0};
      std::size_t i = 0;
      for (const auto& a : args) in[i++] = a.c;
      return Value{true, fold_pure_op(code, in[0], in[1], in[2], in[3]), {}};
    }
    Op op;
    op.code = code;
    std::size_t i = 0;
    for (const auto& a : args) op.in[i++] = materialise(a);
    op.dst = temp();
    ops_->push_back(op);
    return Value{false, 0, op.dst};
  }

  Value special(OpCode code, std::uint32_t aux, std::initializer_list<Value> args) {
    Op op;
    op.code = code;
    op.aux = aux;
    std::size_t i = 0;
    for (const auto& a : args) op.in[i++] = materialise(a);
    op.dst = temp();
    ops_->push_back(op);
    return Value{false, 0, op.dst};
  }

  void error(const Expr& at, const std::string& message, const std::string& hint = {}) {
    const auto& v = a_.vars[v_];
    d_.add(compile_detail::location_in_equation(v, at.offset), v.origin.subject, message, hint);
  }

  Value name(const std::string& n) {
    const NameRef& ref = a_.names.at(n);
    switch (ref.kind) {
      case NameRef::Kind::var:
        return Value{false, 0, {var_slots_[ref.index], 0}};
      case NameRef::Kind::param: {
        const ParamSpec& p = model_.params[ref.index];
        if (!p.marginal.is_random()) return Value{true, p.marginal.a, {}};
        return Value{false, 0, {param_slots_[ref.index], 0}};
      }
      case NameRef::Kind::shock:
        return Value{false, 0, {shock_slots_[ref.index], 0}};
      case NameRef::Kind::year:
        return Value{false, 0, {p_.year_slot, 0}};
      case NameRef::Kind::t:
        return Value{false, 0, {p_.t_slot, 0}};
      case NameRef::Kind::table:
        break;
    }
    TAMNHIN_CHECK(false);  // tables were rejected by the analysis
    return {};
  }

  Value lower(const Expr& e) {
    switch (e.kind) {
      case ExprKind::number:
        return Value{true, e.number, {}};
      case ExprKind::name:
        return name(e.name);
      case ExprKind::unary: {
        const Value x = lower(*e.args[0]);
        return pure(e.unary_op == UnaryOp::negate ? OpCode::negate : OpCode::logical_not, {x});
      }
      case ExprKind::binary: {
        const Value l = lower(*e.args[0]);
        const Value r = lower(*e.args[1]);
        return pure(binary_code(e.binary_op), {l, r});
      }
      case ExprKind::call:
        return call(e);
    }
    return {};
  }

  static OpCode binary_code(BinaryOp op) {
    switch (op) {
      case BinaryOp::add:
        return OpCode::add;
      case BinaryOp::sub:
        return OpCode::sub;
      case BinaryOp::mul:
        return OpCode::mul;
      case BinaryOp::div:
        return OpCode::div;
      case BinaryOp::pow:
        return OpCode::pow;
      case BinaryOp::lt:
        return OpCode::lt;
      case BinaryOp::le:
        return OpCode::le;
      case BinaryOp::gt:
        return OpCode::gt;
      case BinaryOp::ge:
        return OpCode::ge;
      case BinaryOp::eq:
        return OpCode::eq;
      case BinaryOp::ne:
        return OpCode::ne;
      case BinaryOp::logical_and:
        return OpCode::logical_and;
      case BinaryOp::logical_or:
        return OpCode::logical_or;
    }
    return OpCode::add;
  }

  std::uint32_t site(const Expr& e) {
    const std::string s =
        "eq/" + model_.vars[v_].name + "/" + std::to_string(a_.vars[v_].random_site.at(&e));
    for (std::size_t i = 0; i < p_.sites.size(); ++i) {
      if (p_.sites[i] == s) return static_cast<std::uint32_t>(i);
    }
    p_.sites.push_back(s);
    return static_cast<std::uint32_t>(p_.sites.size() - 1);
  }

  Value call(const Expr& e) {
    const std::string& f = e.name;
    const auto arg = [&](std::size_t i) { return lower(*e.args[i]); };
    if (f == "prev") {
      const Expr& target = *e.args[0];
      const NameRef& ref = a_.names.at(target.name);
      if (ref.kind != NameRef::Kind::var) return name(target.name);
      const auto lag = e.args.size() == 2 ? static_cast<std::uint32_t>(e.args[1]->number) : 1u;
      return Value{false, 0, {var_slots_[ref.index], lag}};
    }
    if (f == "normal") {
      const Value z = special(OpCode::normal_z, site(e), {});
      return pure(OpCode::add, {arg(0), pure(OpCode::mul, {arg(1), z})});
    }
    if (f == "lognormal") {
      const Value z = special(OpCode::normal_z, site(e), {});
      return pure(OpCode::exp, {pure(OpCode::add, {arg(0), pure(OpCode::mul, {arg(1), z})})});
    }
    if (f == "uniform") {
      const Value u = special(OpCode::uniform_u, site(e), {});
      const Value lo = arg(0);
      return pure(OpCode::add, {lo, pure(OpCode::mul, {pure(OpCode::sub, {arg(1), lo}), u})});
    }
    if (f == "triangular") {
      const Value u = special(OpCode::uniform_u, site(e), {});
      return pure(OpCode::triangular, {u, arg(0), arg(1), arg(2)});
    }
    if (f == "min" || f == "max") {
      Value acc = arg(0);
      for (std::size_t i = 1; i < e.args.size(); ++i)
        acc = pure(f == "min" ? OpCode::min : OpCode::max, {acc, arg(i)});
      return acc;
    }
    if (f == "clamp") return pure(OpCode::clamp, {arg(0), arg(1), arg(2)});
    if (f == "abs") return pure(OpCode::abs, {arg(0)});
    if (f == "exp") return pure(OpCode::exp, {arg(0)});
    if (f == "log") return pure(OpCode::log, {arg(0)});
    if (f == "sqrt") return pure(OpCode::sqrt, {arg(0)});
    if (f == "pow") return pure(OpCode::pow, {arg(0), arg(1)});
    if (f == "logistic") return pure(OpCode::logistic, {arg(0)});
    if (f == "if") {
      const Value c = arg(0);
      if (c.is_const) return c.c != 0.0 ? arg(1) : arg(2);
      return pure(OpCode::select, {c, arg(1), arg(2)});
    }
    if (f == "lookup") return lookup(e);
    if (f == "ramp") return ramp(e);
    if (f == "smooth") return smooth(e);
    TAMNHIN_CHECK(false);  // every builtin is handled above
    return {};
  }

  Value lookup(const Expr& e) {
    const auto table = a_.names.at(e.args[0]->name).index;
    const Value x = lower(*e.args[1]);
    const CompiledTable& t = p_.tables[table];
    // A table without points was reported by validate_model, but `check` compiles such a
    // model too (to report its equations' problems): fold only a table that has points.
    if (x.is_const && !t.x.empty()) {
      // Same arithmetic as the simulator's lookup kernel.
      const double v = x.c;
      if (v <= t.x.front()) return Value{true, t.y.front(), {}};
      if (v >= t.x.back()) return Value{true, t.y.back(), {}};
      std::size_t k = 1;
      while (t.x[k] < v) ++k;
      const double w = (v - t.x[k - 1]) / (t.x[k] - t.x[k - 1]);
      return Value{true, t.y[k - 1] + w * (t.y[k] - t.y[k - 1]), {}};
    }
    return special(OpCode::lookup, static_cast<std::uint32_t>(table), {x});
  }

  Value ramp(const Expr& e) {
    const Value y0 = lower(*e.args[0]);
    const Value v0 = lower(*e.args[1]);
    const Value y1 = lower(*e.args[2]);
    const Value v1 = lower(*e.args[3]);
    if (!y0.is_const || !y1.is_const) {
      error(e, "the years of ramp() must be fixed numbers", "e.g. ramp(2025, 0.2, 2030, 0.3)");
      return Value{true, 0, {}};
    }
    if (y1.c < y0.c) {
      error(e, "ramp() goes from year0 to a later year1, got " + show_number(y0.c) + " and " +
                   show_number(y1.c));
      return Value{true, 0, {}};
    }
    p_.ramps.push_back({y0.c, y1.c});
    return special(OpCode::ramp, static_cast<std::uint32_t>(p_.ramps.size() - 1), {v0, v1});
  }

  Value smooth(const Expr& e) {
    const auto key = std::make_pair(v_, a_.vars[v_].smooth_state.at(&e));
    auto it = smooth_slots_.find(key);
    if (it == smooth_slots_.end()) {
      const auto index = static_cast<std::uint32_t>(p_.vars.size());
      CompiledVar state;
      state.name = model_.vars[v_].name + "/smooth" + std::to_string(key.second);
      state.slot = new_slot(SlotKind::var, 2, index);
      state.where = model_.vars[v_].eq->where;
      p_.vars.push_back(state);
      it = smooth_slots_.emplace(key, state.slot).first;
    }
    const Value x = lower(*e.args[0]);
    const Value tau = lower(*e.args[1]);
    Op op;
    op.code = OpCode::smooth;
    op.dst = Operand{it->second, 0};
    op.in = {materialise(x), materialise(tau), Operand{it->second, 1}, Operand{}};
    op.aux = base_evaluated_ ? 0 : 1;  // the state starts at x when first evaluated
    ops_->push_back(op);
    return Value{false, 0, {it->second, 0}};
  }

  const Model& model_;
  const Analysis& a_;
  Program& p_;
  Diagnostics& d_;
  std::vector<Op>* ops_ = nullptr;
  std::size_t v_ = 0;
  bool base_evaluated_ = false;
  std::vector<std::uint32_t> var_slots_, param_slots_, shock_slots_;
  std::vector<std::uint32_t> temps_;
  std::size_t next_temp_ = 0;
  std::map<std::uint64_t, std::uint32_t> constant_slots_;
  std::map<std::pair<std::size_t, std::uint32_t>, std::uint32_t> smooth_slots_;
};

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

}  // namespace

std::optional<Program> compile(const Model& model, Diagnostics& diagnostics) {
  Diagnostics d;
  Analysis a = compile_detail::analyse_model(model, d);

  DependencyGraph graph;
  graph.nodes = model.vars.size();
  graph.reads.resize(model.vars.size());
  for (std::size_t v = 0; v < model.vars.size(); ++v) {
    graph.reads[v].assign(a.vars[v].same_year_reads.begin(), a.vars[v].same_year_reads.end());
  }
  const OrderResult order = dependency_order(graph);
  report_cycles(model, order, d);
  if (!d.empty()) {
    diagnostics.append(d);
    return std::nullopt;
  }
  // `check` compiles models that failed to load, to report their equations' problems too;
  // one whose years validate_model rejected (end_year before base_year) has no years to
  // lower into, and that problem is already reported.
  if (model.years() < 1) return std::nullopt;

  Program p;
  p.model_name = model.name;
  p.region = model.region;
  p.programme_targets = model.programme_targets;
  p.base_year = model.base_year;
  p.years = model.years();
  Lowerer lower(model, a, p, d);
  p.year_slot = lower.new_slot(SlotKind::year, 1, 0);
  p.t_slot = lower.new_slot(SlotKind::years_since_base, 1, 0);

  std::vector<std::uint32_t> param_slots(model.params.size(), 0);
  std::vector<std::size_t> random_index(model.params.size(), 0);
  for (std::size_t i = 0; i < model.params.size(); ++i) {
    const ParamSpec& spec = model.params[i];
    if (!spec.marginal.is_random()) continue;
    random_index[i] = p.params.size();
    const auto slot =
        lower.new_slot(SlotKind::param, 1, static_cast<std::uint32_t>(p.params.size()));
    param_slots[i] = slot;
    p.params.push_back({spec.name, spec.marginal, slot});
  }
  for (const auto& c : model.correlations) {
    random::CorrelationGroup group;
    for (const auto& name : c.params) {
      for (std::size_t i = 0; i < model.params.size(); ++i) {
        if (model.params[i].name == name) group.members.push_back(random_index[i]);
      }
    }
    group.matrix = c.matrix;
    p.correlations.push_back(std::move(group));
  }

  std::vector<std::uint32_t> var_slots(model.vars.size());
  for (std::size_t v = 0; v < model.vars.size(); ++v) {
    const VarSpec& spec = model.vars[v];
    CompiledVar var;
    var.name = spec.name;
    var.slot = lower.new_slot(SlotKind::var, a.max_lag[v] + 1, static_cast<std::uint32_t>(v));
    var.min = spec.min;
    var.max = spec.max;
    var.where = spec.eq ? spec.eq->where : spec.where;
    if (spec.recorded()) {
      var.recorded = static_cast<std::uint32_t>(p.recorded.size());
      p.recorded.push_back({spec.name, spec.unit, spec.labels, spec.history});
      for (const auto& t : spec.targets) {
        p.targets.push_back({*var.recorded, t.year, t.comparator, t.threshold, t.source, t.labels});
      }
    }
    var_slots[v] = var.slot;
    p.vars.push_back(std::move(var));
  }
  std::vector<std::uint32_t> shock_slots;
  for (const auto& group : model.shocks) {
    CompiledShockGroup compiled;
    for (const auto& member : group.names) {
      CompiledVar var;
      var.name = member;
      var.slot = lower.new_slot(SlotKind::var, 1, static_cast<std::uint32_t>(p.vars.size()));
      var.where = group.where;
      compiled.sites.push_back("shock/" + group.name + "/" + member);
      compiled.member_slots.push_back(var.slot);
      shock_slots.push_back(var.slot);
      p.vars.push_back(std::move(var));
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
    p.shock_groups.push_back(std::move(compiled));
  }
  for (const auto& t : model.tables) {
    CompiledTable compiled;
    for (const auto& [x, y] : t.points) {
      compiled.x.push_back(x);
      compiled.y.push_back(y);
    }
    p.tables.push_back(std::move(compiled));
  }
  lower.set_layout(var_slots, param_slots, shock_slots);

  const auto finish = [&](std::vector<Op>& ops, std::size_t v) {
    Op op;
    op.code = OpCode::finish_var;
    op.dst = Operand{var_slots[v], 0};
    op.aux = static_cast<std::uint32_t>(v);
    ops.push_back(op);
  };
  std::map<std::size_t, std::uint32_t> path_of_var;
  const auto path_op = [&](std::vector<Op>& ops, std::size_t v) {
    auto [it, fresh] = path_of_var.emplace(v, static_cast<std::uint32_t>(p.paths.size()));
    if (fresh) {
      std::vector<double> values;
      values.reserve(static_cast<std::size_t>(p.years));
      for (int y = 0; y < p.years; ++y)
        values.push_back(path_value(model.vars[v].path, p.base_year + y));
      p.paths.push_back(std::move(values));
    }
    Op op;
    op.code = OpCode::path;
    op.dst = Operand{var_slots[v], 0};
    op.aux = it->second;
    ops.push_back(op);
  };
  const auto shocks = [&](std::vector<Op>& ops) {
    for (std::size_t g = 0; g < p.shock_groups.size(); ++g) {
      Op op;
      op.code = OpCode::shock_group;
      op.aux = static_cast<std::uint32_t>(g);
      ops.push_back(op);
    }
  };

  // Base year: base values first (prev() of anything reads them), then paths, then the
  // equations of variables without a base value, in dependency order.
  shocks(p.base_ops);
  lower.set_ops(p.base_ops);
  for (std::size_t v = 0; v < model.vars.size(); ++v) {
    if (!model.vars[v].base) continue;
    lower.store(Value{true, *model.vars[v].base, {}}, Operand{var_slots[v], 0});
    finish(p.base_ops, v);
  }
  for (std::size_t v = 0; v < model.vars.size(); ++v) {
    if (model.vars[v].base || model.vars[v].eq) continue;
    path_op(p.base_ops, v);
    finish(p.base_ops, v);
  }
  for (std::size_t v : order.order) {
    if (model.vars[v].base || !model.vars[v].eq) continue;
    lower.equation(v, p.base_ops, true);
    finish(p.base_ops, v);
  }
  // Later years: every variable in dependency order.
  shocks(p.step_ops);
  for (std::size_t v : order.order) {
    if (model.vars[v].eq) {
      lower.equation(v, p.step_ops, !model.vars[v].base.has_value());
    } else {
      path_op(p.step_ops, v);
    }
    finish(p.step_ops, v);
  }
  if (!d.empty()) {
    diagnostics.append(d);
    return std::nullopt;
  }

  std::uint32_t row = 0;
  for (auto& slot : p.slots) {
    slot.first_row = row;
    row += slot.depth;
  }
  p.rows = row;
  return p;
}

}  // namespace tamnhin
