// Lowering (engine/compile/lower.hpp): each analysed equation becomes ops of the batch
// kernel, with compile-time constants folded, constant exponents turned into arithmetic,
// and the state rows of stateful calls (smooth, delays, lookups' ramps) made on first use.
#include "engine/compile/lower.hpp"

#include <bit>
#include <map>
#include <optional>
#include <span>
#include <string>

#include "engine/compile/builtins.hpp"
#include "engine/core/check.hpp"

namespace tamnhin::compile_detail {

class Lowerer::Impl {
 public:
  Impl(const Model& model, const Analysis& analysis, Program& program, Diagnostics& diagnostics)
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

  void share_smooth_states(bool on) { share_smooth_states_ = on; }

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
    return pure(code, std::span<const Value>(args.begin(), args.size()));
  }

  Value pure(OpCode code, std::span<const Value> args) {
    bool all_const = true;
    for (const auto& a : args) all_const = all_const && a.is_const;
    if (all_const) {
      double in[4] = {0, 0, 0, 0};
      std::size_t i = 0;
      for (const auto& a : args) in[i++] = a.c;
      return Value{true, fold_pure_op(code, in[0], in[1], in[2], in[3]), {}};
    }
    if (code == OpCode::pow && args[1].is_const) {
      if (const auto v = constant_power(args[0], args[1].c)) return *v;
    }
    Op op;
    op.code = code;
    std::size_t i = 0;
    for (const auto& a : args) op.in[i++] = materialise(a);
    op.dst = temp();
    ops_->push_back(op);
    return Value{false, 0, op.dst};
  }

  // x ^ c for a few constant exponents as multiplies, a division or a square root: a
  // tenth of pow's cost, and x ^ 2, x ^ -1 and x ^ 0.5 correctly rounded (pow is within
  // 0.86 ulp; x ^ 3 and x ^ 4 round twice, within about 1.5 ulp). Differences from pow
  // only where the run stops anyway (non-finite values) or in the sign of a zero
  // (sqrt(-0) is -0, pow(-0, 0.5) is +0; zeros compare equal everywhere in a model).
  std::optional<Value> constant_power(const Value& x, double c) {
    const auto mul = [&](const Value& a, const Value& b) { return pure(OpCode::mul, {a, b}); };
    const Value one{true, 1.0, {}};
    if (c == 1.0) return x;
    if (c == 2.0) return mul(x, x);
    if (c == 3.0) return mul(mul(x, x), x);
    if (c == 4.0) {
      const Value square = mul(x, x);
      return mul(square, square);
    }
    if (c == -1.0) return pure(OpCode::div, {one, x});
    if (c == -2.0) return pure(OpCode::div, {one, mul(x, x)});
    if (c == 0.5) return pure(OpCode::sqrt, {x});
    return std::nullopt;
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
    const Builtin& f = *find_builtin(e.name);  // the analysis rejected unknown functions
    const auto arg = [&](std::size_t i) { return lower(*e.args[i]); };
    switch (f.lowering) {
      case Lowering::op: {
        std::vector<Value> args;
        for (std::size_t i = 0; i < e.args.size(); ++i) args.push_back(arg(i));
        return pure(f.op, args);
      }
      case Lowering::fold: {
        Value acc = arg(0);
        for (std::size_t i = 1; i < e.args.size(); ++i) acc = pure(f.op, {acc, arg(i)});
        return acc;
      }
      case Lowering::select: {
        const Value c = arg(0);
        if (c.is_const) return c.c != 0.0 ? arg(1) : arg(2);
        return pure(OpCode::select, {c, arg(1), arg(2)});
      }
      case Lowering::prev: {
        const Expr& target = *e.args[0];
        const NameRef& ref = a_.names.at(target.name);
        if (ref.kind != NameRef::Kind::var) return name(target.name);
        const auto lag = e.args.size() == 2 ? static_cast<std::uint32_t>(e.args[1]->number) : 1u;
        return Value{false, 0, {var_slots_[ref.index], lag}};
      }
      case Lowering::lookup:
        return lookup(e);
      case Lowering::ramp:
        return ramp(e);
      case Lowering::smooth:
        return smooth(e);
      case Lowering::delay1:
        return delay(e, 1);
      case Lowering::delay3:
        return delay(e, 3);
      case Lowering::reduction:
        break;  // made into sums by compile_detail::instantiate
      case Lowering::normal: {
        const Value z = special(OpCode::normal_z, site(e), {});
        return pure(OpCode::add, {arg(0), pure(OpCode::mul, {arg(1), z})});
      }
      case Lowering::lognormal: {
        const Value z = special(OpCode::normal_z, site(e), {});
        return pure(OpCode::exp, {pure(OpCode::add, {arg(0), pure(OpCode::mul, {arg(1), z})})});
      }
      case Lowering::uniform: {
        const Value u = special(OpCode::uniform_u, site(e), {});
        const Value lo = arg(0);
        return pure(OpCode::add, {lo, pure(OpCode::mul, {pure(OpCode::sub, {arg(1), lo}), u})});
      }
      case Lowering::triangular: {
        const Value u = special(OpCode::uniform_u, site(e), {});
        return pure(OpCode::triangular, {u, arg(0), arg(1), arg(2)});
      }
      case Lowering::step:
      case Lowering::pulse: {
        // if(year >= y, h, 0) and if(year == y, h, 0): plain ops, since the year is a slot.
        const Value height = arg(0);
        const Value when = arg(1);
        const Value year{false, 0, {p_.year_slot, 0}};
        const OpCode test = f.lowering == Lowering::step ? OpCode::ge : OpCode::eq;
        return pure(OpCode::select, {pure(test, {year, when}), height, Value{true, 0.0, {}}});
      }
    }
    TAMNHIN_CHECK(false);  // every lowering is handled above
    return {};
  }

