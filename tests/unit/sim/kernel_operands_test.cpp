// The kernel reads a constant input as one value for every lane (ops.hpp's Broadcast)
// instead of from a row filled with it (KernelPlan, simulate.hpp). Each lane must run the
// same IEEE-754 operation on the same values either way, so the bits cannot change: this
// runs every op that takes a broadcast input, in every position the kernel uses, on NaN,
// infinities, signed zeros and subnormals, and a model through both kernel builds with
// and without the plan.
#include <gtest/gtest.h>

#include <array>
#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>
#include <string>
#include <vector>

#include "engine/compile/ops.hpp"
#include "engine/core/portable_math_lanes.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
const std::vector<double> kValues = {0.0,   -0.0,    1.0,      -1.0, 0.5,   2.5, -3.75,
                                     1e300, -1e-300, 4.9e-324, kInf, -kInf, kNaN};

// Every op that takes broadcast inputs, with the combinations the kernel runs
// (broadcast_inputs in simulate.cpp: bit k is input k).
struct Case {
  OpCode code;
  std::vector<unsigned> masks;
};
const std::vector<Case> kCases = {
    {OpCode::copy, {1}},
    {OpCode::negate, {1}},
    {OpCode::abs, {1}},
    {OpCode::sqrt, {1}},
    {OpCode::sin, {1}},
    {OpCode::cos, {1}},
    {OpCode::floor, {1}},
    {OpCode::ceil, {1}},
    {OpCode::round, {1}},
    {OpCode::logical_not, {1}},
    {OpCode::add, {1, 2}},
    {OpCode::sub, {1, 2}},
    {OpCode::mul, {1, 2}},
    {OpCode::div, {1, 2}},
    {OpCode::mod, {1, 2}},
    {OpCode::lt, {1, 2}},
    {OpCode::le, {1, 2}},
    {OpCode::gt, {1, 2}},
    {OpCode::ge, {1, 2}},
    {OpCode::eq, {1, 2}},
    {OpCode::ne, {1, 2}},
    {OpCode::logical_and, {1, 2}},
    {OpCode::logical_or, {1, 2}},
    {OpCode::min, {1, 2}},
    {OpCode::max, {1, 2}},
    {OpCode::clamp, {1, 2, 4, 6}},
    {OpCode::select, {1, 2, 4, 6}},
    {OpCode::triangular, {1, 2, 4, 6}},
};

using Rows = std::array<std::vector<double>, 4>;

// The same bits, -0.0 and +0.0 apart; but any NaN for a NaN: which of two NaN inputs an
// operation passes on is unspecified (IEEE 754, 6.2.3), and compilers swap the operands
// of commutative operations (clang does at -O1 in triangular's products). No op turns
// a NaN's sign or payload into a number, and a NaN fails the run, so no output depends
// on them.
bool same_bits(double a, double b) {
  return std::bit_cast<std::uint64_t>(a) == std::bit_cast<std::uint64_t>(b) ||
         (std::isnan(a) && std::isnan(b));
}

void run_with(OpCode code, unsigned mask, std::size_t n, double* dst, const Rows& in) {
  const auto row = [&](std::size_t k) { return in[k].data(); };
  const auto one = [&](std::size_t k) { return Broadcast{in[k][0]}; };
  switch (mask) {
    case 1:
      return run_pure_op_on(code, n, dst, one(0), row(1), row(2), row(3));
    case 2:
      return run_pure_op_on(code, n, dst, row(0), one(1), row(2), row(3));
    case 4:
      return run_pure_op_on(code, n, dst, row(0), row(1), one(2), row(3));
    case 6:
      return run_pure_op_on(code, n, dst, row(0), one(1), one(2), row(3));
    default:
      FAIL() << "no such combination " << mask;
  }
}

TEST(KernelOperands, BroadcastGivesTheBitsOfAFilledRow) {
  // The rows cycle through every pair of values of their inputs (a with b, b with c, ...);
  // each broadcast input takes every value in turn, and its row is filled with it.
  const std::size_t v = kValues.size();
  const std::size_t n = v * v * v;
  for (const Case& c : kCases) {
    ASSERT_TRUE(takes_broadcast(c.code));
    for (const unsigned mask : c.masks) {
      for (const double value : kValues) {
        Rows in;
        std::size_t stride = 1;
        for (std::size_t k = 0; k < 4; ++k) {
          in[k].resize(n);
          for (std::size_t i = 0; i < n; ++i)
            in[k][i] = (mask >> k) & 1u ? value : kValues[(i / stride) % v];
          if (((mask >> k) & 1u) == 0) stride *= v;
        }
        std::vector<double> from_rows(n), broadcast(n);
        run_pure_op(c.code, n, from_rows.data(), in[0].data(), in[1].data(), in[2].data(),
                    in[3].data());
        run_with(c.code, mask, n, broadcast.data(), in);
        for (std::size_t i = 0; i < n; ++i) {
          ASSERT_TRUE(same_bits(from_rows[i], broadcast[i]))
              << "op " << static_cast<int>(c.code) << ", inputs " << mask << " broadcast, value "
              << value << ", lane " << i << ": " << from_rows[i] << " against " << broadcast[i];
        }
      }
    }
  }
}

