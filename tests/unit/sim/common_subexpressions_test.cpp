// A value several equations compute is computed once per year
// (engine/compile/common_subexpressions.hpp), and every output keeps its bits: the merged
// program is compared with the one compiled without the pass, and with the operations
// written out.
#include "engine/compile/common_subexpressions.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

// f ^ e is in s, u and m; f ^ (-e) in u and p; f ^ (e + 1) first written straight into
// c, which is then clamped, and again in g, which needs the unclamped value. u's temporaries
// are those s used, so f ^ e's first slot holds a + t when u needs f ^ e again. l and m
// read f ^ e a year back, before and after f is computed this year. n1 and n2 draw from
// two random sites: equal-looking, never merged.
const char* const kModel = R"toml(
[model]
name = "shared"
base_year = 2020
end_year = 2026

[params]
a = { dist = "uniform", min = 0.5, max = 2.0 }
e = { dist = "uniform", min = 0.2, max = 0.8 }

[vars.f]
unit = "1"
base = 1.0
eq = "prev(f) * (1 + 0.05 * a)"

[vars.s]
unit = "1"
eq = "f ^ e * 0.3"

[vars.u]
unit = "1"
eq = "(a + t) / (f ^ e) + f ^ (-e)"

[vars.p]
unit = "1"
eq = "2 * f ^ (-e)"

[vars.c]
unit = "1"
max = 1.1
eq = "f ^ (e + 1)"

[vars.g]
unit = "1"
eq = "f ^ (e + 1) - c"

[vars.l]
unit = "1"
eq = "prev(f) ^ e + prev(f, 2) ^ e"

[vars.m]
unit = "1"
eq = "f ^ e - prev(f) ^ e"

[vars.n1]
unit = "1"
eq = "normal(0, 1) * a"

[vars.n2]
unit = "1"
eq = "normal(0, 1) * a"
)toml";

CompileOptions without_merging() {
  CompileOptions options;
  options.merge_common_subexpressions = false;
  return options;
}

std::size_t count(const std::vector<Op>& ops, OpCode code) {
  return static_cast<std::size_t>(
      std::count_if(ops.begin(), ops.end(), [&](const Op& op) { return op.code == code; }));
}

// Every recorded value of every year and draw, and the clamp counts, bit for bit.
void expect_same_outputs(const Program& merged, const Program& plain, std::size_t draws) {
  const ScenarioOutcome a = test::simulate(merged, draws, 11);
  const ScenarioOutcome b = test::simulate(plain, draws, 11);
  ASSERT_EQ(a.cube.values.size(), b.cube.values.size());
  std::size_t differing = 0;
  for (std::size_t i = 0; i < a.cube.values.size(); ++i) {
    differing += std::bit_cast<std::uint64_t>(a.cube.values[i]) !=
                 std::bit_cast<std::uint64_t>(b.cube.values[i]);
  }
  EXPECT_EQ(differing, 0u);
  // Clamp counts are per variable of the program; the merged one may have fewer smooth()
  // states, which come last and are never clamped.
  const auto same_counts = [](std::vector<std::uint64_t> merged_counts,
                              std::vector<std::uint64_t> plain_counts) {
    ASSERT_LE(merged_counts.size(), plain_counts.size());
    merged_counts.resize(plain_counts.size(), 0);
    EXPECT_EQ(merged_counts, plain_counts);
  };
  same_counts(a.clamps.low, b.clamps.low);
  same_counts(a.clamps.high, b.clamps.high);
}

