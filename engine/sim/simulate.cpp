#include "engine/sim/simulate.hpp"

#include <algorithm>
#include <atomic>
#include <bit>
#include <cmath>
#include <limits>
#include <optional>

#include "engine/core/check.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/core/portable_math_lanes.hpp"
#include "engine/random/philox.hpp"
#include "engine/sim/detail_row_stores.hpp"
#include "engine/sim/reuse_plan.hpp"

namespace tamnhin {

namespace {
// The inputs of `op` the kernel broadcasts, from `constant` (bit k: input k is a constant
// slot): the combinations BatchRunner::pure_op has a loop for, that is one input of a
// unary or binary op, and the bounds or either branch of clamp and select; smooth's tau.
std::uint8_t broadcast_inputs(OpCode code, unsigned constant) {
  if (code == OpCode::smooth) return static_cast<std::uint8_t>(constant & 2u);
  if (!takes_broadcast(code)) return 0;
  if ((constant & 6u) == 6u) return 6;
  if ((constant & 2u) != 0) return 2;
  if ((constant & 4u) != 0) return 4;
  return static_cast<std::uint8_t>(constant & 1u);
}
}  // namespace

KernelPlan plan_kernel(const Program& program) {
  KernelPlan plan;
  std::vector<char> read_as_row(program.slots.size(), 0);
  const auto plan_list = [&](const std::vector<Op>& ops, std::vector<std::uint8_t>& masks) {
    masks.reserve(ops.size());
    for (const Op& op : ops) {
      const int inputs = arity(op.code);  // (finish_var, the random ops and path read none)
      unsigned constant = 0;
      for (int k = 0; k < inputs; ++k) {
        if (program.slots[op.in[static_cast<std::size_t>(k)].slot].kind == SlotKind::constant)
          constant |= 1u << k;
      }
      const std::uint8_t broadcast = broadcast_inputs(op.code, constant);
      for (int k = 0; k < inputs; ++k) {
        if ((constant & ~broadcast & (1u << k)) != 0)
          read_as_row[op.in[static_cast<std::size_t>(k)].slot] = 1;
      }
      masks.push_back(broadcast);
    }
  };
  plan_list(program.base_ops, plan.base_broadcast);
  plan_list(program.step_ops, plan.step_broadcast);
  for (std::uint32_t i = 0; i < program.slots.size(); ++i) {
    if (read_as_row[i] != 0) plan.filled_constants.push_back(i);
  }
  return plan;
}

void ClampCounts::add(const ClampCounts& other) {
  for (std::size_t i = 0; i < low.size(); ++i) {
    low[i] += other.low[i];
    high[i] += other.high[i];
  }
}

void Workspace::prepare(const Program& program, std::size_t lanes) {
  std::size_t largest_group = 0;
  for (const auto& g : program.shock_groups)
    largest_group = std::max(largest_group, g.sites.size());
  lanes_ = lanes;
  scratch_row_ = program.rows;
  const std::size_t needed = (program.rows + largest_group) * lanes;
  if (data_.size() < needed) data_.resize(needed);
}

namespace {

class BatchRunner {
 public:
  BatchRunner(const PreparedScenario& s, std::size_t draw0, std::size_t n, Workspace& w, Cube& cube,
              ClampCounts& clamps, detail::StreamCopy copy = detail::stream_copy)
      : s_(s),
        p_(*s.program),
        draw0_(draw0),
        n_(n),
        w_(w),
        cube_(cube),
        clamps_(clamps),
        stream_copy_(copy) {}

