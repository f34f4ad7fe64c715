#include "engine/compile/analysis.hpp"

#include <cmath>

#include "engine/compile/builtins.hpp"
#include "engine/compile/elementwise.hpp"

namespace tamnhin::compile_detail {

namespace {

class Analyser {
 public:
  Analyser(const Model& model, Analysis& analysis, Diagnostics& diagnostics)
      : model_(model), a_(analysis), d_(diagnostics) {
    for (const auto& [name, ref] : a_.names) known_names_.push_back(name);
    // Dimensioned names as written (the flat ones, "x[long_an]", are never typed bare).
    for (const auto& var : model.vars) {
      const auto open = var.name.find('[');
      if (open != std::string::npos) known_names_.push_back(var.name.substr(0, open));
    }
    for (const auto& param : model.params) {
      const auto open = param.name.find('[');
      if (open != std::string::npos) known_names_.push_back(param.name.substr(0, open));
    }
    for (const Builtin& f : builtins()) function_names_.emplace_back(f.name);
  }

  void run(std::size_t var) {
    v_ = var;
    walk(*a_.vars[var].ast);
  }

 private:
  void error(const Expr& at, const std::string& message, const std::string& hint = {}) {
    const VarAnalysis& v = a_.vars[v_];
    d_.add(location_in_equation(v, at.offset), v.origin.subject, message, hint);
  }

  void walk(const Expr& e) {
    switch (e.kind) {
      case ExprKind::number:
        return;
      case ExprKind::name:
        name(e);
        return;
      case ExprKind::unary:
      case ExprKind::binary:
        for (const auto& arg : e.args) walk(*arg);
        return;
      case ExprKind::call:
        call(e);
        return;
    }
  }

  void name(const Expr& e) {
    auto it = a_.names.find(e.name);
    if (it == a_.names.end()) {
      if (find_builtin(e.name) != nullptr) {
        error(e, "'" + e.name + "' is a function", "call it: " + e.name + "(...)");
      } else {
        error(e, "unknown name '" + e.name + "'", did_you_mean(e.name, known_names_));
      }
      return;
    }
    switch (it->second.kind) {
      case NameRef::Kind::var:
        a_.vars[v_].same_year_reads.insert(it->second.index);
        break;
      case NameRef::Kind::table:
        error(e, "'" + e.name + "' is a table", "read it with lookup(" + e.name + ", x)");
        break;
      default:
        break;
    }
  }

  void call(const Expr& e) {
    const Builtin* f = find_builtin(e.name);
    if (f == nullptr) {
      std::string hint = did_you_mean(e.name, function_names_);
      if (a_.names.contains(e.name)) {
        error(e, "'" + e.name + "' is not a function", "write " + e.name + " without '('");
      } else {
        error(e, "unknown function '" + e.name + "'",
              hint.empty() ? "see the function table in docs/model-format.md" : hint);
      }
      return;
    }
    const int n = static_cast<int>(e.args.size());
    if (n < f->min_args || (f->max_args >= 0 && n > f->max_args)) {
      std::string expected =
          f->min_args == f->max_args ? std::to_string(f->min_args)
          : f->max_args < 0          ? "at least " + std::to_string(f->min_args)
                            : std::to_string(f->min_args) + " or " + std::to_string(f->max_args);
      error(e,
            e.name + "() takes " + expected + " argument" + (expected == "1" ? "" : "s") +
                ", got " + std::to_string(n),
            "usage: " + std::string(f->usage));
      return;
    }
    VarAnalysis& v = a_.vars[v_];
    if (f->random) v.random_site[&e] = v.random_calls++;
    if (f->stateful) v.state[&e] = v.state_calls[e.name]++;
    if (f->lowering == Lowering::prev) return prev(e);
    if (f->lowering == Lowering::lookup) {
      lookup_table(*e.args[0]);
      walk(*e.args[1]);
      return;
    }
    for (const auto& arg : e.args) walk(*arg);
  }