TEST(CommonSubexpressions, EachSharedValueIsComputedOncePerYear) {
  const Program merged = test::compile_text(kModel);
  const Program plain = test::compile_text(kModel, without_merging());
  // Later years: f ^ e (three times, plus prev(f) ^ e twice), f ^ (-e) twice,
  // f ^ (e + 1) twice, prev(f, 2) ^ e once.
  EXPECT_EQ(count(plain.step_ops, OpCode::pow), 10u);
  EXPECT_EQ(count(merged.step_ops, OpCode::pow), 5u);
  EXPECT_LT(merged.step_ops.size(), plain.step_ops.size());
  EXPECT_LT(merged.base_ops.size(), plain.base_ops.size());
  // c's first computation of f ^ (e + 1) now writes a slot of its own, copied into c.
  const std::uint32_t c_slot = merged.vars[test::var_index(merged, "c")].slot;
  for (const Op& op : merged.step_ops) {
    if (op.dst.slot == c_slot && op.code != OpCode::finish_var) {
      EXPECT_EQ(op.code, OpCode::copy);
    }
  }
  // Random draws stay one per site.
  EXPECT_EQ(count(merged.step_ops, OpCode::normal_z), 2u);
  // Nothing is left to merge in the later years. (In the base year, the values hoisted out
  // of the later years are computed next to the base year's own: the second pass would
  // merge those, which saves nothing in a list run once.)
  Program again = merged;
  merge_common_subexpressions(again);
  EXPECT_EQ(again.step_ops.size(), merged.step_ops.size());
  EXPECT_EQ(count(again.step_ops, OpCode::copy), count(merged.step_ops, OpCode::copy));
}

TEST(CommonSubexpressions, OutputsKeepTheirBits) {
  expect_same_outputs(test::compile_text(kModel), test::compile_text(kModel, without_merging()),
                      300);
}

TEST(CommonSubexpressions, ValuesAreThoseOfTheOperationsWrittenOut) {
  const Program p = test::compile_text(kModel);
  constexpr std::size_t kDraws = 300;
  const ScenarioOutcome out = test::simulate(p, kDraws, 7);
  const PreparedScenario prepared = prepare_scenario(p, kDraws, 7, random::SamplingDesign::mc);
  const double* a = prepared.param_columns[0];
  const double* e = prepared.param_columns[1];
  // pow through the kernel the program runs (ops.hpp), so the bits are comparable.
  const auto pow = [](double x, double y) { return fold_pure_op(OpCode::pow, x, y); };
  std::size_t clamped = 0;
  for (int year = 2022; year <= 2026; ++year) {
    const auto col = [&](const char* name, int y) { return test::column(p, out.cube, name, y); };
    const auto f = col("f", year), f1 = col("f", year - 1), f2 = col("f", year - 2);
    const auto u = col("u", year), c = col("c", year), g = col("g", year);
    const auto l = col("l", year), m = col("m", year);
    const auto n1 = col("n1", year), n2 = col("n2", year);
    const double t = year - 2020;
    for (std::size_t d = 0; d < kDraws; ++d) {
      const double fe = pow(f[d], e[d]);
      ASSERT_EQ(u[d], (a[d] + t) / fe + pow(f[d], -e[d])) << year << " draw " << d;
      const double fe1 = pow(f[d], e[d] + 1);
      ASSERT_EQ(c[d], std::min(fe1, 1.1)) << year << " draw " << d;
      ASSERT_EQ(g[d], fe1 - c[d]) << year << " draw " << d;
      clamped += fe1 > 1.1 ? 1 : 0;
      ASSERT_EQ(l[d], pow(f1[d], e[d]) + pow(f2[d], e[d])) << year << " draw " << d;
      ASSERT_EQ(m[d], fe - pow(f1[d], e[d])) << year << " draw " << d;
      ASSERT_NE(n1[d], n2[d]) << year << " draw " << d;
    }
  }
  EXPECT_GT(clamped, 0u);  // g's value differs from the clamped c in some draws
}

// smooth(r, 2) in h1 and h2 shares one state; h3's starts a year later (h3 has a base
// value), and h4's and h5's arguments hold different random draws: states of their own.
const char* const kSmooth = R"toml(
[model]
name = "smooths"
base_year = 2020
end_year = 2026

[params]
a = { dist = "uniform", min = 0.5, max = 2.0 }