  void run() {
    fill_constants();
    // Every variable is computed in its workspace ring (one row when it has no history),
    // which prev() reads; finish_var streams a recorded one into its cube column.
    recorded_of_.assign(p_.slots.size(), kNotRecorded);
    for (const CompiledVar& var : p_.vars) {
      // (unsigned: a variable before record_first wraps around and is not this part's)
      if (var.recorded && *var.recorded - s_.record_first < s_.record_count)
        recorded_of_[var.slot] = *var.recorded - s_.record_first;
    }
    current_.assign(p_.slots.size(), nullptr);
    ring_pos_.assign(p_.slots.size(), 0);
    for (int y = 0; y < p_.years; ++y) {
      year_ = y;
      // Every slot's row for this year, once per year rather than once per operand.
      for (std::size_t i = 0; i < p_.slots.size(); ++i) {
        const Slot& slot = p_.slots[i];
        if (slot.depth > 1) {
          ring_pos_[i] = static_cast<std::uint32_t>(y) % slot.depth;
          current_[i] = w_.row(slot.first_row + ring_pos_[i]);
        } else if (slot.kind == SlotKind::param) {
          // Read in place: a parameter's row is never written, so it need not be copied.
          current_[i] =
              const_cast<double*>(s_.param_columns[slot.index]) + (draw0_ - s_.param_first_draw);
        } else {
          current_[i] = w_.row(slot.first_row);
        }
      }
      fill(row_of({p_.year_slot, 0}), static_cast<double>(p_.base_year + y));
      fill(row_of({p_.t_slot, 0}), static_cast<double>(y));
      const std::vector<Op>& ops = p_.ops_for(y);
      const std::vector<std::uint8_t>& broadcast =
          y == 0 ? s_.plan.base_broadcast : s_.plan.step_broadcast;
      if (s_.reuse == nullptr) {
        for (std::size_t i = 0; i < ops.size(); ++i) execute(ops[i], broadcast[i]);
        continue;
      }
      const std::vector<OpAction>& actions = s_.reuse->actions[static_cast<std::size_t>(y)];
      for (std::size_t i = 0; i < ops.size(); ++i) {
        if (actions[i] == OpAction::run) {
          execute(ops[i], broadcast[i]);
        } else if (actions[i] != OpAction::skip) {
          load_var(ops[i].aux, actions[i] == OpAction::load ? row_of(ops[i].dst) : nullptr);
        }
      }
    }
    detail::stream_fence();
    // Report the lowest failing draw at its first failure, so the error does not depend
    // on how draws are grouped into batches.
    for (std::size_t i = 0; i < failures_.size(); ++i) {
      if (failures_[i]) throw NonFiniteValue(*failures_[i]);
    }
  }

 private:
  static constexpr std::size_t kNotRecorded = static_cast<std::size_t>(-1);

  // The batch's slice of a recorded variable's cube column for year index y.
  double* recorded_row(std::size_t slot, int y) const {
    return cube_.column(recorded_of_[slot], static_cast<std::size_t>(y)) + cube_offset();
  }

  double* row_of(Operand o) const {
    if (o.lag == 0) return current_[o.slot];
    const Slot& slot = p_.slots[o.slot];
    if (slot.depth == 1) return current_[o.slot];
    // Row (year - lag) mod depth of the ring, from this year's row (ring_pos_) without a
    // division: lag is below the depth but for a program built otherwise. Before the base
    // year the ring still holds the base value (seeded at year 0).
    const std::uint32_t lag = o.lag < slot.depth ? o.lag : o.lag % slot.depth;
    const std::uint32_t pos = ring_pos_[o.slot];
    return w_.row(slot.first_row + (pos >= lag ? pos - lag : pos + slot.depth - lag));
  }

  // The draw index the yearly randomness of this batch's first lane is keyed by.
  std::uint64_t stream_draw0() const { return s_.stream_offset + draw0_; }
  std::size_t cube_offset() const { return draw0_ - cube_.first_draw; }

  void fill(double* row, double value) { std::fill(row, row + n_, value); }

  // Only the constants some op reads as a row (KernelPlan); the others are broadcast.
  void fill_constants() {
    for (const std::uint32_t i : s_.plan.filled_constants) {
      const Slot& slot = p_.slots[i];
      fill(w_.row(slot.first_row), p_.constants[slot.index]);
    }
  }

  // A broadcast input's value: its constant.
  Broadcast value_of(Operand o) const { return {p_.constants[p_.slots[o.slot].index]}; }

  std::uint32_t calendar_year() const { return static_cast<std::uint32_t>(p_.base_year + year_); }