  // The first argument of lookup(): the name of a table.
  void lookup_table(const Expr& table) {
    std::vector<std::string> tables;
    for (const auto& t : model_.tables) tables.push_back(t.name);
    const std::string hint = table.kind == ExprKind::name ? did_you_mean(table.name, tables) : "";
    const std::string define = "tables are defined under [tables.<name>]";
    if (table.kind != ExprKind::name) {
      error(table, "the first argument of lookup() must be the name of a table, not an expression",
            tables.empty() ? define : "the tables: " + join(tables));
      return;
    }
    auto it = a_.names.find(table.name);
    if (it == a_.names.end()) {
      error(table, "lookup() of '" + table.name + "': the model has no table '" + table.name + "'",
            !hint.empty()    ? hint
            : tables.empty() ? define
                             : "the tables: " + join(tables));
    } else if (it->second.kind != NameRef::Kind::table) {
      error(table,
            "lookup() of '" + table.name + "': '" + table.name + "' is a " +
                kind_name(it->second.kind) + ", not a table",
            hint.empty() ? define : hint);
    }
  }

  static std::string join(const std::vector<std::string>& names) {
    std::string out;
    for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
  }

  static const char* kind_name(NameRef::Kind kind) {
    switch (kind) {
      case NameRef::Kind::var:
        return "variable";
      case NameRef::Kind::param:
        return "parameter";
      case NameRef::Kind::table:
        return "table";
      case NameRef::Kind::shock:
        return "shock";
      case NameRef::Kind::year:
      case NameRef::Kind::t:
        return "reserved name";
    }
    return "name";
  }

  void prev(const Expr& e) {
    const Expr& target = *e.args[0];
    std::uint32_t lag = 1;
    if (e.args.size() == 2) {
      const Expr& k = *e.args[1];
      const bool literal = k.kind == ExprKind::number;
      const bool negative_literal = k.kind == ExprKind::unary && k.unary_op == UnaryOp::negate &&
                                    k.args[0]->kind == ExprKind::number;
      const double value = literal ? k.number : negative_literal ? -k.args[0]->number : 0.0;
      if (!literal && !negative_literal) {
        error(k, "the lag of prev() must be a whole number of years", "e.g. prev(x, 2)");
        return;
      }
      // A history lets prev() reach further back than the simulated years.
      const auto found =
          target.kind == ExprKind::name ? a_.names.find(target.name) : a_.names.end();
      const bool history =
          found != a_.names.end() && found->second.kind == NameRef::Kind::var &&
          !model_.vars[found->second.index].history.empty() &&
          model_.vars[found->second.index].history.begin()->first < model_.base_year;
      const int longest =
          model_.years() +
          (history ? model_.base_year - model_.vars[found->second.index].history.begin()->first
                   : 0);
      if (value < 1 || value != std::floor(value) || value > longest) {
        error(k,
              "the lag of prev() must be a whole number of years from 1 to " +
                  std::to_string(longest) + ", got " + show_number(value),
              "prev(x, 1) is last year's value");
        return;
      }
      lag = static_cast<std::uint32_t>(value);
    }
    if (target.kind != ExprKind::name) {
      error(target, "prev() takes a name, not an expression",
            "compute the expression in its own variable and take prev() of that");
      return;
    }
    auto it = a_.names.find(target.name);
    if (it == a_.names.end()) {
      error(target, "unknown name '" + target.name + "'", did_you_mean(target.name, known_names_));
      return;
    }
    switch (it->second.kind) {
      case NameRef::Kind::var: {
        const VarSpec& var = model_.vars[it->second.index];
        if (!var.base && var.eq) {
          const std::string& family = a_.family[it->second.index];
          error(target,
                "prev(" + target.name + ") needs '" + target.name + "' to have a base value",
                "add base = ... to [vars." + family + "]: it is the value of the base year");
          return;
        }
        a_.max_lag[it->second.index] = std::max(a_.max_lag[it->second.index], lag);
        check_history(e, var, lag);
        return;
      }
      case NameRef::Kind::param:
        return;  // constant across years: prev(p) is p
      case NameRef::Kind::year:
      case NameRef::Kind::t:
        error(target, "prev(" + target.name + ") is not needed",
              "write " + target.name + " - 1 (or - k) for an earlier year");
        return;
      case NameRef::Kind::table:
        error(target, "'" + target.name + "' is a table, it has no previous value");
        return;
      case NameRef::Kind::shock:
        error(target, "prev() of a shock is not supported",
              "record the shock in a variable (v = " + target.name + ") and take prev(v)");
        return;
    }
  }

