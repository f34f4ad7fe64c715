// Every pure op kernel over one batch of lanes (time per lane), with inputs in the ranges
// real models use (positive where log, sqrt and pow need it). The random ops are measured
// in random_bench.cpp; the others (lookup, ramp, smooth, shock_group, finish_var) live in
// the batch kernel and are covered by the scenario benchmark.
#include <benchmark/benchmark.h>

#include <array>
#include <cstddef>
#include <random>
#include <vector>

#include "engine/compile/ops.hpp"

namespace tamnhin::bench {
namespace {

constexpr std::size_t kLanes = 256;  // the default batch size

struct Inputs {
  std::array<std::vector<double>, 4> in;
  std::vector<double> out = std::vector<double>(kLanes);
  Inputs() {
    std::mt19937_64 gen(42);
    std::uniform_real_distribution<double> pos(0.05, 2.0);
    for (auto& v : in) {
      v.resize(kLanes);
      for (double& x : v) x = pos(gen);
    }
    // triangular: u in (0,1), min < mode < max
    for (std::size_t i = 0; i < kLanes; ++i) {
      in[0][i] = std::min(in[0][i] / 2.0, 0.999);
      in[1][i] = 0.0;
      in[2][i] = 0.5;
      in[3][i] = 1.0 + in[3][i];
    }
  }
};

// Runs `code` over the inputs' rows for the benchmark's iterations.
void time_op(benchmark::State& state, OpCode code, Inputs& x) {
  for (auto _ : state) {
    run_pure_op(code, kLanes, x.out.data(), x.in[0].data(), x.in[1].data(), x.in[2].data(),
                x.in[3].data());
    benchmark::DoNotOptimize(x.out.data());
    benchmark::ClobberMemory();
  }
  // Seconds per lane, printed with an SI prefix ("650ps" = 0.65 ns per lane).
  state.counters["per_lane"] = benchmark::Counter(
      static_cast<double>(kLanes),
      benchmark::Counter::kIsIterationInvariantRate | benchmark::Counter::kInvert);
}

void BM_Op(benchmark::State& state, OpCode code) {
  Inputs x;
  if (code != OpCode::triangular) {  // general inputs: a, b, c positive, not ordered
    std::mt19937_64 gen(7);
    std::uniform_real_distribution<double> pos(0.05, 2.0);
    for (auto& v : x.in)
      for (double& e : v) e = pos(gen);
  }
  time_op(state, code, x);
}

#define TAMNHIN_OP_BENCH(name) BENCHMARK_CAPTURE(BM_Op, name, OpCode::name)
TAMNHIN_OP_BENCH(copy);
TAMNHIN_OP_BENCH(negate);
TAMNHIN_OP_BENCH(add);
TAMNHIN_OP_BENCH(sub);
TAMNHIN_OP_BENCH(mul);
TAMNHIN_OP_BENCH(div);
TAMNHIN_OP_BENCH(pow);
TAMNHIN_OP_BENCH(lt);
TAMNHIN_OP_BENCH(le);
TAMNHIN_OP_BENCH(gt);
TAMNHIN_OP_BENCH(ge);
TAMNHIN_OP_BENCH(eq);
TAMNHIN_OP_BENCH(ne);
TAMNHIN_OP_BENCH(logical_and);
TAMNHIN_OP_BENCH(logical_or);
TAMNHIN_OP_BENCH(logical_not);
TAMNHIN_OP_BENCH(min);
TAMNHIN_OP_BENCH(max);
TAMNHIN_OP_BENCH(clamp);
TAMNHIN_OP_BENCH(abs);
TAMNHIN_OP_BENCH(exp);
TAMNHIN_OP_BENCH(log);
TAMNHIN_OP_BENCH(sqrt);
TAMNHIN_OP_BENCH(select);
TAMNHIN_OP_BENCH(logistic);
TAMNHIN_OP_BENCH(triangular);
#undef TAMNHIN_OP_BENCH

// pow with the exponents of the shipped models (elasticities, |y| <= 1, x normal): such rows
// run pow_lanes' moderate tier, without the over- and underflow guards. BM_Op/pow's exponents
// reach 2, so it measures the guarded tier.
void BM_PowElasticity(benchmark::State& state) {
  Inputs x;
  std::mt19937_64 gen(7);
  std::uniform_real_distribution<double> pos(0.05, 2.0), elast(-1.0, 1.0);
  for (std::size_t i = 0; i < kLanes; ++i) x.in[0][i] = pos(gen), x.in[1][i] = elast(gen);
  time_op(state, OpCode::pow, x);
}
BENCHMARK(BM_PowElasticity);

}  // namespace
}  // namespace tamnhin::bench