// Constants in every position the kernel broadcasts: either operand of arithmetic and
// comparisons, the bounds of clamp, the branches of select, smooth's time constant, and
// a variable that is a constant in its base year (a copy).
const char* const kConstants = R"toml(
[model]
name = "constant operands"
base_year = 2023
end_year = 2034

[params]
a = { dist = "normal", mean = 1.0, sd = 0.3 }
b = { dist = "uniform", min = 0.2, max = 2.5 }

[vars.x]
base = 1.5
eq = "prev(x) * 1.01 + 0.2 * a - 0.1 * b"
unit = "index"

[vars.arith]
eq = "(x + 3) * 2.5 - 7 / (b + 0.25) + (1 - x) / 4 + mod(x, 0.7) + mod(5, b) - (2 - a)"
unit = "index"

[vars.compared]
eq = "(x < 1.2) + (0.9 <= a) + (x > 1.5) + (b >= 1) + (a == 1) + (b != 2) + max(a, 0.8) + min(0.9, b)"
unit = "count"

[vars.bounded]
eq = "clamp(a, 0.8, 1.2) + clamp(b, 0.5, x) + if(x > 1.6, 1, 0) + if(a > 1, 2, b) + if(b > 1, a, 3)"
unit = "index"

[vars.smoothed]
eq = "smooth(x, 3) + smooth(arith, b + 1)"
unit = "index"

[vars.step]
base = 2.0
eq = "prev(step) + 0.5 * a"
unit = "index"
)toml";

// The plan that reads every input from its row, as the kernel did before broadcasting.
KernelPlan rows_only(const Program& p) {
  KernelPlan plan;
  plan.base_broadcast.assign(p.base_ops.size(), 0);
  plan.step_broadcast.assign(p.step_ops.size(), 0);
  for (std::uint32_t i = 0; i < p.slots.size(); ++i) {
    if (p.slots[i].kind == SlotKind::constant) plan.filled_constants.push_back(i);
  }
  return plan;
}

// exp, log, pow and logistic run the portable functions over rows only
// (takes_broadcast): handed a broadcast input they fail loudly, where they would otherwise
// leave dst unwritten.
TEST(KernelOperands, PortableFunctionsRefuseABroadcastInput) {
  std::array<double, 4> dst{}, row{1.0, 2.0, 3.0, 4.0};
  const Broadcast one{2.0};
  for (const OpCode code : {OpCode::pow, OpCode::exp, OpCode::log, OpCode::logistic}) {
    EXPECT_FALSE(takes_broadcast(code));
    EXPECT_THROW(
        run_pure_op_on(code, dst.size(), dst.data(), one, row.data(), row.data(), row.data()),
        InternalError);
    EXPECT_THROW(
        run_pure_op_on(code, dst.size(), dst.data(), row.data(), one, row.data(), row.data()),
        InternalError);
    EXPECT_NO_THROW(run_pure_op_on(code, dst.size(), dst.data(), row.data(), row.data(), row.data(),
                                   row.data()));
  }
}

TEST(KernelOperands, PlannedKernelGivesTheBitsOfRows) {
  const Program program = test::compile_text(kConstants);
  const PreparedScenario planned = prepare_scenario(program, 700, 2024, random::SamplingDesign::mc);
  // The plan broadcasts in each list, and fills fewer rows than there are constants.
  std::size_t broadcast = 0;
  for (const auto m : planned.plan.base_broadcast) broadcast += m != 0;
  for (const auto m : planned.plan.step_broadcast) broadcast += m != 0;
  EXPECT_GE(broadcast, 20u);
  EXPECT_LT(planned.plan.filled_constants.size(), rows_only(program).filled_constants.size());
  PreparedScenario from_rows = planned;
  from_rows.plan = rows_only(program);

  for (const detail::KernelBuild build : detail::kernel_builds()) {
    SCOPED_TRACE("build " + std::to_string(static_cast<int>(build)));
    detail::use_kernel_build(build);
    // Batches of 64 and an odd one, so vector loops run with and without a tail.
    for (const std::size_t batch : {64u, 37u}) {
      test::expect_same_outcome(simulate_serial(planned, batch), simulate_serial(from_rows, batch),
                                "batch " + std::to_string(batch));
    }
  }
  detail::use_best_kernel_build();
}

}  // namespace
}  // namespace tamnhin
