// Normal variates per second: the counter-based generator (Philox4x32-10 + AS 241, what
// every normal_z op and shock group uses) against two stream generators it cannot be
// replaced by, as a yardstick: Boost's mt19937_64 with its ziggurat normal (the issue's
// 440 M/s on two cores), and std::mt19937 feeding the same AS 241 inverse CDF (the naive
// "one generator, one draw at a time" design). ->Threads(2): each thread its own buffer
// and draws, items/s summed over threads (real time).
#include <benchmark/benchmark.h>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/normal_distribution.hpp>
#include <cstdint>
#include <random>
#include <vector>

#include "engine/random/philox.hpp"

namespace tamnhin::bench {
namespace {

constexpr std::size_t kBlock = 4096;
constexpr std::uint64_t kKey = 0x9e3779b97f4a7c15ULL;

void BM_PhiloxNormals(benchmark::State& state) {
  std::vector<double> out(kBlock);
  std::uint64_t draw0 = static_cast<std::uint64_t>(state.thread_index()) << 40;
  for (auto _ : state) {
    random::standard_normals(kKey, 2030, draw0, kBlock, out.data());
    draw0 += kBlock;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_PhiloxNormals)->Threads(1)->Threads(2)->UseRealTime();

void BM_PhiloxUniforms(benchmark::State& state) {
  std::vector<double> out(kBlock);
  std::uint64_t draw0 = static_cast<std::uint64_t>(state.thread_index()) << 40;
  for (auto _ : state) {
    random::uniforms(kKey, 2030, draw0, kBlock, out.data());
    draw0 += kBlock;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_PhiloxUniforms)->Threads(1)->Threads(2)->UseRealTime();

// Scalar: one Philox call per draw through the public uniform(), as a per-draw
// interpreter would call it.
void BM_PhiloxNormalsOneAtATime(benchmark::State& state) {
  std::vector<double> out(kBlock);
  std::uint64_t draw0 = static_cast<std::uint64_t>(state.thread_index()) << 40;
  for (auto _ : state) {
    for (std::size_t i = 0; i < kBlock; ++i)
      out[i] = random::inverse_normal_cdf(random::uniform(kKey, draw0 + i, 2030));
    draw0 += kBlock;
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_PhiloxNormalsOneAtATime)->Threads(1)->Threads(2)->UseRealTime();

void BM_BoostMt19937_64Ziggurat(benchmark::State& state) {
  boost::random::mt19937_64 gen(20451u + static_cast<unsigned>(state.thread_index()));
  boost::random::normal_distribution<double> normal;
  std::vector<double> out(kBlock);
  for (auto _ : state) {
    for (double& z : out) z = normal(gen);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_BoostMt19937_64Ziggurat)->Threads(1)->Threads(2)->UseRealTime();

// std::mt19937 (32-bit): two outputs make a 53-bit uniform, then AS 241.
void BM_StdMt19937InverseNormal(benchmark::State& state) {
  std::mt19937 gen(20451u + static_cast<unsigned>(state.thread_index()));
  std::vector<double> out(kBlock);
  for (auto _ : state) {
    for (double& z : out) {
      const std::uint64_t hi = gen(), lo = gen();
      const std::uint64_t x = (hi << 32) | lo;
      z = random::inverse_normal_cdf((static_cast<double>(x >> 11) + 0.5) * 0x1p-53);
    }
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_StdMt19937InverseNormal)->Threads(1)->Threads(2)->UseRealTime();

// std::mt19937 with std::normal_distribution (libstdc++: Marsaglia's polar method); not
// usable in tamnhin (its algorithm differs between standard libraries), shown for scale.
void BM_StdMt19937NormalDistribution(benchmark::State& state) {
  std::mt19937 gen(20451u + static_cast<unsigned>(state.thread_index()));
  std::normal_distribution<double> normal;
  std::vector<double> out(kBlock);
  for (auto _ : state) {
    for (double& z : out) z = normal(gen);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * kBlock));
}
BENCHMARK(BM_StdMt19937NormalDistribution)->Threads(1)->Threads(2)->UseRealTime();

}  // namespace
}  // namespace tamnhin::bench
