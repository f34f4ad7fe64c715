// First compiler pass (internal to engine/compile): parse every equation, resolve every
// name and function, check arities and lags, and collect what ordering and lowering need.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "engine/core/diagnostics.hpp"
#include "engine/model/dims.hpp"
#include "engine/model/expr.hpp"
#include "engine/model/model.hpp"
#include "engine/model/parse_expression.hpp"

namespace tamnhin::compile_detail {

struct NameRef {
  enum class Kind { var, param, table, shock, year, t } kind = Kind::var;
  std::size_t index = 0;  // var: model var; param: model param; table: table; shock: member
};

struct ShockMember {
  std::size_t group = 0;
  std::size_t member = 0;
};

struct VarAnalysis {
  ExprPtr ast;       // null for path variables or parse errors
  std::string text;  // the equation as written
  TextOrigin origin;
  std::set<std::size_t> same_year_reads;             // model vars read in the same year
  std::map<const Expr*, std::uint32_t> random_site;  // occurrence k -> "eq/<var>/<k>"
  // Occurrence k of a stateful function f (per function): its state is "<var>/<f><k>".
  std::map<const Expr*, std::uint32_t> state;
  std::uint32_t random_calls = 0;
  std::map<std::string, std::uint32_t> state_calls;  // per function
};

struct Analysis {
  std::map<std::string, NameRef> names;
  std::vector<ShockMember> shock_members;  // flattened over groups
  std::vector<VarAnalysis> vars;           // per model var
  std::vector<std::uint32_t> max_lag;      // per model var
  std::vector<std::string> family;         // per model var: its name as written in the model
};

// Analyses the flat model (engine/model/dims.hpp): each variable's equation is made scalar
// for its element first (elementwise.hpp). A problem shared by the elements of a
// dimensioned variable is reported once.
Analysis analyse_model(const FlatModel& flat, Diagnostics& diagnostics);

// Adds each diagnostic of `from` to `to` once (the elements of a dimensioned variable
// share their equation, and so its problems).
void append_unique(Diagnostics& to, const Diagnostics& from);

// Where byte `offset` of variable v's equation is.
SourceLocation location_in_equation(const VarAnalysis& v, int offset);

}  // namespace tamnhin::compile_detail
