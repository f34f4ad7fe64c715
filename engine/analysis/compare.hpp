// Paired comparisons of the scenarios of a run against a reference scenario: statistics
// of the per-draw difference of every recorded variable in every year, and of the
// difference in the chance of meeting each target. Draw i of both scenarios shares its
// random numbers (common random numbers), so these differences are far more precise than
// the difference of two tables. A reducer over the evaluator's simulated cubes: it keeps
// the reference's per-draw values and compares every other scenario with them as it is
// simulated.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "engine/compile/program.hpp"
#include "engine/core/cube.hpp"
#include "engine/sim/study.hpp"
#include "engine/stats/paired.hpp"

namespace tamnhin::analysis {
using stats::Comparisons;
using stats::TargetComparison;
using stats::VariableComparison;
}  // namespace tamnhin::analysis

namespace tamnhin::analysis {

// Which scenario each scenario is compared with: the reference for scenarios of its
// model (by model name), and for scenarios of another model the first scenario of that
// model; nullopt for a reference itself. `reference` is the index of the chosen reference
// (the first scenario when none was named).
std::vector<std::optional<std::size_t>> pair_with_references(
    const std::vector<std::string>& model_names, std::size_t reference);

class PairedComparer {
 public:
  // `programs[i]` and `names[i]` describe scenario i; `reference_of` comes from
  // pair_with_references. Every reference must be simulated before the scenarios compared
  // with it (see simulation_order).
  PairedComparer(std::vector<const Program*> programs, std::vector<std::string> names,
                 std::vector<std::optional<std::size_t>> reference_of);

  // The order to simulate in: each reference, then the scenarios compared with it.
  std::vector<std::size_t> simulation_order() const;

  // Bytes of per-draw values held for a reference at a time (for the memory check).
  std::size_t held_bytes(const std::vector<std::size_t>& draws) const;

  // The columns of `scenario` (v * years + y over its recorded variables) known before
  // simulating to hold its reference's bits (columns_known_same): observe() reads neither
  // column, and takes them as same_columns. Empty: none known.
  void set_known_same(std::size_t scenario, std::vector<bool> columns);

  // Feeds a simulated part of scenario `scenario` (an index into the constructor's lists).
  void observe(std::size_t scenario, const CubePart& part);

  // The part's columns that observe() found to hold the same bits as the reference's
  // column of the same variable and calendar year (StudySettings::same_columns), with the
  // reference as SameColumn::scenario (an index into the constructor's lists, for the
  // caller to map to its study's). The same on every rank.
  std::vector<SameColumn> same_columns(std::size_t scenario, const CubePart& part) const;

  // The summaries observe() made of the part's columns (StudySettings::summarised_columns):
  // stats::summarise of each, made while the column was still in cache: a reference's
  // right after their copy, a compared scenario's right after their differences (all but
  // those the same as the reference's: same_columns). The same on every rank.
  std::vector<SummarisedColumn> summarised_columns(std::size_t scenario,
                                                   const CubePart& part) const;

  // The draws of every recorded variable of `scenario`, when it is a reference whose
  // every part has been observed and whose cube is still held (until the observe() after
  // that of the last scenario compared with it); else null (StudySettings::held_cube).
  const Cube* held_cube(std::size_t scenario) const;

  // The rows, in scenario order.
  Comparisons result() const;

 private:
  bool done_after(std::size_t scenario, std::size_t reference) const;

  std::vector<const Program*> programs_;
  std::vector<std::string> names_;
  std::vector<std::optional<std::size_t>> reference_of_;
  // Per reference scenario: the draws of every recorded variable (empty for the others).
  std::vector<Cube> held_;
  std::vector<bool> complete_;  // per scenario: every part of its held cube copied
  // A reference whose last scenario has been compared: its cube goes at the next observe(),
  // not at once, for that scenario's summaries may still read it (held_cube).
  std::optional<std::size_t> finished_;
  std::vector<Comparisons> rows_;                          // per scenario
  std::vector<std::vector<bool>> known_same_;              // per scenario
  std::vector<std::vector<SameColumn>> same_;              // per scenario
  std::vector<std::vector<SummarisedColumn>> summarised_;  // per scenario
  std::vector<double> scratch_;
};

}  // namespace tamnhin::analysis
