// The factors of a compiled program (a correlation group is one factor; yearly draws are
// detected) and parameter values from uniforms; the draws.csv table.
#include "engine/analysis/sensitivity/factors.hpp"

#include <gtest/gtest.h>

#include "engine/analysis/sensitivity/draws_table.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/random/philox.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin::analysis {
namespace {

constexpr const char* kModel = R"toml(
[model]
name = "factors"
base_year = 2024
end_year = 2026

[params]
a = { dist = "uniform", min = 0.0, max = 10.0 }
k = 3.0
b = { dist = "normal", mean = 1.0, sd = 2.0 }
c = { dist = "uniform", min = -1.0, max = 1.0 }

[[correlations]]
params = ["a", "c"]
matrix = [[1.0, 0.9], [0.9, 1.0]]

[vars.y]
unit = "1"
eq = "a + b + c + k"
)toml";

TEST(Factors, GroupsAreOneFactorAndConstantsNone) {
  const Program p = test::compile_text(kModel);
  const FactorSet set = sensitivity_factors(p);
  ASSERT_EQ(set.factors.size(), 2u);
  EXPECT_EQ(set.factors[0].name, "a+c");
  EXPECT_EQ(set.factors[1].name, "b");
  EXPECT_EQ(set.names, (std::vector<std::string>{"a", "c", "b"}));
  EXPECT_EQ(set.factor_of, (std::vector<std::size_t>{0, 0, 1}));
  EXPECT_FALSE(set.yearly_draws);
  const Program noisy = test::compile_text(std::string(kModel) + R"toml(
[vars.z]
unit = "1"
eq = "normal(0, 1)"
)toml");
  EXPECT_TRUE(sensitivity_factors(noisy).yearly_draws);
}

TEST(Factors, ColumnsAreQuantilesAfterTheCopula) {
  const Program p = test::compile_text(kModel);
  const FactorSet set = sensitivity_factors(p);
  const std::size_t rows = 2000;
  std::vector<double> u(3 * rows);
  for (std::size_t c = 0; c < 3; ++c)
    random::uniforms(random::site_key(1, set.names[c]), 0, 0, rows, u.data() + c * rows);
  const auto cols = parameter_columns(p, set, u, rows);
  ASSERT_EQ(cols.size(), 3u);
  // b (no group): exactly its quantile.
  for (std::size_t r = 0; r < rows; ++r)
    EXPECT_EQ((*cols[2])[r], random::quantile(p.params[set.params[2]].marginal, u[2 * rows + r]));
  // a and c: within their ranges and strongly correlated (0.9 in normal scores).
  double sa = 0, sc = 0, sac = 0, saa = 0, scc = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    const double a = (*cols[0])[r], c = (*cols[1])[r];
    ASSERT_GE(a, 0.0);
    ASSERT_LE(a, 10.0);
    ASSERT_GE(c, -1.0);
    ASSERT_LE(c, 1.0);
    sa += a;
    sc += c;
    sac += a * c;
    saa += a * a;
    scc += c * c;
  }
  const double n = rows;
  const double corr = (sac - sa * sc / n) / std::sqrt((saa - sa * sa / n) * (scc - sc * sc / n));
  EXPECT_GT(corr, 0.85);
}

TEST(DrawsTable, ColumnsAreTheUnionOfParametersThenOutputs) {
  ScenarioDraws s1{"one", 2, {{"a", {1.5, 2}}, {"b", {3, 4}}}, {{10, 20}}};
  ScenarioDraws s2{"two", 1, {{"b", {5}}, {"c", {0.25}}}, {{30}}};
  EXPECT_EQ(render_draws_csv({s1, s2}, {"y@2030"}),
            "scenario,draw,a,b,c,y@2030\n"
            "one,0,1.5,3,,10\n"
            "one,1,2,4,,20\n"
            "two,0,,5,0.25,30\n");
}

TEST(DrawsTable, ParsingAndSizeChecks) {
  EXPECT_TRUE(parse_save_draws("params").empty());
  EXPECT_EQ(parse_save_draws("y@2030,z@2045"), (std::vector<std::string>{"y@2030", "z@2045"}));
  EXPECT_THROW(parse_save_draws("y2030"), InputError);
  EXPECT_THROW(parse_save_draws("y@2030,"), InputError);
  EXPECT_THROW(parse_save_draws("y@20x0"), InputError);
  EXPECT_NO_THROW(check_draws_size(10000, 50, std::size_t{1} << 30, 0));
  EXPECT_THROW(check_draws_size(100'000'000, 50, std::size_t{1} << 30, 0), InputError);
  EXPECT_THROW(check_draws_size(1'000'000, 50, std::size_t{1} << 40, std::size_t{1} << 20),
               InputError);
}

}  // namespace
}  // namespace tamnhin::analysis
