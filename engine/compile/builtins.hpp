// The built-in functions of the equation language, one row each: name, arity, how a call
// is lowered to ops, and whether it draws random numbers or keeps state between years.
// The analysis (names, arity, random sites, states) and the lowering both read this table,
// so a new function is one row here, plus a kernel in ops.hpp when no op computes it yet.
#pragma once

#include <span>
#include <string_view>

#include "engine/compile/ops.hpp"

namespace tamnhin {

// How a call becomes ops.
enum class Lowering {
  op,          // `op` over the arguments, in order (folded when all are constants)
  fold,        // `op` left to right over two or more arguments: min(a, b, c) = min(min(a, b), c)
  select,      // if(c, a, b): only the chosen branch when c is a constant
  prev,        // a row of the variable's history ring
  lookup,      // a table of program data
  ramp,        // fixed years, program data
  smooth,      // first-order smoothing, one state per call
  delay1,      // material delay, one stock per call
  delay3,      // third-order material delay, three stocks per call
  normal,      // mean + sd * z, z standard normal from the call's random site
  lognormal,   // exp(mu + sigma * z)
  uniform,     // a + (b - a) * u, u uniform from the call's random site
  triangular,  // triangular inverse CDF of u
  reduction,   // sum, mean (and min, max of one argument): expanded over elements before
               // the analysis (elementwise.hpp), never lowered
  step,        // step(height, year): 0 before `year`, height from it on
  pulse,       // pulse(height, year): height in `year`, 0 in every other year
};

struct Builtin {
  std::string_view name;
  int min_args = 0;
  int max_args = 0;  // -1: any number from min_args
  Lowering lowering = Lowering::op;
  OpCode op = OpCode::copy;  // for Lowering::op and Lowering::fold
  bool random = false;       // draws a fresh number per (draw, year): gets a random site
  bool stateful = false;     // keeps state between years: gets a state per call
  std::string_view usage;    // for arity hints
};

// Every built-in function, in the order of the language table of docs/model-format.md.
std::span<const Builtin> builtins();

// The function called `name`, or nullptr.
const Builtin* find_builtin(std::string_view name);

}  // namespace tamnhin
