// The micro-benchmark driver: Google Benchmark's main, plus the scenario helpers.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>

#include "bench/bench_support.hpp"
#include "engine/compile/compile.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/scenario/scenario.hpp"

namespace tamnhin::bench {

std::size_t scenario_draws() {
  const char* env = std::getenv("TAMNHIN_BENCH_DRAWS");
  return env != nullptr ? static_cast<std::size_t>(std::strtoull(env, nullptr, 10)) : 100'000;
}

std::string scenario_file() {
  if (const char* env = std::getenv("TAMNHIN_BENCH_SCENARIO")) return env;
  const std::filesystem::path root = TAMNHIN_SOURCE_DIR;
  const auto long_an = root / "scenarios/long_an/baseline.toml";
  if (std::filesystem::exists(long_an)) return long_an.string();
  return (root / "scenarios/examples/baseline.toml").string();
}

const Program& scenario_program() {
  static const std::unique_ptr<Program> program = [] {
    Diagnostics d;
    auto scenario = load_scenario(scenario_file(), d);
    std::optional<Program> p;
    if (scenario && d.empty()) p = compile(scenario->model, d);
    if (!p || !d.empty()) {
      for (const auto& diag : d.all()) std::cerr << diag.to_string() << '\n';
      std::abort();
    }
    return std::make_unique<Program>(std::move(*p));
  }();
  return *program;
}

std::size_t evaluated_variables(const Program& program) {
  std::size_t n = 0;
  for (const Op& op : program.step_ops) n += op.code == OpCode::finish_var ? 1 : 0;
  return n;
}

}  // namespace tamnhin::bench

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::AddCustomContext("scenario", tamnhin::bench::scenario_file());
  benchmark::AddCustomContext("scenario_draws", std::to_string(tamnhin::bench::scenario_draws()));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
