// The functions added in round 2 of the language (sin, cos, floor, ceil, round, mod, step,
// pulse, delay1, delay3) and history before the base year, on models whose values are
// known exactly; delays are checked to conserve what flows through them.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr std::size_t kDraws = 4;

double value(const Program& p, const ScenarioOutcome& out, const std::string& name, int year) {
  const std::vector<double> x = test::column(p, out.cube, name, year);
  for (double v : x) EXPECT_EQ(v, x[0]) << name << " " << year;  // deterministic
  return x[0];
}

TEST(LanguageRound2, ElementaryFunctionsMatchTheCLibrary) {
  const Program p = test::compile_text(R"toml(
[model]
name = "functions"
base_year = 2020
end_year = 2026
[vars.s]
unit = "1"
eq = "sin(0.7 * t)"
[vars.c]
unit = "1"
eq = "cos(0.7 * t)"
[vars.fl]
unit = "1"
eq = "floor(1.5 * t - 4)"
[vars.ce]
unit = "1"
eq = "ceil(1.5 * t - 4)"
[vars.ro]
unit = "1"
eq = "round(0.5 * t - 1.5)"
[vars.mo]
unit = "1"
eq = "mod(2.5 * t - 6, 4)"
[vars.mneg]
unit = "1"
eq = "mod(t + 1, -3)"
[vars.folded]
unit = "1"
eq = "sin(1) + cos(1) + floor(-0.5) + ceil(-0.5) + round(2.5) + mod(-7, 3)"
)toml");
  const ScenarioOutcome out = test::simulate(p, kDraws, 1);
  for (int t = 0; t <= 6; ++t) {
    const int y = 2020 + t;
    EXPECT_EQ(value(p, out, "s", y), std::sin(0.7 * t));
    EXPECT_EQ(value(p, out, "c", y), std::cos(0.7 * t));
    EXPECT_EQ(value(p, out, "fl", y), std::floor(1.5 * t - 4));
    EXPECT_EQ(value(p, out, "ce", y), std::ceil(1.5 * t - 4));
    EXPECT_EQ(value(p, out, "ro", y), std::round(0.5 * t - 1.5));  // halves away from 0
    // mod has the sign of the divisor: mod(-1, 4) = 3, mod(1, -3) = -2.
    const double a = 2.5 * t - 6;
    EXPECT_EQ(value(p, out, "mo", y), a - 4 * std::floor(a / 4));
    EXPECT_EQ(value(p, out, "mneg", y), (t + 1) + 3 * std::floor((t + 1) / -3.0));
    EXPECT_EQ(value(p, out, "folded", y), std::sin(1.0) + std::cos(1.0) - 1 + 0 + 3 + 2);
  }
  EXPECT_EQ(value(p, out, "ro", 2021), -1.0);    // round(-1) ...
  EXPECT_EQ(value(p, out, "ro", 2022), -1.0);    // round(-0.5) = -1
  EXPECT_EQ(value(p, out, "mo", 2022), 3.0);     // mod(-1, 4)
  EXPECT_EQ(value(p, out, "mneg", 2020), -2.0);  // mod(1, -3)
}

TEST(LanguageRound2, StepAndPulseSwitchAtTheirYear) {
  const Program p = test::compile_text(R"toml(
[model]
name = "steps"
base_year = 2020
end_year = 2026
[params]
when = { dist = "uniform", min = 2022.5, max = 2023.5 }
[vars.st]
unit = "1"
eq = "step(5, 2023)"
[vars.pu]
unit = "1"
eq = "pulse(7, 2023)"
[vars.random_year]
unit = "1"
eq = "step(1, when)"
)toml");
  const ScenarioOutcome out = test::simulate(p, 64, 9);
  for (int y = 2020; y <= 2026; ++y) {
    EXPECT_EQ(value(p, out, "st", y), y >= 2023 ? 5.0 : 0.0) << y;
    EXPECT_EQ(value(p, out, "pu", y), y == 2023 ? 7.0 : 0.0) << y;
  }
  // With a random year, each draw switches in its own year (2023 or 2024).
  const auto at2023 = test::column(p, out.cube, "random_year", 2023);
  const auto at2024 = test::column(p, out.cube, "random_year", 2024);
  int switched = 0;
  for (std::size_t i = 0; i < at2023.size(); ++i) {
    EXPECT_EQ(at2024[i], 1.0);
    switched += at2023[i] == 1.0;
  }
  EXPECT_GT(switched, 0);
  EXPECT_LT(switched, 64);
}

// A pulse of 64 into delay1 with tau = 2: the stock halves every year, the output is half of
// last year's stock; in binary every value is exact, so the outflow adds up to 64 exactly
// once the stock has drained below the last bit.
TEST(LanguageRound2, Delay1ConservesAPulseExactly) {
  const Program p = test::compile_text(R"toml(
[model]
name = "delay pulse"
base_year = 2000
end_year = 2100
[vars.inflow]
unit = "1"
eq = "pulse(64, 2001)"
[vars.outflow]
unit = "1"
eq = "delay1(inflow, 2)"
[vars.delivered]
unit = "1"
base = 0
eq = "prev(delivered) + outflow"
)toml");
  const ScenarioOutcome out = test::simulate(p, kDraws, 1);
  EXPECT_EQ(value(p, out, "outflow", 2000), 0.0);  // starts in equilibrium with inflow 0
  EXPECT_EQ(value(p, out, "outflow", 2001), 0.0);  // nothing leaves in the year it enters
  EXPECT_EQ(value(p, out, "outflow", 2002), 32.0);
  EXPECT_EQ(value(p, out, "outflow", 2003), 16.0);
  EXPECT_EQ(value(p, out, "delivered", 2100), 64.0);
}