  // `broadcast`: the inputs taken as one value (KernelPlan), one of the combinations
  // broadcast_inputs gives.
  void execute(const Op& op, std::uint8_t broadcast) {
    if (is_pure(op.code)) {
      pure_op(op, broadcast);
      return;
    }
    double* dst = row_of(op.dst);
    switch (op.code) {
      case OpCode::lookup:
        lookup(p_.tables[op.aux], row_of(op.in[0]), dst);
        break;
      case OpCode::ramp:
        ramp(p_.ramps[op.aux], row_of(op.in[0]), row_of(op.in[1]), dst);
        break;
      case OpCode::normal_z:
        random::standard_normals(s_.site_keys[op.aux], calendar_year(), stream_draw0(), n_, dst);
        break;
      case OpCode::uniform_u:
        random::uniforms(s_.site_keys[op.aux], calendar_year(), stream_draw0(), n_, dst);
        break;
      case OpCode::path:
        fill(dst, p_.paths[op.aux][static_cast<std::size_t>(year_)]);
        break;
      case OpCode::smooth:
        if (broadcast != 0) {
          smooth(op, value_of(op.in[1]), dst);
        } else {
          smooth(op, row_of(op.in[1]), dst);
        }
        break;
      case OpCode::delay_out:
        delay_out(op, dst);
        break;
      case OpCode::delay_stock:
        delay_stock(op, dst);
        break;
      case OpCode::shock_group:
        shock_group(op.aux);
        break;
      case OpCode::finish_var:
        finish_var(op.aux, dst);
        break;
      default:
        TAMNHIN_CHECK(false);
    }
  }

  void pure_op(const Op& op, std::uint8_t broadcast) {
    double* dst = row_of(op.dst);
    const Operand* in = op.in.data();
    switch (broadcast) {
      case 0:
        run_pure_op_on(op.code, n_, dst, row_of(in[0]), row_of(in[1]), row_of(in[2]),
                       row_of(in[3]));
        break;
      case 1:
        run_pure_op_on(op.code, n_, dst, value_of(in[0]), row_of(in[1]), row_of(in[2]),
                       row_of(in[3]));
        break;
      case 2:
        run_pure_op_on(op.code, n_, dst, row_of(in[0]), value_of(in[1]), row_of(in[2]),
                       row_of(in[3]));
        break;
      case 4:
        run_pure_op_on(op.code, n_, dst, row_of(in[0]), row_of(in[1]), value_of(in[2]),
                       row_of(in[3]));
        break;
      case 6:
        run_pure_op_on(op.code, n_, dst, row_of(in[0]), value_of(in[1]), value_of(in[2]),
                       row_of(in[3]));
        break;
      default:
        TAMNHIN_CHECK(false);
    }
  }

  void lookup(const CompiledTable& t, const double* x, double* dst) const {
    const std::size_t last = t.x.size() - 1;
    for (std::size_t i = 0; i < n_; ++i) {
      const double v = x[i];
      if (!(v > t.x.front())) {
        dst[i] = v != v ? v : t.y.front();  // NaN stays NaN
      } else if (v >= t.x[last]) {
        dst[i] = t.y[last];
      } else {
        std::size_t k = 1;
        while (t.x[k] < v) ++k;
        const double w = (v - t.x[k - 1]) / (t.x[k] - t.x[k - 1]);
        dst[i] = t.y[k - 1] + w * (t.y[k] - t.y[k - 1]);
      }
    }
  }

  void ramp(const CompiledRamp& r, const double* v0, const double* v1, double* dst) const {
    const double year = p_.base_year + year_;
    double f = 0;
    if (year >= r.y1)
      f = 1;
    else if (year > r.y0)
      f = (year - r.y0) / (r.y1 - r.y0);
    for (std::size_t i = 0; i < n_; ++i) dst[i] = v0[i] + (v1[i] - v0[i]) * f;
  }

  // tau: a row, or a Broadcast constant.
  template <class Tau>
  void smooth(const Op& op, Tau tau, double* dst) {
    const double* x = row_of(op.in[0]);
    if (year_ == static_cast<int>(op.aux)) {
      std::copy(x, x + n_, dst);
      return;
    }
    const double* prev = row_of(op.in[2]);
    for (std::size_t i = 0; i < n_; ++i) dst[i] = prev[i] + (x[i] - prev[i]) / tau[i];
  }

  void delay_out(const Op& op, double* dst) {
    const double* x = row_of(op.in[0]);
    if (year_ == static_cast<int>(op.aux)) {
      std::copy(x, x + n_, dst);
      return;
    }
    const double* tau = row_of(op.in[1]);
    const double* stock = row_of(op.in[2]);
    for (std::size_t i = 0; i < n_; ++i) dst[i] = stock[i] / tau[i];
  }

