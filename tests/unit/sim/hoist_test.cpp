// Year-invariant ops are computed once per batch (engine/compile/hoist.hpp): none is left
// in the later years' list, and the values are the bits the same operations give when
// written out year by year.
#include "engine/compile/hoist.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <cstddef>
#include <string>
#include <vector>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

// (1 - a) and a * a are year-invariant; the temporaries that held them are reused for
// year-dependent values afterwards in the same equations.
const char* const kModel = R"toml(
[model]
name = "hoist"
base_year = 2020
end_year = 2026

[params]
a = { dist = "uniform", min = 0.1, max = 0.5 }

[vars.x]
unit = "1"
base = 1.0
eq = "prev(x) * (1 + a * a) + (1 - a) * t"

[vars.y]
unit = "1"
eq = "(1 - a) * x - sqrt(a * 2) / (x + t)"
)toml";

TEST(Hoist, NoInvariantOpIsLeftInTheYearlyList) {
  const Program p = test::compile_text(kModel);
  for (const Op& op : p.step_ops) {
    const OpTraits tr = traits(op.code);
    if (!tr.pure) continue;
    bool invariant = true;
    for (int i = 0; i < tr.arity; ++i) {
      const Operand& in = op.in[static_cast<std::size_t>(i)];
      const SlotKind kind = p.slots[in.slot].kind;
      invariant = invariant && (kind == SlotKind::constant || kind == SlotKind::param);
    }
    EXPECT_FALSE(invariant) << "op " << static_cast<int>(op.code) << " was not hoisted";
  }
  Program again = p;
  EXPECT_EQ(hoist_year_invariant(again), 0u);  // already done by compile()
}

TEST(Hoist, ValuesAreThoseOfTheOperationsWrittenOut) {
  const Program p = test::compile_text(kModel);
  constexpr std::size_t kDraws = 300;
  const ScenarioOutcome out = test::simulate(p, kDraws, 9);
  const PreparedScenario prepared = prepare_scenario(p, kDraws, 9, random::SamplingDesign::mc);
  const double* a = prepared.param_columns[0];
  for (int year = 2021; year <= 2026; ++year) {
    const auto x = test::column(p, out.cube, "x", year);
    const auto x_before = test::column(p, out.cube, "x", year - 1);
    const auto y = test::column(p, out.cube, "y", year);
    const double t = year - 2020;
    for (std::size_t d = 0; d < kDraws; ++d) {
      const double want_x = x_before[d] * (1 + a[d] * a[d]) + (1 - a[d]) * t;
      ASSERT_EQ(x[d], want_x) << "year " << year << " draw " << d;
      const double want_y = (1 - a[d]) * x[d] - std::sqrt(a[d] * 2) / (x[d] + t);
      ASSERT_EQ(y[d], want_y) << "year " << year << " draw " << d;
    }
  }
}

}  // namespace
}  // namespace tamnhin
