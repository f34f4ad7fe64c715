#include "engine/compile/builtins.hpp"

#include <algorithm>
#include <array>

namespace tamnhin {

namespace {

using L = Lowering;
using O = OpCode;

constexpr Builtin kBuiltins[] = {
    {"prev", 1, 2, L::prev, O::copy, false, false,
     "prev(x) or prev(x, k): x one / k years earlier"},
    {"normal", 2, 2, L::normal, O::copy, true, false, "normal(mean, sd): a fresh draw every year"},
    {"lognormal", 2, 2, L::lognormal, O::copy, true, false,
     "lognormal(mu, sigma): mu and sigma of the log"},
    {"uniform", 2, 2, L::uniform, O::copy, true, false, "uniform(a, b)"},
    {"triangular", 3, 3, L::triangular, O::copy, true, false, "triangular(min, mode, max)"},
    {"min", 2, -1, L::fold, O::min, false, false, "min(a, b, ...), or min(x), min(x, dim)"},
    {"max", 2, -1, L::fold, O::max, false, false, "max(a, b, ...), or max(x), max(x, dim)"},
    {"sum", 1, 2, L::reduction, O::add, false, false,
     "sum(x): over all of x's elements; sum(x, dim): over one dimension"},
    {"mean", 1, 2, L::reduction, O::add, false, false,
     "mean(x): over all of x's elements; mean(x, dim): over one dimension"},
    {"clamp", 3, 3, L::op, O::clamp, false, false, "clamp(x, lo, hi)"},
    {"abs", 1, 1, L::op, O::abs, false, false, "abs(x)"},
    {"exp", 1, 1, L::op, O::exp, false, false, "exp(x)"},
    {"log", 1, 1, L::op, O::log, false, false, "log(x): natural logarithm"},
    {"sqrt", 1, 1, L::op, O::sqrt, false, false, "sqrt(x)"},
    {"pow", 2, 2, L::op, O::pow, false, false, "pow(x, y) = x ^ y"},
    {"if", 3, 3, L::select, O::select, false, false,
     "if(condition, value_if_true, value_if_false)"},
    {"logistic", 1, 1, L::op, O::logistic, false, false, "logistic(x) = 1 / (1 + exp(-x))"},
    {"lookup", 2, 2, L::lookup, O::lookup, false, false,
     "lookup(table, x): piecewise-linear in [tables.<table>]"},
    {"ramp", 4, 4, L::ramp, O::ramp, false, false, "ramp(year0, v0, year1, v1)"},
    {"smooth", 2, 2, L::smooth, O::smooth, false, true,
     "smooth(x, tau): first-order exponential smoothing"},
    {"delay1", 2, 2, L::delay1, O::delay_out, false, true,
     "delay1(x, tau): x delayed by a first-order material delay of mean tau years"},
    {"delay3", 2, 2, L::delay3, O::delay_out, false, true,
     "delay3(x, tau): x delayed by a third-order material delay of mean tau years"},
    {"sin", 1, 1, L::op, O::sin, false, false, "sin(x): x in radians"},
    {"cos", 1, 1, L::op, O::cos, false, false, "cos(x): x in radians"},
    {"floor", 1, 1, L::op, O::floor, false, false, "floor(x): the largest whole number <= x"},
    {"ceil", 1, 1, L::op, O::ceil, false, false, "ceil(x): the smallest whole number >= x"},
    {"round", 1, 1, L::op, O::round, false, false, "round(x): halves away from zero"},
    {"mod", 2, 2, L::op, O::mod, false, false, "mod(a, b) = a - b * floor(a / b)"},
    {"step", 2, 2, L::step, O::select, false, false,
     "step(height, year): 0 before year, height from year on"},
    {"pulse", 2, 2, L::pulse, O::select, false, false,
     "pulse(height, year): height in year, 0 in other years"},
};

}  // namespace

std::span<const Builtin> builtins() {
  return kBuiltins;
}

const Builtin* find_builtin(std::string_view name) {
  const auto it = std::find_if(std::begin(kBuiltins), std::end(kBuiltins),
                               [&](const Builtin& f) { return f.name == name; });
  return it == std::end(kBuiltins) ? nullptr : &*it;
}

}  // namespace tamnhin