  void delay_stock(const Op& op, double* dst) {
    const double* x = row_of(op.in[0]);
    const double* tau = row_of(op.in[1]);
    if (year_ == static_cast<int>(op.aux)) {
      for (std::size_t i = 0; i < n_; ++i) dst[i] = x[i] * tau[i];
      return;
    }
    const double* stock = row_of(op.in[2]);
    const double* out = row_of(op.in[3]);
    for (std::size_t i = 0; i < n_; ++i) dst[i] = stock[i] - out[i] + x[i];
  }

  void shock_group(std::uint32_t g) {
    const CompiledShockGroup& group = p_.shock_groups[g];
    const std::size_t k = group.sites.size();
    for (std::size_t m = 0; m < k; ++m) {
      random::standard_normals(s_.shock_keys[g][m], calendar_year(), stream_draw0(), n_,
                               w_.row(w_.scratch_row() + m));
    }
    for (std::size_t a = 0; a < k; ++a) {
      double* out = row_of({group.member_slots[a], 0});
      std::fill(out, out + n_, 0.0);
      for (std::size_t b = 0; b < k; ++b) {
        const double f = group.factor[a * k + b];
        if (f == 0.0) continue;
        const double* e = w_.row(w_.scratch_row() + b);
        for (std::size_t i = 0; i < n_; ++i) out[i] += f * e[i];
      }
    }
  }

  // Clamps, checks and records a variable's row in one pass where it can: the clamps and
  // the check in one loop, else the check in the copy to the cube, else on its own.
  void finish_var(std::uint32_t v, double* x) {
    const CompiledVar& var = p_.vars[v];
    // x - x is +0.0 for every finite x and NaN for an infinity or a NaN, so OR-ing the
    // bits of x - x finds a non-finite value in a loop that vectorises (no branch, no
    // comparison per lane). NaN is caught even when a clamp was applied.
    std::uint64_t non_finite_bits = 0;
    bool checked = false;
    if (var.min || var.max) {
      // A missing bound is an infinity: x < -inf and x > +inf are false for every x, NaN
      // included, so it clamps and counts nothing. The lower bound first, as declared.
      constexpr double kInf = std::numeric_limits<double>::infinity();
      const double lo = var.min.value_or(-kInf), hi = var.max.value_or(kInf);
      std::uint64_t low = 0, high = 0;
      for (std::size_t i = 0; i < n_; ++i) {
        const bool below = x[i] < lo;
        low += below;
        const double raised = below ? lo : x[i];
        const bool above = raised > hi;
        high += above;
        const double y = above ? hi : raised;
        x[i] = y;
        non_finite_bits |= std::bit_cast<std::uint64_t>(y - y);
      }
      clamps_.low[v] += low;
      clamps_.high[v] += high;
      checked = true;
    }
    if (recorded_of_[var.slot] != kNotRecorded) {
      const std::uint64_t bits = stream_copy_(x, n_, recorded_row(var.slot, year_));
      if (!checked) non_finite_bits = bits;
    } else if (!checked) {
      for (std::size_t i = 0; i < n_; ++i)
        non_finite_bits |= std::bit_cast<std::uint64_t>(x[i] - x[i]);
    }
    if (non_finite_bits != 0) {
      failures_.resize(n_);
      for (std::size_t i = 0; i < n_; ++i) {
        if (!std::isfinite(x[i]) && !failures_[i]) {
          failures_[i] = NonFiniteValue(v, p_.base_year + year_, draw0_ + i, x[i]);
        }
      }
    }
    if (year_ == 0) seed_ring(var, x);
  }

  // Seeds the ring of a variable with history from its base-year row x: row depth - k
  // holds year base - k, from the history when the model gives one, else the base value.
  void seed_ring(const CompiledVar& var, const double* x) {
    const Slot& slot = p_.slots[var.slot];
    for (std::uint32_t r = 1; r < slot.depth; ++r) {
      double* row = w_.row(slot.first_row + r);
      const std::size_t k = slot.depth - r;
      if (k <= var.before_base.size()) {
        std::fill(row, row + n_, var.before_base[k - 1]);
      } else {
        std::copy(x, x + n_, row);
      }
    }
  }