  // The state row of stateful call `e` ("<var>/<function><k>"), made on first use: a
  // variable of the program with a ring of `depth` years.
  std::uint32_t state_slot(const Expr& e, std::uint32_t depth, const std::string& part = "") {
    const std::string state_name =
        model_.vars[v_].name + "/" + e.name + std::to_string(a_.vars[v_].state.at(&e)) + part;
    auto it = state_slots_.find(state_name);
    if (it == state_slots_.end()) {
      const auto index = static_cast<std::uint32_t>(p_.vars.size());
      CompiledVar state;
      state.name = state_name;
      state.slot = new_slot(SlotKind::var, depth, index);
      state.where = model_.vars[v_].eq->where;
      p_.vars.push_back(state);
      it = state_slots_.emplace(state_name, state.slot).first;
    }
    return it->second;
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

  // Calls smooth(x, tau) written alike in several equations (smooth(ratio_health, 2) in
  // four of Long An's) share one state: both states start at x in the same year and follow
  // the same update of the same inputs, so they hold the same bits every year. The first
  // such call in each list computes the state; the others read it, without lowering their
  // arguments again. Only arguments that are functions of the year's values are compared
  // (no random draw, no other state), and none that can report an error (ramp), so what
  // is not lowered again could not have told anything new.
  Value smooth(const Expr& e) {
    if (!share_smooth_states_) return smooth_op(e, state_slot(e, 2));
    std::optional<std::string> key = written_alike(*e.args[0]);
    if (const auto tau_key = written_alike(*e.args[1]); key && tau_key) {
      *key += ";" + *tau_key + (base_evaluated_ ? ";0" : ";1");
      const auto it = shared_smooths_.find(*key);
      if (it != shared_smooths_.end()) {
        if (it->second.list == ops_) return Value{false, 0, {it->second.state, 0}};
        it->second.list = ops_;  // a list of its own: computed here again
        return smooth_op(e, it->second.state);
      }
      const std::uint32_t state = state_slot(e, 2);
      shared_smooths_.emplace(*key, SharedSmooth{state, ops_});
      return smooth_op(e, state);
    }
    return smooth_op(e, state_slot(e, 2));
  }

  // The state row's update for this year.
  Value smooth_op(const Expr& e, std::uint32_t state) {
    const Value x = lower(*e.args[0]);
    const Value tau = lower(*e.args[1]);
    Op op;
    op.code = OpCode::smooth;
    op.dst = Operand{state, 0};
    op.in = {materialise(x), materialise(tau), Operand{state, 1}, Operand{}};
    op.aux = base_evaluated_ ? 0 : 1;  // the state starts at x when first evaluated
    ops_->push_back(op);
    return Value{false, 0, {state, 0}};
  }

  // A material delay of `stages` first-order stages in series, each with tau / stages.
  // Each stage is a stock S: out = S(last year) / tau_s, S = S(last year) - out + in, so
  // every unit that flows in flows out (nothing is created or lost); the first year the
  // equation is evaluated, S = in * tau_s and out = in (the delay starts in equilibrium).
  Value delay(const Expr& e, int stages) {
    Value in = lower(*e.args[0]);
    Value tau = lower(*e.args[1]);
    if (stages > 1) tau = pure(OpCode::div, {tau, Value{true, static_cast<double>(stages), {}}});
    const std::uint32_t first_year = base_evaluated_ ? 0 : 1;
    for (int s = 0; s < stages; ++s) {
      const std::uint32_t stock =
          state_slot(e, 2, stages > 1 ? "." + std::to_string(s + 1) : std::string());
      const Operand in_operand = materialise(in);
      const Operand tau_operand = materialise(tau);
      Op out;
      out.code = OpCode::delay_out;
      out.dst = temp();
      out.in = {in_operand, tau_operand, Operand{stock, 1}, Operand{}};
      out.aux = first_year;
      ops_->push_back(out);
      Op update;
      update.code = OpCode::delay_stock;
      update.dst = Operand{stock, 0};
      update.in = {in_operand, tau_operand, Operand{stock, 1}, out.dst};
      update.aux = first_year;
      ops_->push_back(update);
      in = Value{false, 0, out.dst};
    }
    return in;
  }

  // The same text for expressions written alike (numbers by their bits, names, operators,
  // calls); nullopt when a call's value is not a function of its arguments and the year
  // (a random draw, a state) or when lowering it may report an error (ramp).
  static std::optional<std::string> written_alike(const Expr& e) {
    std::string text;
    switch (e.kind) {
      case ExprKind::number:
        return "#" + std::to_string(std::bit_cast<std::uint64_t>(e.number));
      case ExprKind::name:
        text = "$" + e.name;
        for (const auto& s : e.subscripts) text += "[" + s + "]";
        return text;
      case ExprKind::unary:
        text = std::string("u") + to_string(e.unary_op);
        break;
      case ExprKind::binary:
        text = std::string("b") + to_string(e.binary_op);
        break;
      case ExprKind::call: {
        switch (find_builtin(e.name)->lowering) {
          case Lowering::op:
          case Lowering::fold:
          case Lowering::select:
          case Lowering::prev:
          case Lowering::lookup:
          case Lowering::step:
          case Lowering::pulse:
            break;
          default:
            return std::nullopt;
        }
        text = "f" + e.name;
        break;
      }
    }
    text += "(";
    for (const auto& arg : e.args) {
      const auto inner = written_alike(*arg);
      if (!inner) return std::nullopt;
      text += *inner + ",";
    }
    return text + ")";
  }

  struct SharedSmooth {
    std::uint32_t state = 0;
    const std::vector<Op>* list = nullptr;  // the list that last computed it
  };

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
  std::map<std::string, std::uint32_t> state_slots_;  // by state name
  bool share_smooth_states_ = true;
  std::map<std::string, SharedSmooth> shared_smooths_;  // by smooth()'s arguments, written_alike
};

Lowerer::Lowerer(const Model& model, const Analysis& analysis, Program& program,
                 Diagnostics& diagnostics)
    : impl_(std::make_unique<Impl>(model, analysis, program, diagnostics)) {}

Lowerer::~Lowerer() = default;

void Lowerer::set_layout(std::vector<std::uint32_t> var_slots,
                         std::vector<std::uint32_t> param_slots,
                         std::vector<std::uint32_t> shock_slots) {
  impl_->set_layout(std::move(var_slots), std::move(param_slots), std::move(shock_slots));
}

void Lowerer::equation(std::size_t v, std::vector<Op>& ops, bool evaluated_in_base_year) {
  impl_->equation(v, ops, evaluated_in_base_year);
}

void Lowerer::store(const Value& value, Operand dst) {
  impl_->store(value, dst);
}

std::uint32_t Lowerer::constant_slot(double c) {
  return impl_->constant_slot(c);
}

std::uint32_t Lowerer::new_slot(SlotKind kind, std::uint32_t depth, std::uint32_t index) {
  return impl_->new_slot(kind, depth, index);
}

void Lowerer::set_ops(std::vector<Op>& ops) {
  impl_->set_ops(ops);
}

void Lowerer::share_smooth_states(bool on) {
  impl_->share_smooth_states(on);
}

}  // namespace tamnhin::compile_detail
