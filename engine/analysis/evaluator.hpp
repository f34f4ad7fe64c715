// The one evaluator of the analysis layer: every study command (run, sweep, seek,
// optimize, sensitivity, discover) is a generator of variants of loaded scenarios, and
// this is what simulates them. A call to evaluate() is one parallel study over all the
// variants given (oneTBB work items over (variant, batch)); generators that adapt (a
// root-finder, an optimiser) call it in rounds, and the sequence of rounds is
// deterministic. Results are a pure function of (files, overrides, seed): byte-identical
// for any thread count.
//
// What is reused between variants and rounds: a variant's compiled program (compiled once
// from the in-memory model with its overrides, cached by its overrides), and sampled
// parameter columns (shared whenever a variant samples a parameter exactly as another
// did: same name, distribution, seed, draws and design). Every variant of a base
// scenario uses the base's random numbers: common random numbers, so paired differences
// between variants are policy, not noise.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "engine/analysis/variant.hpp"
#include "engine/compile/program.hpp"
#include "engine/random/sampling.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sim/study.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin::analysis {

// Run settings; an unset value is the base scenario's own, else the documented default.
struct EvaluationSettings {
  std::optional<std::size_t> draws;
  std::optional<std::uint64_t> seed;
  std::optional<random::SamplingDesign> design;
  unsigned threads = 0;  // 0: all cores
  std::size_t batch_size = 256;
  const std::atomic<bool>* stop = nullptr;
};

// A recorded variable in a calendar year: a column of per-draw values.
struct Capture {
  std::string variable;
  int year = 0;
};

struct Request {
  bool summaries = true;           // forecast quantiles and target odds per variant
  bool target_indicators = false;  // per target and draw: whether it holds
  // With target_indicators: only these targets (indices into the variant's
  // Program::targets; the others' indicators stay empty). Empty: every target. The fewer
  // the targets, the less of the model is simulated (prune.hpp).
  std::vector<std::size_t> only_targets;
  std::vector<Capture> captures;  // per-draw columns wanted from every variant
  bool parameters = false;        // per-draw values of every sampled parameter
  // Every simulated part of every variant, in variant order, on the calling thread.
  std::function<void(std::size_t variant, const CubePart&)> on_cube;
  // The columns on_cube reads of a variant, when it reads only some: v * years + y over
  // the variant's Program::recorded. Under MPI only those (and the captures and target
  // years) travel between ranks (StudySettings::cube_reads). Unset: every column.
  std::function<std::vector<std::size_t>(std::size_t variant)> on_cube_reads;
  // With summaries and on_cube: the columns of a part that repeat, bit for bit, those of an
  // earlier variant (SameColumn::scenario a variant index), whose summaries are then
  // copied (StudySettings::same_columns). Unset: every column is summarised.
  std::function<std::vector<SameColumn>(std::size_t variant, const CubePart&)> same_columns;
  // With summaries and on_cube: the columns of a part whose summaries on_cube's owner made
  // (StudySettings::summarised_columns), copied. Unset: none.
  std::function<std::vector<SummarisedColumn>(std::size_t variant, const CubePart&)>
      summarised_columns;
  // With on_cube: the complete cube of an earlier variant that on_cube's owner holds, or
  // null; a variant that simulates exactly what that one did is not simulated again
  // (StudySettings::held_cube). Unset: every variant is simulated.
  std::function<const Cube*(std::size_t variant)> held_cube;
};

struct VariantResult {
  std::string name;
  stats::ScenarioReport report;  // when Request::summaries
  ClampCounts clamps;            // per Program::vars
  std::vector<ShareAdjustment> adjustments;
  std::vector<std::vector<std::uint8_t>> target_met;  // per Program::targets: per draw 0/1
  std::vector<std::vector<double>> captured;          // per Request::captures: per draw
  // Per sampled parameter (Program::params order): name and per-draw values.
  std::vector<std::pair<std::string, std::vector<double>>> parameters;
};

class Evaluator {
 public:
  // `bases` must outlive the evaluator.
  Evaluator(std::vector<const Scenario*> bases, EvaluationSettings settings);
  ~Evaluator();
  Evaluator(const Evaluator&) = delete;
  Evaluator& operator=(const Evaluator&) = delete;

  std::size_t base_count() const { return bases_.size(); }
  const Scenario& base(std::size_t i) const { return *bases_[i]; }
  std::size_t draws(std::size_t base) const;
  std::uint64_t seed(std::size_t base) const;
  random::SamplingDesign design(std::size_t base) const;
  const EvaluationSettings& settings() const { return settings_; }

  // The variant's model and compiled program (applied, validated and compiled once, then
  // cached). Throws InputError for overrides that do not apply (unknown name, value out
  // of range, a share group that cannot keep its total).
  const Program& program(const Variant& variant);
  // Compiles the variants not compiled yet, in parallel (on EvaluationSettings::threads),
  // so that program() and evaluate() find them cached: nine Long An files compiled one
  // after the other were a fiftieth of a run, on one core. A variant whose overrides do
  // not apply is left out, for program() to report in its turn (so errors come in the
  // same order as without it). evaluate() calls it first.
  void prepare(const std::vector<Variant>& variants);
  // Applies the variant's overrides without keeping anything: InputError if they do not
  // apply. For checking every point of a design before simulating any.
  void check(const Variant& variant) const;
  const AppliedVariant& applied(const Variant& variant);

  // Simulates every variant in one parallel run. Throws InputError (bad overrides, a
  // capture of a variable that is not recorded or a year outside the run, a non-finite
  // value) and StudyStopped.
  std::vector<VariantResult> evaluate(const std::vector<Variant>& variants, const Request& request);

  // Compiled variants kept between calls, beyond those of the latest call: a long search
  // compiles thousands of candidates and needs few of them again.
  static constexpr std::size_t kMaxCached = 256;

  // Counters a progress display reads while evaluate() runs (null: none).
  void set_progress(std::atomic<std::uint64_t>* draws_done,
                    std::atomic<std::uint64_t>* scenarios_done) {
    draws_done_ = draws_done;
    scenarios_done_ = scenarios_done;
  }

  // Variants simulated so far, over all calls (what an adaptive search cost).
  std::size_t evaluations() const { return evaluations_; }

 private:
  struct Compiled;
  Compiled& compiled(const Variant& variant);
  std::unique_ptr<Compiled> compile_variant(const Variant& variant) const;

  std::vector<const Scenario*> bases_;
  EvaluationSettings settings_;
  SharedParameters shared_;
  std::vector<Cube> cubes_;  // reused by every evaluate() call
  std::map<std::string, std::unique_ptr<Compiled>> cache_;
  std::size_t generation_ = 0;  // evaluate() calls so far; stamps cache entries
  std::size_t evaluations_ = 0;
  std::atomic<std::uint64_t>* draws_done_ = nullptr;
  std::atomic<std::uint64_t>* scenarios_done_ = nullptr;
};

// The index of a recorded variable by name, with a did-you-mean InputError naming
// `subject` when there is none.
std::size_t recorded_index(const Program& program, const std::string& variable,
                           const SourceLocation& where, const std::string& subject);

}  // namespace tamnhin::analysis
