// The batch kernel driven by plain std::threads, for ThreadSanitizer. Debian's oneTBB is
// not built with TSan, so TSan reports races inside it that are not ours; this driver does
// what run_study does (disjoint draw ranges of one scenario, written into one
// Cube, per-batch clamp counts folded in batch order) with nothing but std::thread, so
// that a race in our own code (the kernel, the prepared scenario shared read-only by every
// thread, thread-local workspaces) is seen by TSan without TBB in the way. The results
// must equal the serial driver's bit for bit. Run by `ctest --preset tsan` (label tsan)
// and, as an ordinary unit test, everywhere else.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include <oneapi/tbb/task_arena.h>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

using random::SamplingDesign;

// Parameters, a correlation, yearly draws, a shock group, a table, lags, smooth() and
// clamps that bind: every kind of state a batch keeps.
const char* const kModel = R"toml(
[model]
name = "threads"
base_year = 2023
end_year = 2040

[params]
okun  = { dist = "normal", mean = 0.30, sd = 0.05 }
elast = { dist = "uniform", min = 0.10, max = 0.30 }

[[correlations]]
params = ["okun", "elast"]
matrix = [[1.0, -0.3], [-0.3, 1.0]]

[tables.response]
points = [[0.0, 0.0], [1.0, 0.6], [3.0, 0.9]]

[shocks.macro]
names  = ["demand", "prices"]
matrix = [[1.0, 0.4], [0.4, 1.0]]

[vars.growth]
eq = "0.05 + 0.02 * demand + normal(0, 0.01)"
unit = "1/yr"

[vars.gdp]
base = 100
eq = "prev(gdp) * (1 + growth) - okun * prev(gdp, 2) * 0.01"
unit = "index"

[vars.poverty]
base = 0.2
eq = "smooth(prev(poverty) * (1 - elast * growth) + 0.01 * prices, 2)"
min = 0.05
max = 0.25
unit = "share"

[vars.coverage]
eq = "lookup(response, gdp / 100)"
unit = "share"
)toml";

struct ThreadedOutcome {
  Cube cube;
  ClampCounts clamps;
};

// Batch b of size `batch` goes to thread b % threads; each thread has its own Workspace
// and its own ClampCounts per batch, as run_study's work items do.
ThreadedOutcome simulate_std_threads(const PreparedScenario& s, std::size_t batch,
                                     unsigned threads) {
  const Program& p = *s.program;
  ThreadedOutcome out{Cube(p.recorded.size(), static_cast<std::size_t>(p.years), s.draws), {}};
  out.clamps.resize(p.vars.size());
  const std::size_t batches = (s.draws + batch - 1) / batch;
  std::vector<ClampCounts> per_batch(batches);
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < threads; ++k) {
    pool.emplace_back([&, k] {
      Workspace workspace;
      workspace.prepare(p, batch);
      for (std::size_t b = k; b < batches; b += threads) {
        per_batch[b].resize(p.vars.size());
        const std::size_t d = b * batch;
        simulate_batch(s, d, std::min(batch, s.draws - d), workspace, out.cube, per_batch[b]);
      }
    });
  }
  for (auto& t : pool) t.join();
  for (const auto& c : per_batch) out.clamps.add(c);
  return out;
}

TEST(StdThreadDriver, SameBitsAsTheSerialDriver) {
  const Program program = test::compile_text(kModel);
  for (const auto design : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol}) {
    // Sampling uses oneTBB; one thread of it keeps TBB's uninstrumented workers out of the
    // way, so what TSan sees below is only our threads.
    oneapi::tbb::task_arena one(1);
    PreparedScenario prepared;
    one.execute([&] { prepared = prepare_scenario(program, 1000, 77, design); });
    const ScenarioOutcome serial = simulate_serial(prepared, 64);
    for (const unsigned threads : {2u, 4u}) {
      SCOPED_TRACE("design " + std::string(to_string(design)) + ", " + std::to_string(threads) +
                   " threads");
      test::expect_same_outcome(simulate_std_threads(prepared, 64, threads), serial);
    }
    std::uint64_t clamped = 0;
    for (const auto n : serial.clamps.low) clamped += n;
    for (const auto n : serial.clamps.high) clamped += n;
    EXPECT_GT(clamped, 0u) << "the clamps should bind, so their counts are exercised";
  }
}

// A failing draw is reported by the thread that meets it, and the other threads finish
// cleanly: the exception crosses no thread boundary unguarded.
TEST(StdThreadDriver, NonFiniteValueInOneThread) {
  const Program program = test::compile_text(R"toml(
[model]
name = "fails"
base_year = 2023
end_year = 2026

[params]
x = { dist = "uniform", min = -1, max = 1 }

[vars.y]
eq = "log(x + 0.5)"
unit = "log"
)toml");
  oneapi::tbb::task_arena one(1);
  PreparedScenario prepared;
  one.execute([&] { prepared = prepare_scenario(program, 512, 5, SamplingDesign::mc); });
  Cube cube(program.recorded.size(), static_cast<std::size_t>(program.years), prepared.draws);
  std::vector<int> failed(4, 0);
  std::vector<std::thread> pool;
  for (unsigned k = 0; k < 4; ++k) {
    pool.emplace_back([&, k] {
      Workspace workspace;
      workspace.prepare(program, 128);
      ClampCounts clamps;
      clamps.resize(program.vars.size());
      try {
        simulate_batch(prepared, k * 128, 128, workspace, cube, clamps);
      } catch (const NonFiniteValue&) {
        failed[k] = 1;
      }
    });
  }
  for (auto& t : pool) t.join();
  int any = 0;
  for (int f : failed) any += f;
  EXPECT_GT(any, 0);
}

}  // namespace
}  // namespace tamnhin
