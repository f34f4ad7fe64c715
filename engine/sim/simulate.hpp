// Simulation of one scenario: the pure batch kernel and its serial driver (STYLE.md: one
// kernel, two drivers; the other is run_study's, study.hpp). The kernel knows nothing of
// threads: it simulates draws [draw0, draw0 + n) for every year and writes their slice of
// the cube. The serial driver is the oracle the parallel one is tested against.
#pragma once

#include <atomic>
#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "engine/compile/program.hpp"
#include "engine/core/cube.hpp"
#include "engine/random/sampling.hpp"
#include "engine/sim/shared_parameters.hpp"

namespace tamnhin {

// How the kernel runs a program's ops, worked out once per scenario: the inputs that are
// constants it broadcasts (one value for every lane, ops.hpp's Broadcast) instead of
// reading their rows, and so the constant rows it still fills (those some op reads).
struct KernelPlan {
  // Per op of Program::base_ops and step_ops: bit k set when input k is broadcast.
  std::vector<std::uint8_t> base_broadcast, step_broadcast;
  std::vector<std::uint32_t> filled_constants;  // slots of the constants read as rows
};
KernelPlan plan_kernel(const Program& program);

struct ReusePlan;  // reuse_plan.hpp

// Everything a scenario's batches share: the program, its kernel plan, the sampled
// parameters and the keys of every random site under the run's seed.
struct PreparedScenario {
  const Program* program = nullptr;
  KernelPlan plan;  // plan_kernel(*program)
  std::size_t draws = 0;
  std::uint64_t seed = 0;
  random::SamplingDesign design = random::SamplingDesign::mc;
  // Per Program::params: the values of draws [param_first_draw, param_first_draw +
  // param_draws), all of them unless a window was sampled (sample_window); the kernel
  // simulates only draws inside.
  std::vector<const double*> param_columns;
  std::size_t param_first_draw = 0, param_draws = 0;
  std::vector<UnitValues> param_storage;               // owns the columns (possibly shared)
  std::vector<std::uint64_t> site_keys;                // per Program::sites
  std::vector<std::vector<std::uint64_t>> shock_keys;  // per group, per member
  std::uint64_t stream_offset = 0;  // added to draw indices of the yearly randomness
  // The recorded variables the kernel writes: [record_first, record_first + record_count)
  // of Program::recorded, to cube variables 0, 1, ... (a study splits a scenario whose
  // draws do not fit its memory budget). By default, all of them.
  std::size_t record_first = 0;
  std::size_t record_count = static_cast<std::size_t>(-1);
  // A scenario simulated after another one whose whole cube `reuse_source` holds
  // (reuse_plan.hpp): per year and op, run it, skip it or load its variable's values from
  // there. Null: every op runs. Only with every recorded variable (record_first 0).
  const ReusePlan* reuse = nullptr;
  const Cube* reuse_source = nullptr;
};

// With `shared`, parameter columns equal to ones already sampled for another scenario of
// the study are reused (shared_parameters.hpp); the values are the same either way.
// `sample_now` false leaves every column unsampled, for sample_window.
PreparedScenario prepare_scenario(const Program& program, std::size_t draws, std::uint64_t seed,
                                  random::SamplingDesign design, SharedParameters* shared = nullptr,
                                  bool sample_now = true);

// Samples the parameters of draws [first, first + count) only, in place of the columns
// `s` holds: the same bits as those draws of the whole columns, in `count` values a
// column instead of s.draws. For a run too long to hold every parameter's column
// (stream_scenario.hpp); only for designs whose values are per draw
// (random::DesignInfo::per_draw).
void sample_window(PreparedScenario& s, std::size_t first, std::size_t count);

// Per-variable counts of clamped (draw, year) values.
struct ClampCounts {
  std::vector<std::uint64_t> low, high;  // per Program::vars
  void resize(std::size_t n) {
    low.assign(n, 0);
    high.assign(n, 0);
  }
  void add(const ClampCounts& other);
};

// Thrown by the kernel when an equation yields NaN or an infinity.
struct NonFiniteValue : std::runtime_error {
  NonFiniteValue(std::size_t var_index, int year_value, std::size_t draw_index, double v)
      : std::runtime_error("non-finite value"),
        var(var_index),
        year(year_value),
        draw(draw_index),
        value(v) {}
  std::size_t var;
  int year;
  std::size_t draw;
  double value;
};

// Scratch rows for one batch; reused between batches of any program.
class Workspace {
 public:
  void prepare(const Program& program, std::size_t lanes);
  double* row(std::size_t r) { return data_.data() + r * lanes_; }
  std::size_t lanes() const { return lanes_; }
  std::size_t scratch_row() const { return scratch_row_; }

 private:
  std::vector<double> data_;
  std::size_t lanes_ = 0;
  std::size_t scratch_row_ = 0;  // first of the rows used for independent shock normals
};

// The kernel. `workspace` must have been prepared with at least n lanes.
void simulate_batch(const PreparedScenario& scenario, std::size_t draw0, std::size_t n,
                    Workspace& workspace, Cube& cube, ClampCounts& clamps);

namespace detail {
// For the tests that compare the kernel's builds (simulate.cpp): x86-64's baseline, AVX2,
// and AVX-512 (GCC's builds only). Every build runs the same operations per lane, so they
// give the same bits.
enum class KernelBuild { baseline, avx2, avx512 };
// The builds this CPU can run, baseline first; simulate_batch uses the last by default.
std::vector<KernelBuild> kernel_builds();
// Makes simulate_batch use `build` (one of kernel_builds()) until told otherwise.
void use_kernel_build(KernelBuild build);
// Back to the default.
void use_best_kernel_build();
}  // namespace detail

struct ScenarioOutcome {
  Cube cube;
  ClampCounts clamps;
};

// The oracle: batches one after another on the calling thread. The parallel driver is
// run_study's (study.hpp), over (scenario, batch) work items, the one every command and
// every MPI rank runs; tests compare it with this one bit for bit.
ScenarioOutcome simulate_serial(const PreparedScenario& scenario, std::size_t batch_size);

// Turns a NonFiniteValue into a user-facing error naming scenario, variable, year, draw.
[[noreturn]] void throw_non_finite(const Program& program, const std::string& scenario,
                                   const NonFiniteValue& e);

}  // namespace tamnhin