  // finish_var of a variable whose values are the reuse source's (OpAction::load and
  // record): they were clamped, checked and recorded there; copied into its cube column,
  // and into its row x unless nothing reads it (null).
  void load_var(std::uint32_t v, double* x) {
    const CompiledVar& var = p_.vars[v];
    const double* from =
        s_.reuse_source->column(*var.recorded, static_cast<std::size_t>(year_)).data() +
        (draw0_ - s_.reuse_source->first_draw);
    stream_copy_(from, n_, recorded_row(var.slot, year_));
    if (x == nullptr) return;
    std::copy(from, from + n_, x);
    if (year_ == 0) seed_ring(var, x);
  }

  const PreparedScenario& s_;
  const Program& p_;
  std::size_t draw0_, n_;
  Workspace& w_;
  Cube& cube_;
  ClampCounts& clamps_;
  detail::StreamCopy stream_copy_;
  int year_ = 0;
  std::vector<std::size_t> recorded_of_;  // per slot: its cube variable, or kNotRecorded
  std::vector<double*> current_;          // per slot: its row in the current year
  std::vector<std::uint32_t> ring_pos_;   // per slot with history: year mod depth
  std::vector<std::optional<NonFiniteValue>> failures_;  // per lane, the first failure
};

}  // namespace

namespace {
// The kernel, built for x86-64's baseline (SSE2: two lanes per instruction), for AVX2
// (four) and for AVX-512 (eight), chosen once by the CPU. Everything it calls is inlined into each
// build (flatten), so the op loops, clamps and checks run four lanes at a time: 18% fewer
// instructions on the Long An study, 58% fewer in the kernel itself. Both builds run the
// same IEEE-754 operations in the same order (no FMA: -ffp-contract=off), so they give
// the same bits; tests/unit/sim/kernel_builds_test.cpp compares them.
[[gnu::flatten]] void run_batch_baseline(const PreparedScenario& scenario, std::size_t draw0,
                                         std::size_t n, Workspace& workspace, Cube& cube,
                                         ClampCounts& clamps) {
  BatchRunner(scenario, draw0, n, workspace, cube, clamps).run();
}

#if defined(__x86_64__) && defined(__GNUC__)
[[gnu::target("avx2"), gnu::flatten]] void run_batch_avx2(const PreparedScenario& scenario,
                                                          std::size_t draw0, std::size_t n,
                                                          Workspace& workspace, Cube& cube,
                                                          ClampCounts& clamps) {
  BatchRunner(scenario, draw0, n, workspace, cube, clamps).run();
}

#if !defined(__clang__)  // (clang's builds, the sanitizers', have no AVX-512 lanes either)
// The kernel's loops over lanes in 512-bit vectors: on the Intel VM of docs/performance.md's
// ninth session, the nine Long An files took a median 1.19 s instead of 1.30 s with the AVX2
// build (six alternated runs; the CPU times 2.21 s and 2.31 s).
[[gnu::target("avx512f,avx512dq"), gnu::flatten]] void run_batch_avx512(
    const PreparedScenario& scenario, std::size_t draw0, std::size_t n, Workspace& workspace,
    Cube& cube, ClampCounts& clamps) {
  BatchRunner(scenario, draw0, n, workspace, cube, clamps, detail::stream_copy_avx512).run();
}
#endif
#endif

std::vector<detail::KernelBuild> builds_of_this_cpu() {
  std::vector<detail::KernelBuild> builds = {detail::KernelBuild::baseline};
#if defined(__x86_64__) && defined(__GNUC__)
  if (pmath::has_avx2()) builds.push_back(detail::KernelBuild::avx2);
  if (pmath::has_avx512()) builds.push_back(detail::KernelBuild::avx512);
#endif
  return builds;
}

// The build simulate_batch runs: the CPU's best unless a test chose one (asked on first
// use, not during static initialisation, where the CPU checks may not be ready yet).
std::atomic<int> chosen_build{-1};

detail::KernelBuild kernel_build() {
  int build = chosen_build.load(std::memory_order_relaxed);
  if (build < 0) {
    build = static_cast<int>(builds_of_this_cpu().back());
    chosen_build.store(build, std::memory_order_relaxed);
  }
  return static_cast<detail::KernelBuild>(build);
}
}  // namespace

namespace detail {
std::vector<KernelBuild> kernel_builds() {
  return builds_of_this_cpu();
}
void use_kernel_build(KernelBuild build) {
  const std::vector<KernelBuild> builds = builds_of_this_cpu();
  TAMNHIN_CHECK(std::find(builds.begin(), builds.end(), build) != builds.end());
  chosen_build.store(static_cast<int>(build), std::memory_order_relaxed);
}
void use_best_kernel_build() {
  chosen_build.store(-1, std::memory_order_relaxed);
}
}  // namespace detail

void simulate_batch(const PreparedScenario& scenario, std::size_t draw0, std::size_t n,
                    Workspace& workspace, Cube& cube, ClampCounts& clamps) {
  TAMNHIN_CHECK_LE(n, workspace.lanes());
  TAMNHIN_CHECK_LE(draw0 + n, scenario.draws);
  if (!scenario.program->params.empty()) {  // the draws whose parameters are sampled
    TAMNHIN_CHECK_LE(scenario.param_first_draw, draw0);
    TAMNHIN_CHECK_LE(draw0 + n - scenario.param_first_draw, scenario.param_draws);
  }
  TAMNHIN_CHECK_LE(cube.first_draw, draw0);
  TAMNHIN_CHECK_LE(draw0 + n - cube.first_draw, cube.draws);
  if (scenario.reuse != nullptr) {  // the source holds every recorded variable of these draws
    const Cube& source = *scenario.reuse_source;
    TAMNHIN_CHECK_EQ(scenario.record_first, 0u);
    TAMNHIN_CHECK_EQ(source.variables, scenario.program->recorded.size());
    TAMNHIN_CHECK_EQ(source.years, static_cast<std::size_t>(scenario.program->years));
    TAMNHIN_CHECK_EQ(scenario.reuse->actions.size(), source.years);
    TAMNHIN_CHECK_LE(source.first_draw, draw0);
    TAMNHIN_CHECK_LE(draw0 + n - source.first_draw, source.draws);
  }
#if defined(__x86_64__) && defined(__GNUC__)
  switch (kernel_build()) {
    case detail::KernelBuild::avx512:
#if !defined(__clang__)
      return run_batch_avx512(scenario, draw0, n, workspace, cube, clamps);
#else
      [[fallthrough]];  // (not among clang's builds: kernel_builds)
#endif
    case detail::KernelBuild::avx2:
      return run_batch_avx2(scenario, draw0, n, workspace, cube, clamps);
    case detail::KernelBuild::baseline:
      break;
  }
#endif
  run_batch_baseline(scenario, draw0, n, workspace, cube, clamps);
}

namespace {
ScenarioOutcome empty_outcome(const PreparedScenario& s) {
  ScenarioOutcome out;
  out.cube = Cube(s.program->recorded.size(), static_cast<std::size_t>(s.program->years), s.draws);
  out.clamps.resize(s.program->vars.size());
  return out;
}
}  // namespace

ScenarioOutcome simulate_serial(const PreparedScenario& scenario, std::size_t batch_size) {
  ScenarioOutcome out = empty_outcome(scenario);
  Workspace w;
  w.prepare(*scenario.program, batch_size);
  for (std::size_t d = 0; d < scenario.draws; d += batch_size) {
    simulate_batch(scenario, d, std::min(batch_size, scenario.draws - d), w, out.cube, out.clamps);
  }
  return out;
}

void throw_non_finite(const Program& program, const std::string& scenario,
                      const NonFiniteValue& e) {
  const CompiledVar& var = program.vars[e.var];
  const std::string value = std::isnan(e.value) ? "NaN" : e.value > 0 ? "+infinity" : "-infinity";
  throw InputError(Diagnostic{
      var.where, "vars." + var.name,
      "the equation gave " + value + " in year " + std::to_string(e.year) + ", draw " +
          std::to_string(e.draw) + (scenario.empty() ? "" : " of scenario '" + scenario + "'"),
      "look for log or sqrt of a negative number, division by zero, or overflow; "
      "min/max bounds or clamp() can keep the value in range"});
}

}  // namespace tamnhin
