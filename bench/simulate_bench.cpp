// The simulation core on one scenario (the Long An baseline, 100,000 draws unless
// TAMNHIN_BENCH_DRAWS says otherwise): every batch of the scenario through simulate_batch
// in a task arena of 1 or 2 threads, into a cube allocated once. Parameters are sampled
// beforehand (BM_PrepareScenario measures that); summaries are not included. The counter
// vyd_per_second is variables evaluated x years x draws per second of wall time.
// BM_SimulateOneDrawAtATime is the naive baseline of the same program: batches of one lane
// (what --batch 1 does), so every op is interpreted once per draw.
#include <benchmark/benchmark.h>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>
#include <oneapi/tbb/task_arena.h>

#include <algorithm>
#include <memory>
#include <vector>

#include "bench/bench_support.hpp"
#include "engine/sim/simulate.hpp"

namespace tamnhin::bench {
namespace {

const PreparedScenario& prepared(std::size_t draws) {
  static std::unique_ptr<PreparedScenario> cached;
  if (!cached || cached->draws != draws) {
    cached = std::make_unique<PreparedScenario>(
        prepare_scenario(scenario_program(), draws, 20451, random::SamplingDesign::mc));
  }
  return *cached;
}

void simulate_all(const PreparedScenario& s, std::size_t batch, Cube& cube) {
  const std::size_t batches = (s.draws + batch - 1) / batch;
  oneapi::tbb::parallel_for(
      oneapi::tbb::blocked_range<std::size_t>(0, batches, 1),
      [&](const oneapi::tbb::blocked_range<std::size_t>& r) {
        thread_local Workspace w;
        ClampCounts clamps;
        clamps.resize(s.program->vars.size());
        w.prepare(*s.program, batch);
        for (std::size_t b = r.begin(); b != r.end(); ++b) {
          const std::size_t d = b * batch;
          simulate_batch(s, d, std::min(batch, s.draws - d), w, cube, clamps);
        }
      },
      oneapi::tbb::simple_partitioner());
}

void run_simulation(benchmark::State& state, std::size_t draws, std::size_t batch) {
  const PreparedScenario& s = prepared(draws);
  const Program& p = *s.program;
  Cube cube(p.recorded.size(), static_cast<std::size_t>(p.years), draws);
  oneapi::tbb::task_arena arena(static_cast<int>(state.range(0)));
  arena.execute([&] { simulate_all(s, batch, cube); });  // warm: pages touched once
  for (auto _ : state) {
    arena.execute([&] { simulate_all(s, batch, cube); });
    benchmark::DoNotOptimize(cube.values.data());
  }
  const double vyd =
      static_cast<double>(evaluated_variables(p)) * p.years * static_cast<double>(draws);
  state.counters["vyd_per_second"] =
      benchmark::Counter(vyd, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["draws"] = static_cast<double>(draws);
  state.counters["variables"] = static_cast<double>(evaluated_variables(p));
  state.counters["years"] = p.years;
  state.counters["threads"] = static_cast<double>(state.range(0));
}

void BM_SimulateScenario(benchmark::State& state) {
  run_simulation(state, scenario_draws(), 256);
}
BENCHMARK(BM_SimulateScenario)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

// The same on one thread with batches of 64 to 1024 lanes: the batch trades the cost of
// interpreting each op (once per batch) against the workspace's share of the caches.
void BM_SimulateBatchSize(benchmark::State& state) {
  run_simulation(state, scenario_draws(), static_cast<std::size_t>(state.range(1)));
}
BENCHMARK(BM_SimulateBatchSize)
    ->ArgsProduct({{1}, {64, 128, 256, 512, 1024}})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

void BM_SimulateOneDrawAtATime(benchmark::State& state) {
  run_simulation(state, std::max<std::size_t>(1, scenario_draws() / 50), 1);
}
BENCHMARK(BM_SimulateOneDrawAtATime)->Arg(1)->UseRealTime()->Unit(benchmark::kMillisecond);

// Parameter sampling of the scenario (Boost.Math inverse CDFs), once per scenario.
void BM_PrepareScenario(benchmark::State& state) {
  const std::size_t draws = scenario_draws();
  oneapi::tbb::task_arena arena(static_cast<int>(state.range(0)));
  for (auto _ : state) {
    arena.execute([&] {
      auto s = prepare_scenario(scenario_program(), draws, 20451, random::SamplingDesign::mc);
      benchmark::DoNotOptimize(s.param_columns.data());
    });
  }
  state.SetItemsProcessed(
      static_cast<std::int64_t>(state.iterations() * draws * scenario_program().params.size()));
}
BENCHMARK(BM_PrepareScenario)->Arg(1)->Arg(2)->UseRealTime()->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace tamnhin::bench