  // prev(x, k) first runs in the first year this equation is evaluated; the year it reads
  // then must be simulated or covered by x's history. Without history, a year before the
  // base year reads the base value (as documented), so only a history that stops short is
  // an error: the value read would otherwise be made up.
  void check_history(const Expr& e, const VarSpec& target, std::uint32_t lag) {
    // History years from the base year on are observations for the report only.
    if (target.history.empty() || target.history.begin()->first >= model_.base_year) return;
    const VarSpec& self = model_.vars[v_];
    const int first_year = model_.base_year + (self.base ? 1 : 0);
    const int read = first_year - static_cast<int>(lag);
    const int covered_from = target.history.begin()->first;
    if (read >= covered_from) return;
    error(e,
          "prev(" + target.name + ", " + std::to_string(lag) + ") reads " + std::to_string(read) +
              " in " + std::to_string(first_year) + ", but the history of '" + target.name +
              "' starts in " + std::to_string(covered_from),
          "give [vars." + target.name + "] history back to " + std::to_string(read) +
              ", or read fewer years back");
  }

  const Model& model_;
  Analysis& a_;
  Diagnostics& d_;
  std::size_t v_ = 0;
  std::vector<std::string> known_names_;
  std::vector<std::string> function_names_;
};

}  // namespace

void append_unique(Diagnostics& to, const Diagnostics& from) {
  std::set<std::string> seen;
  for (const auto& x : from.all()) {
    if (seen.insert(x.to_string()).second) to.add(x);
  }
}

SourceLocation location_in_equation(const VarAnalysis& v, int offset) {
  return location_of(v.origin, v.text, offset);
}

Analysis analyse_model(const FlatModel& flat, Diagnostics& all_diagnostics) {
  const Model& model = flat.model;
  Diagnostics diagnostics;  // appended without repeats at the end
  Analysis a;
  const auto add_name = [&](const std::string& name, NameRef ref, const SourceLocation& where) {
    if (name == "year" || name == "t") {
      diagnostics.add(where, name,
                      "'" + name +
                          "' is a reserved name (the calendar year / "
                          "years since the base year)",
                      "rename it");
      return;
    }
    a.names.emplace(name, ref);  // duplicates were reported by validate_model
  };
  for (std::size_t i = 0; i < model.params.size(); ++i)
    add_name(model.params[i].name, {NameRef::Kind::param, i}, model.params[i].where);
  for (std::size_t i = 0; i < model.tables.size(); ++i)
    add_name(model.tables[i].name, {NameRef::Kind::table, i}, model.tables[i].where);
  for (std::size_t g = 0; g < model.shocks.size(); ++g) {
    for (std::size_t m = 0; m < model.shocks[g].names.size(); ++m) {
      add_name(model.shocks[g].names[m], {NameRef::Kind::shock, a.shock_members.size()},
               model.shocks[g].where);
      a.shock_members.push_back({g, m});
    }
  }
  for (std::size_t i = 0; i < model.vars.size(); ++i)
    add_name(model.vars[i].name, {NameRef::Kind::var, i}, model.vars[i].where);
  a.names.emplace("year", NameRef{NameRef::Kind::year, 0});
  a.names.emplace("t", NameRef{NameRef::Kind::t, 0});

  for (const auto& context : flat.var_context) a.family.push_back(context.family);
  a.vars.resize(model.vars.size());
  a.max_lag.assign(model.vars.size(), 0);
  for (std::size_t i = 0; i < model.vars.size(); ++i) {
    const VarSpec& var = model.vars[i];
    if (!var.eq) continue;
    VarAnalysis& v = a.vars[i];
    v.text = var.eq->text;
    const ElementContext& context = flat.var_context[i];
    v.origin = TextOrigin{var.eq->where.file, var.eq->where.line, var.eq->where.column,
                          "vars." + context.family + ".eq"};
    ExprPtr written = parse_expression(v.text, v.origin, diagnostics);
    if (!written) continue;
    v.ast = instantiate(*written, context, model, flat.family_dims,
                        [&](int offset, const std::string& message, const std::string& hint) {
                          diagnostics.add(location_in_equation(v, offset), v.origin.subject,
                                          message, hint);
                        });
  }
  Analyser analyser(model, a, diagnostics);
  for (std::size_t i = 0; i < model.vars.size(); ++i) {
    if (a.vars[i].ast) analyser.run(i);
  }
  append_unique(all_diagnostics, diagnostics);
  return a;
}

}  // namespace tamnhin::compile_detail
