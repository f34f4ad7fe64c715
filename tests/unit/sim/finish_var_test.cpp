// finish_var clamps a variable's row, checks it is finite and streams it into the cube, in
// as few passes as it can (the clamps and the check in one loop, else the check in the copy
// to the cube). Whatever the pass, with or without bounds, recorded or not, in either
// kernel build and for any batch: the clamp counts are exact and the failure reported is
// the lowest failing draw's.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "engine/core/portable_math_lanes.hpp"
#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr std::size_t kDraws = 600;
constexpr int kYears = 6;  // 2023..2028

// `bounds`: the TOML lines of y's bounds (none, min, max or both).
std::string model(const std::string& eq, const std::string& bounds) {
  return R"toml(
[model]
name = "finish"
base_year = 2023
end_year = 2028

[params]
u = { dist = "uniform", min = 0.0, max = 1.0 }

[vars.y]
unit = "1"
eq = ")toml" +
         eq + "\"\n" + bounds + "\n";
}

struct Variant {
  std::string bounds;
  bool low, high;
};
const std::vector<Variant> kVariants = {{"", false, false},
                                        {"min = 0.25", true, false},
                                        {"max = 0.75", false, true},
                                        {"min = 0.25\nmax = 0.75", true, true}};

// Every way finish_var runs: both builds, batches with and without a vector tail, the
// variable recorded into the cube or not (a part that records no variable).
template <class F>
void for_each_run(const Program& program, F&& f) {
  for (const detail::KernelBuild build : detail::kernel_builds()) {
    detail::use_kernel_build(build);
    for (const std::size_t batch : {64u, 37u}) {
      for (const bool recorded : {true, false}) {
        SCOPED_TRACE("build " + std::to_string(static_cast<int>(build)) + ", batch " +
                     std::to_string(batch) + (recorded ? ", recorded" : ", not recorded"));
        PreparedScenario prepared =
            prepare_scenario(program, kDraws, 11, random::SamplingDesign::mc);
        if (!recorded) prepared.record_count = 0;
        f(prepared, batch);
      }
    }
  }
  detail::use_best_kernel_build();
}

TEST(FinishVar, ClampCountsAreExact) {
  for (const Variant& v : kVariants) {
    SCOPED_TRACE("bounds: " + v.bounds);
    const Program program = test::compile_text(model("u", v.bounds));
    for_each_run(program, [&](const PreparedScenario& prepared, std::size_t batch) {
      // y = u every year: each year clamps the draws with u below 0.25 and above 0.75.
      const double* u = prepared.param_columns.at(0);
      std::uint64_t below = 0, above = 0;
      for (std::size_t d = 0; d < kDraws; ++d) {
        below += u[d] < 0.25;
        above += u[d] > 0.75;
      }
      ASSERT_GT(below, 0u);
      ASSERT_GT(above, 0u);
      const ScenarioOutcome out = simulate_serial(prepared, batch);
      const std::size_t y = test::var_index(program, "y");
      EXPECT_EQ(out.clamps.low[y], v.low ? below * kYears : 0u);
      EXPECT_EQ(out.clamps.high[y], v.high ? above * kYears : 0u);
      if (prepared.record_count != 0) {
        for (int year = 2023; year <= 2028; ++year) {
          const std::vector<double> col = test::column(program, out.cube, "y", year);
          for (std::size_t d = 0; d < kDraws; ++d) {
            const double want = v.low && u[d] < 0.25 ? 0.25 : v.high && u[d] > 0.75 ? 0.75 : u[d];
            ASSERT_EQ(col[d], want) << "draw " << d << ", year " << year;
          }
        }
      }
    });
  }
}

TEST(FinishVar, ReportsTheLowestFailingDraw) {
  // log(u - 0.3) is NaN for u < 0.3 from the first year; the bounds do not hide a NaN.
  for (const Variant& v : kVariants) {
    SCOPED_TRACE("bounds: " + v.bounds);
    const Program program = test::compile_text(model("log(u - 0.3)", v.bounds));
    for_each_run(program, [&](const PreparedScenario& prepared, std::size_t batch) {
      const double* u = prepared.param_columns.at(0);
      std::size_t lowest = 0;
      while (u[lowest] - 0.3 > 0) ++lowest;  // draw 0..: some u is below 0.3
      try {
        simulate_serial(prepared, batch);
        ADD_FAILURE() << "no failure";
      } catch (const NonFiniteValue& e) {
        EXPECT_EQ(e.var, test::var_index(program, "y"));
        EXPECT_EQ(e.year, 2023);
        EXPECT_EQ(e.draw, lowest);
        EXPECT_FALSE(std::isfinite(e.value));
      }
    });
  }
}

TEST(FinishVar, AnInfinityClampedByItsBoundIsNoFailure) {
  // 1 / (u - u) is +inf in every draw; the upper bound makes it 5, which is finite.
  const Program program = test::compile_text(model("1 / (u - u)", "max = 5"));
  for_each_run(program, [&](const PreparedScenario& prepared, std::size_t batch) {
    const ScenarioOutcome out = simulate_serial(prepared, batch);
    EXPECT_EQ(out.clamps.high[test::var_index(program, "y")], kDraws * kYears);
  });
}

}  // namespace
}  // namespace tamnhin
