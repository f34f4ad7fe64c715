// Helpers for the simulation tests: models written inline as TOML, loaded, validated and
// compiled the way the command line does it, then simulated; plus column access by name.
#pragma once

#include <gtest/gtest.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "engine/compile/compile.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/random/sampling.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sim/simulate.hpp"
#include "engine/sim/study.hpp"
#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin::test {

using tamnhin::testing::TempDir;

inline std::string joined(const Diagnostics& d) {
  return tamnhin::testing::messages(d);
}

// Loads a scenario or bare model file and compiles it; any diagnostic fails the test (and
// throws, so the test stops there).
inline Program compile_file(const std::string& file, const CompileOptions& options = {}) {
  Diagnostics diagnostics;
  auto scenario = load_scenario(file, diagnostics);
  if (!scenario || !diagnostics.empty()) {
    ADD_FAILURE() << "loading " << file << " failed:\n" << joined(diagnostics);
    throw std::runtime_error("model did not load");
  }
  auto program = compile(scenario->model, diagnostics, options);
  if (!program || !diagnostics.empty()) {
    ADD_FAILURE() << "compiling " << file << " failed:\n" << joined(diagnostics);
    throw std::runtime_error("model did not compile");
  }
  return std::move(*program);
}

// A model given as TOML text, through a temporary file.
inline Program compile_text(const std::string& toml, const CompileOptions& options = {}) {
  TempDir dir;
  return compile_file(dir.write("model.toml", toml), options);
}

inline ScenarioOutcome simulate(const Program& program, std::size_t draws, std::uint64_t seed,
                                random::SamplingDesign design = random::SamplingDesign::mc,
                                std::size_t batch_size = 256) {
  const PreparedScenario prepared = prepare_scenario(program, draws, seed, design);
  return simulate_serial(prepared, batch_size);
}

// One scenario of a study named `name`: `program` at `draws` draws under `seed`. (Set
// member by member: a brace list that leaves out the optional members warns under GCC's
// -Wmissing-field-initializers.)
inline StudyScenario study_scenario(std::string name, const Program& program, std::size_t draws,
                                    std::uint64_t seed,
                                    random::SamplingDesign design = random::SamplingDesign::mc) {
  StudyScenario scenario;
  scenario.name = std::move(name);
  scenario.program = &program;
  scenario.draws = draws;
  scenario.seed = seed;
  scenario.design = design;
  return scenario;
}

// The same, named "study".
inline StudyScenario study_scenario(const Program& program, std::size_t draws, std::uint64_t seed,
                                    random::SamplingDesign design = random::SamplingDesign::mc) {
  return study_scenario("study", program, draws, seed, design);
}

// The same scenario through the driver every command runs (run_study: work items over a
// task arena of `threads`, the path MPI splits too), its cube captured whole. Tests compare
// it with the serial oracle above; there is no other parallel driver to test.
inline ScenarioOutcome simulate_study(const Program& program, std::size_t draws, std::uint64_t seed,
                                      random::SamplingDesign design, unsigned threads,
                                      std::size_t batch_size) {
  ScenarioOutcome out;
  out.cube = Cube(program.recorded.size(), static_cast<std::size_t>(program.years), draws);
  StudySettings settings;
  settings.threads = threads;
  settings.batch_size = batch_size;
  settings.summarise = false;
  settings.on_cube = [&](const CubePart& part) {
    // A part holds recorded variables [var_first, var_first + variables), every year, and
    // draws [first_draw, first_draw + draws).
    const Cube& c = *part.cube;
    for (std::size_t v = 0; v < c.variables; ++v) {
      for (std::size_t y = 0; y < c.years; ++y) {
        const auto from = c.column(v, y);
        std::copy(from.begin(), from.end(), out.cube.column(part.var_first + v, y) + c.first_draw);
      }
    }
  };
  out.clamps = run_study({study_scenario(program, draws, seed, design)}, settings).at(0).clamps;
  return out;
}

// Index of a recorded variable (a cube variable) by name.
inline std::size_t recorded_index(const Program& program, const std::string& name) {
  for (std::size_t i = 0; i < program.recorded.size(); ++i)
    if (program.recorded[i].name == name) return i;
  throw std::invalid_argument("no recorded variable " + name);
}

// Index of a variable in Program::vars (and ClampCounts) by name.
inline std::size_t var_index(const Program& program, const std::string& name) {
  for (std::size_t i = 0; i < program.vars.size(); ++i)
    if (program.vars[i].name == name) return i;
  throw std::invalid_argument("no variable " + name);
}

// The draws of one recorded variable in one calendar year.
inline std::vector<double> column(const Program& program, const Cube& cube, const std::string& name,
                                  int year) {
  const auto c = cube.column(recorded_index(program, name),
                             static_cast<std::size_t>(year - program.base_year));
  return {c.begin(), c.end()};
}

struct Moments {
  double mean = 0, var = 0;  // sample variance, divisor N - 1
};

inline Moments moments(const std::vector<double>& x) {
  Moments m;
  for (double v : x) m.mean += v;
  m.mean /= static_cast<double>(x.size());
  for (double v : x) m.var += (v - m.mean) * (v - m.mean);
  m.var /= static_cast<double>(x.size() - 1);
  return m;
}

inline double correlation(const std::vector<double>& x, const std::vector<double>& y) {
  const Moments mx = moments(x), my = moments(y);
  double c = 0;
  for (std::size_t i = 0; i < x.size(); ++i) c += (x[i] - mx.mean) * (y[i] - my.mean);
  c /= static_cast<double>(x.size() - 1);
  return c / std::sqrt(mx.var * my.var);
}

// Two simulations of the same draws, byte for byte: the cube's shape and values and the
// clamp counts. `Outcome` is anything with a cube and clamps (ScenarioOutcome, a test's
// own driver's result).
template <class A, class B>
void expect_same_outcome(const A& a, const B& b, const std::string& what = "") {
  ASSERT_EQ(a.cube.variables, b.cube.variables) << what;
  ASSERT_EQ(a.cube.years, b.cube.years) << what;
  ASSERT_EQ(a.cube.draws, b.cube.draws) << what;
  ASSERT_EQ(a.cube.values.size(), b.cube.values.size()) << what;
  EXPECT_EQ(std::memcmp(a.cube.values.data(), b.cube.values.data(),
                        a.cube.values.size() * sizeof(double)),
            0)
      << what;
  EXPECT_EQ(a.clamps.low, b.clamps.low) << what;
  EXPECT_EQ(a.clamps.high, b.clamps.high) << what;
}

// Standard normal CDF and density.
inline double normal_cdf(double z) {
  return 0.5 * std::erfc(-z / std::sqrt(2.0));
}
inline double normal_pdf(double z) {
  return std::exp(-0.5 * z * z) / std::sqrt(2.0 * 3.14159265358979323846);
}

}  // namespace tamnhin::test