[vars.r]
unit = "1"
base = 1.0
eq = "prev(r) * (1 + 0.1 * a) - 0.05 * t"

[vars.h1]
unit = "1"
eq = "smooth(r, 2)"

[vars.h2]
unit = "1"
eq = "3 * smooth(r, 2)"

[vars.h3]
unit = "1"
base = 0.0
eq = "smooth(r, 2)"

[vars.h4]
unit = "1"
eq = "smooth(r + normal(0, 1), 2)"

[vars.h5]
unit = "1"
eq = "smooth(r + normal(0, 1), 2)"
)toml";

TEST(CommonSubexpressions, SmoothCallsWrittenAlikeShareTheirState) {
  const Program merged = test::compile_text(kSmooth);
  const Program plain = test::compile_text(kSmooth, without_merging());
  EXPECT_EQ(count(plain.step_ops, OpCode::smooth), 5u);
  EXPECT_EQ(count(merged.step_ops, OpCode::smooth), 4u);
  EXPECT_EQ(count(plain.base_ops, OpCode::smooth), 4u);  // h3 is not computed in 2020
  EXPECT_EQ(count(merged.base_ops, OpCode::smooth), 3u);
  EXPECT_EQ(merged.vars.size() + 1, plain.vars.size());
  expect_same_outputs(merged, plain, 300);

  constexpr std::size_t kDraws = 300;
  const ScenarioOutcome out = test::simulate(merged, kDraws, 3);
  const auto col = [&](const char* name, int y) { return test::column(merged, out.cube, name, y); };
  std::vector<double> s1 = col("r", 2020), s3;
  for (int year = 2021; year <= 2026; ++year) {
    const auto r = col("r", year), h1 = col("h1", year), h2 = col("h2", year);
    const auto h3 = col("h3", year), h4 = col("h4", year), h5 = col("h5", year);
    if (s3.empty()) s3 = r;  // h3's state starts at r in its first year
    for (std::size_t d = 0; d < kDraws; ++d) {
      s1[d] = s1[d] + (r[d] - s1[d]) / 2;
      if (year > 2021) s3[d] = s3[d] + (r[d] - s3[d]) / 2;
      ASSERT_EQ(h1[d], s1[d]) << year << " draw " << d;
      ASSERT_EQ(h2[d], 3 * s1[d]) << year << " draw " << d;
      ASSERT_EQ(h3[d], s3[d]) << year << " draw " << d;
      ASSERT_NE(h4[d], h5[d]) << year << " draw " << d;
    }
  }
}

// The last slot of this program is a variable (no constant, no temporary comes after it),
// finished in the base year.
TEST(CommonSubexpressions, ProgramWhoseLastSlotIsAVariable) {
  const Program p = test::compile_text(R"toml(
[model]
name = "paths"
base_year = 2020
end_year = 2022

[vars.a]
unit = "1"
path = { 2020 = 0.5, 2022 = 1.5 }
)toml");
  ASSERT_EQ(p.slots.back().kind, SlotKind::var);
  const ScenarioOutcome out = test::simulate(p, 4, 1);
  EXPECT_EQ(test::column(p, out.cube, "a", 2021)[0], 1.0);
}

// The shipped model: its coverage and poverty equations share budget ^ elasticity terms.
TEST(CommonSubexpressions, LongAnKeepsItsBits) {
  const std::string file = TAMNHIN_SOURCE_DIR "/scenarios/long_an/baseline.toml";
  const Program merged = test::compile_file(file);
  const Program plain = test::compile_file(file, without_merging());
  EXPECT_LT(count(merged.step_ops, OpCode::pow), count(plain.step_ops, OpCode::pow));
  EXPECT_LT(merged.step_ops.size(), plain.step_ops.size());
  // A merged value's row is reused once its last reader has run: a few rows for the 26
  // merged values, not one each.
  EXPECT_LT(merged.rows, plain.rows + 10);
  expect_same_outputs(merged, plain, 512);
}

}  // namespace
}  // namespace tamnhin
