// A program cut down to some recorded variables (engine/compile/prune.hpp) must give
// those variables the very bits of the whole program, in every year, while computing less:
// the allocation commands and sensitivity studies rely on it to read their targets only.
#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "engine/compile/prune.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

// Two independent chains and one that reads both, with history, a smoothing state, a
// shock group, a random equation and a hoisted year-invariant term.
const char* const kChains = R"toml(
[model]
name = "chains"
base_year = 2024
end_year = 2036

[params]
g = { dist = "normal", mean = 0.03, sd = 0.01 }
e = { dist = "uniform", min = 0.2, max = 0.8 }

[shocks.macro]
names  = ["demand", "prices"]
matrix = [[1.0, 0.5], [0.5, 1.0]]

[vars.income]
base = 100
eq = "prev(income) * (1 + g + 0.01 * demand)"
unit = "index"

[vars.spending]
eq = "smooth(income ^ e, 3) * (1 - e)"
unit = "index"

[vars.prices_index]
base = 1
eq = "prev(prices_index) * (1 + 0.02 + 0.01 * prices) + normal(0, 0.001)"
unit = "index"

[vars.real_spending]
eq = "spending / prices_index + 0.1 * prev(real_spending, 2)"
base = 50
min = 0
unit = "index"
)toml";

// Every year of the kept variables has the same bits in the cut-down program.
void expect_same_columns(const Program& whole, const Program& cut,
                         const std::vector<std::size_t>& keep, std::size_t draws) {
  const ScenarioOutcome a = test::simulate(whole, draws, 7);
  const ScenarioOutcome b = test::simulate(cut, draws, 7);
  for (const std::size_t v : keep) {
    for (std::size_t y = 0; y < static_cast<std::size_t>(whole.years); ++y) {
      const auto x = a.cube.column(v, y), z = b.cube.column(v, y);
      EXPECT_EQ(std::memcmp(x.data(), z.data(), x.size() * sizeof(double)), 0)
          << whole.recorded[v].name << ", year index " << y;
    }
  }
}

TEST(Prune, KeepsTheBitsOfWhatItKeepsAndDropsTheRest) {
  const Program whole = test::compile_text(kChains);
  const std::size_t income = test::recorded_index(whole, "income"),
                    prices = test::recorded_index(whole, "prices_index"),
                    real = test::recorded_index(whole, "real_spending");
  const Program only_income = prune_to_recorded(whole, std::vector<std::size_t>{income});
  const Program only_prices = prune_to_recorded(whole, std::vector<std::size_t>{prices});
  const Program for_real = prune_to_recorded(whole, std::vector<std::size_t>{real});
  // Each chain alone is a part of the program; what reads both needs all of it.
  EXPECT_LT(only_income.step_ops.size(), whole.step_ops.size());
  EXPECT_LT(only_prices.step_ops.size(), whole.step_ops.size());
  EXPECT_LT(only_income.step_ops.size() + only_prices.step_ops.size(),
            whole.step_ops.size() + 2);  // the shock group is in both
  EXPECT_EQ(for_real.step_ops.size(), whole.step_ops.size());
  EXPECT_EQ(for_real.base_ops.size(), whole.base_ops.size());
  expect_same_columns(whole, only_income, {income}, 300);
  expect_same_columns(whole, only_prices, {prices}, 300);
  expect_same_columns(whole, for_real, {income, prices, real}, 300);
}

// On a shipped model, for each recorded variable alone: the same bits in every year.
TEST(Prune, EveryVariableOfAShippedModelKeepsItsBits) {
  const Program whole =
      test::compile_file(std::string(TAMNHIN_SOURCE_DIR) + "/scenarios/long_an/baseline.toml");
  std::size_t smaller = 0;
  for (std::size_t v = 0; v < whole.recorded.size(); ++v) {
    const std::vector<std::size_t> keep{v};
    const Program cut = prune_to_recorded(whole, keep);
    smaller += cut.step_ops.size() < whole.step_ops.size() ? 1 : 0;
    expect_same_columns(whole, cut, keep, 64);
  }
  EXPECT_GT(smaller, whole.recorded.size() / 2);
}

}  // namespace
}  // namespace tamnhin