// Random inflows and a tau that is not a power of two. The stock is not recorded, but next
// year's output reveals it: out(y + 1) = stock(y) / tau. Everything that flowed in (the
// initial stock tau * in(2000), then every inflow) is what flowed out plus what is held.
TEST(LanguageRound2, Delay1ConservesRandomInflows) {
  const Program p = test::compile_text(R"toml(
[model]
name = "delay conservation"
base_year = 2000
end_year = 2040
[vars.inflow]
unit = "1"
eq = "uniform(0, 10) + 5 * pulse(1, 2010)"
[vars.d1]
unit = "1"
eq = "delay1(inflow, 3.7)"
)toml");
  const ScenarioOutcome out = test::simulate(p, 200, 7);
  const double tau = 3.7;
  for (std::size_t draw = 0; draw < 200; ++draw) {
    const auto at = [&](const std::string& name, int y) {
      return test::column(p, out.cube, name, y)[draw];
    };
    // In the base year: out = in, the stock = in * tau (equilibrium).
    ASSERT_EQ(at("d1", 2000), at("inflow", 2000));
    // Stock(Y) = stock(2000) + sum_{2001..Y} (in - out), and stock(Y) = tau * out(Y + 1).
    double in = tau * at("inflow", 2000), out1 = 0;
    for (int y = 2001; y < 2040; ++y) {
      in += at("inflow", y);
      out1 += at("d1", y);
      const double stock = tau * at("d1", y + 1);
      // Rounding only: a few ulps of the running sums.
      ASSERT_NEAR(in - out1, stock, 1e-12 * in) << "draw " << draw << " year " << y;
    }
  }
}

// delay3 on a pulse: three stages, each passing on what the one before delivered; all of
// the pulse is delivered, after tau years on average.
TEST(LanguageRound2, Delay3DeliversAPulseWithMeanDelayTau) {
  const Program p = test::compile_text(R"toml(
[model]
name = "delay3 pulse"
base_year = 2000
end_year = 2200
[vars.inflow]
unit = "1"
eq = "pulse(1000, 2001)"
[vars.outflow]
unit = "1"
eq = "delay3(inflow, 6)"
[vars.delivered]
unit = "1"
base = 0
eq = "prev(delivered) + outflow"
[vars.weighted]
unit = "1"
base = 0
eq = "prev(weighted) + outflow * (year - 2001)"
)toml");
  const ScenarioOutcome out = test::simulate(p, kDraws, 1);
  EXPECT_EQ(value(p, out, "outflow", 2001), 0.0);
  EXPECT_EQ(value(p, out, "outflow", 2002), 0.0);
  EXPECT_EQ(value(p, out, "outflow", 2003), 0.0);
  EXPECT_GT(value(p, out, "outflow", 2004), 0.0);  // three stages: three years at least
  EXPECT_NEAR(value(p, out, "delivered", 2200), 1000.0, 1e-9);
  // Each discrete stage (out = stock / 2 from the year after entry) delays by 2 years on
  // average: the mean delay of the chain is exactly 3 * 2 = tau.
  EXPECT_NEAR(value(p, out, "weighted", 2200) / 1000.0, 6.0, 1e-9);
}

TEST(LanguageRound2, PrevReadsHistoryBeforeTheBaseYear) {
  const Program p = test::compile_text(R"toml(
[model]
name = "history"
base_year = 2023
end_year = 2030
[vars.births]
unit = "persons"
base = 230
history = { 2012 = 100, 2015 = 160, 2020 = 200 }
eq = "prev(births) + 10"
[vars.cohort]
unit = "persons"
eq = "prev(births, 11)"
[vars.two_back]
unit = "persons"
base = 0
eq = "prev(births, 2)"
)toml");
  const ScenarioOutcome out = test::simulate(p, kDraws, 1);
  // cohort is evaluated from the base year: it reads 2012, 2013, ... 2019.
  const double expected[] = {100, 120, 140, 160, 168, 176, 184, 192};  // linear between keys
  for (int y = 2023; y <= 2030; ++y) {
    EXPECT_EQ(value(p, out, "cohort", y), expected[y - 2023]) << y;
  }
  // two_back has a base value, so its equation runs from 2024: it reads 2022 (between the
  // last history year 2020 = 200 and the base year 2023 = 230), 2023, 2024, ...
  EXPECT_EQ(value(p, out, "two_back", 2024), 220.0);
  EXPECT_EQ(value(p, out, "two_back", 2025), 230.0);
  EXPECT_EQ(value(p, out, "two_back", 2026), 240.0);
}

TEST(LanguageRound2, PrevBeforeTheHistoryIsAnErrorAtItsCall) {
  test::TempDir dir;
  const auto file = dir.write("m.toml", R"toml([model]
name = "history"
base_year = 2023
end_year = 2030
[vars.births]
base = 230
history = { 2015 = 160 }
eq = "prev(births) + 10"
[vars.cohort]
eq = "1 + prev(births, 11)"
)toml");
  Diagnostics d;
  auto s = load_scenario(file, d);
  ASSERT_TRUE(s && d.empty()) << test::joined(d);
  EXPECT_FALSE(compile(s->model, d).has_value());
  ASSERT_EQ(d.size(), 1u) << test::joined(d);
  EXPECT_EQ(d.all()[0].where.line, 10);
  EXPECT_EQ(d.all()[0].where.column, 11);  // the 'p' of prev
  EXPECT_NE(d.all()[0].message.find("reads 2012"), std::string::npos) << test::joined(d);
  EXPECT_NE(d.all()[0].message.find("starts in 2015"), std::string::npos) << test::joined(d);
}

}  // namespace
}  // namespace tamnhin
