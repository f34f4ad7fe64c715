// x ^ c with a constant exponent c in {1, 2, 3, 4, -1, -2, 0.5} is compiled to multiplies, a
// division or a square root (engine/compile/compile.cpp, constant_power): the values are
// the bits of that arithmetic written out, and other exponents still go through pow.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <utility>

#include "engine/core/portable_math.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

const char* const kModel = R"toml(
[model]
name = "powers"
base_year = 2020
end_year = 2023

[params]
a = { dist = "uniform", min = 0.1, max = 3.0 }

[vars.w]
unit = "1"
eq = "a + 0.25 * t"

[vars.p1]
unit = "1"
eq = "w ^ 1"

[vars.p2]
unit = "1"
eq = "w ^ 2"

[vars.p3]
unit = "1"
eq = "pow(w, 3)"

[vars.p4]
unit = "1"
eq = "w ^ 4"

[vars.m1]
unit = "1"
eq = "w ^ (-1)"

[vars.m2]
unit = "1"
eq = "w ^ (-2)"

[vars.half]
unit = "1"
eq = "pow(w, 0.5)"

[vars.other]
unit = "1"
eq = "w ^ 2.5"
)toml";

TEST(ConstantPower, ExponentsBecomeArithmeticWithItsBits) {
  const Program p = test::compile_text(kModel);
  const auto pows = std::count_if(p.step_ops.begin(), p.step_ops.end(),
                                  [](const Op& op) { return op.code == OpCode::pow; });
  EXPECT_EQ(pows, 1);  // only w ^ 2.5
  constexpr std::size_t kDraws = 200;
  const ScenarioOutcome out = test::simulate(p, kDraws, 5);
  for (int year = 2021; year <= 2023; ++year) {
    const auto w = test::column(p, out.cube, "w", year);
    const auto col = [&](const char* name) { return test::column(p, out.cube, name, year); };
    const auto p1 = col("p1"), p2 = col("p2"), p3 = col("p3"), p4 = col("p4");
    const auto m1 = col("m1"), m2 = col("m2"), half = col("half"), other = col("other");
    for (std::size_t d = 0; d < kDraws; ++d) {
      const double x = w[d];
      ASSERT_EQ(p1[d], x);
      ASSERT_EQ(p2[d], x * x);
      ASSERT_EQ(p3[d], x * x * x);
      ASSERT_EQ(p4[d], (x * x) * (x * x));
      ASSERT_EQ(m1[d], 1.0 / x);
      ASSERT_EQ(m2[d], 1.0 / (x * x));
      ASSERT_EQ(half[d], std::sqrt(x));
      ASSERT_EQ(other[d], pmath::pow(x, 2.5));
      // Against pow itself: within its accuracy (0.86 ulp) plus the roundings above (3.6 ulp).
      const std::pair<double, double> against_pow[] = {
          {p2[d], 2.0}, {p3[d], 3.0}, {p4[d], 4.0}, {m1[d], -1.0}, {m2[d], -2.0}, {half[d], 0.5}};
      for (const auto& [got, c] : against_pow)
        ASSERT_NEAR(got, pmath::pow(x, c), 8e-16 * std::fabs(got)) << "x ^ " << c;
    }
  }
}

}  // namespace
}  // namespace tamnhin
