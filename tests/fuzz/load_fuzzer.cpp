// libFuzzer target: the model/scenario loader, the compiler and a few draws of the kernel.
//
// An input is one or more TOML files separated by a line "#%%" (a TOML comment, so a
// plain model file is a valid input too): part k is written to f<k>.toml in a scratch
// directory and f0.toml is loaded as the command line would (load_scenario, then compile
// even after loading problems, as `check` does). Seeds made by make_corpus.py rewrite
// `model = ...` and `extends = ...` to name the other parts, so scenarios, their models
// and the shared equations are all reached. A program that compiles cleanly is simulated
// for a few draws, so run-time arithmetic (lookups, ramps, lags, sampling) is fuzzed too.
//
// Anything but a crash, a leak, undefined behaviour or a hang is fine: diagnostics and
// InputError are the expected answers to bad input.
#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <string_view>
#include <vector>

#include <oneapi/tbb/task_arena.h>

#include "engine/compile/compile.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sim/simulate.hpp"
#include "tests/fuzz/fuzz_support.hpp"

namespace {

constexpr std::string_view kSeparator = "\n#%%\n";
constexpr std::size_t kMaxParts = 4;

std::vector<std::string_view> split(std::string_view input) {
  std::vector<std::string_view> parts;
  while (parts.size() + 1 < kMaxParts) {
    const std::size_t at = input.find(kSeparator);
    if (at == std::string_view::npos) break;
    parts.push_back(input.substr(0, at));
    input.remove_prefix(at + kSeparator.size());
  }
  parts.push_back(input);
  return parts;
}

void simulate_a_little(const tamnhin::Program& program, tamnhin::random::SamplingDesign design) {
  // Few draws keep an input cheap; the design is the scenario's own (`sampling = ...`).
  // One thread: sampling uses oneTBB, and worker threads would only slow the fuzzer.
  constexpr std::size_t kDraws = 8;
  oneapi::tbb::task_arena one(1);
  one.execute([&] {
    const auto prepared = tamnhin::prepare_scenario(program, kDraws, 20451, design);
    try {
      (void)tamnhin::simulate_serial(prepared, 4);
    } catch (const tamnhin::NonFiniteValue&) {
      // A NaN or an infinity from the equations: reported to the user, not a bug.
    }
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto& dir = tamnhin::fuzz::scratch_dir();
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const auto parts = split(input);
  for (std::size_t k = 0; k < kMaxParts; ++k) {
    const auto file = dir / ("f" + std::to_string(k) + ".toml");
    if (k < parts.size()) {
      std::ofstream(file, std::ios::binary)
          .write(parts[k].data(), static_cast<std::streamsize>(parts[k].size()));
    } else {
      std::filesystem::remove(file);  // no file left over from an earlier input
    }
  }
  try {
    tamnhin::Diagnostics diagnostics;
    auto scenario = tamnhin::load_scenario((dir / "f0.toml").string(), diagnostics);
    if (!scenario) return 0;
    const bool loaded_cleanly = diagnostics.empty();
    auto program = tamnhin::compile(scenario->model, diagnostics);
    for (const auto& d : diagnostics.all()) (void)d.to_string();
    if (program && loaded_cleanly && diagnostics.empty()) {
      simulate_a_little(*program, scenario->sampling.value_or(tamnhin::random::SamplingDesign::mc));
    }
  } catch (const tamnhin::InputError&) {
    // Some problems are thrown rather than collected; they are answers, not crashes.
  }
  return 0;
}
