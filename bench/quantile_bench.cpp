// Quantile extraction from one column of draws (a lognormal-like spread of 10,000 or
// 100,000 values): the five quantiles of a forecast row by a full sort (the design before
// issue 4) and by bucket selection of the needed order statistics (what summarise does
// now), and the whole summary (mean, sd and the quantiles).
#include <benchmark/benchmark.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <random>
#include <vector>

#include "engine/stats/detail_order_statistics.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::bench {
namespace {

std::vector<double> column(std::size_t n) {
  std::mt19937_64 gen(2045);
  std::normal_distribution<double> z;
  std::vector<double> v(n);
  for (double& x : v) x = 150.0 * std::exp(0.2 * z(gen));
  return v;
}

constexpr std::array<double, 5> kP = {0.05, 0.25, 0.50, 0.75, 0.95};

void BM_QuantilesFullSort(benchmark::State& state) {
  const auto values = column(static_cast<std::size_t>(state.range(0)));
  std::vector<double> scratch;
  for (auto _ : state) {
    scratch.assign(values.begin(), values.end());
    std::sort(scratch.begin(), scratch.end());
    double sum = 0;
    for (double p : kP) sum += stats::quantile_type7(scratch, p);
    benchmark::DoNotOptimize(sum);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_QuantilesFullSort)->Arg(10'000)->Arg(100'000);

void BM_QuantilesSelect(benchmark::State& state) {
  const auto values = column(static_cast<std::size_t>(state.range(0)));
  std::vector<double> scratch;
  for (auto _ : state) {
    const auto q = stats::detail::type7_quantiles(values, kP, scratch);
    benchmark::DoNotOptimize(q.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_QuantilesSelect)->Arg(10'000)->Arg(100'000);

void BM_Summarise(benchmark::State& state) {
  const auto values = column(static_cast<std::size_t>(state.range(0)));
  std::vector<double> scratch;
  for (auto _ : state) {
    const auto s = stats::summarise(values, scratch);
    benchmark::DoNotOptimize(s.p50);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Summarise)->Arg(10'000)->Arg(100'000);

}  // namespace
}  // namespace tamnhin::bench
