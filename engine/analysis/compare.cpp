#include "engine/analysis/compare.hpp"

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include <algorithm>
#include <map>

#include "engine/core/check.hpp"
#include "engine/sim/rank_split.hpp"
#include "engine/sim/ranks.hpp"
#include "engine/stats/summary.hpp"

namespace tamnhin::analysis {

std::vector<std::optional<std::size_t>> pair_with_references(
    const std::vector<std::string>& model_names, std::size_t reference) {
  std::map<std::string, std::size_t> reference_of_model;
  reference_of_model[model_names.at(reference)] = reference;
  for (std::size_t i = 0; i < model_names.size(); ++i)
    reference_of_model.emplace(model_names[i], i);  // the first of each other model
  std::vector<std::optional<std::size_t>> out(model_names.size());
  for (std::size_t i = 0; i < model_names.size(); ++i) {
    const std::size_t r = reference_of_model.at(model_names[i]);
    if (r != i) out[i] = r;
  }
  return out;
}

namespace {

// The five numbers of a PairedSummary and whether the two columns were the same (1 or 0),
// as share_items moves them.
constexpr std::size_t kWidth = 6;

// Gives every rank the rows [first_row + bounds[r], first_row + bounds[r + 1]) of rank r,
// and their `same` flags (one per row from first_row on).
void share_rows(Comparisons& rows, std::size_t first_row, std::span<const std::size_t> bounds,
                std::vector<char>& same) {
  const std::size_t n = bounds.back();
  std::vector<double> numbers(kWidth * n);
  for (std::size_t k = 0; k < n; ++k) {
    const stats::PairedSummary& d = rows.variables[first_row + k].diff;
    const double fields[kWidth] = {d.mean_diff, d.p05_diff,    d.p50_diff,
                                   d.p95_diff,  d.prob_higher, same[k] != 0 ? 1.0 : 0.0};
    std::copy(fields, fields + kWidth, numbers.begin() + static_cast<std::ptrdiff_t>(kWidth * k));
  }
  share_items(numbers, kWidth, bounds);
  for (std::size_t k = 0; k < n; ++k) {
    const double* in = numbers.data() + kWidth * k;
    rows.variables[first_row + k].diff = {in[0], in[1], in[2], in[3], in[4]};
    same[k] = in[5] != 0.0 ? 1 : 0;
  }
}

// Gives every rank the summaries [bounds[r], bounds[r + 1]) that rank r made (7 doubles
// each, copied bit for bit).
void share_summaries(std::vector<stats::Summary>& summaries, std::span<const std::size_t> bounds) {
  constexpr std::size_t kFields = 7;
  std::vector<double> numbers(kFields * bounds.back());
  for (std::size_t k = 0; k < bounds.back(); ++k) {
    const stats::Summary& s = summaries[k];
    const double fields[kFields] = {s.mean, s.sd, s.p05, s.p25, s.p50, s.p75, s.p95};
    std::copy(fields, fields + kFields, numbers.begin() + static_cast<std::ptrdiff_t>(kFields * k));
  }
  share_items(numbers, kFields, bounds);
  for (std::size_t k = 0; k < bounds.back(); ++k) {
    const double* in = numbers.data() + kFields * k;
    summaries[k] = {in[0], in[1], in[2], in[3], in[4], in[5], in[6]};
  }
}

// The entries of `list` whose column (v * years + y over the scenario's recorded variables)
// lies in the part.
template <typename Entry>
std::vector<Entry> in_part(const std::vector<Entry>& list, std::size_t years,
                           const CubePart& part) {
  const std::size_t first = part.var_first * years;
  const std::size_t last = first + part.cube->variables * years;
  std::vector<Entry> out;
  for (const Entry& e : list)
    if (e.column >= first && e.column < last) out.push_back(e);
  return out;
}

}  // namespace

PairedComparer::PairedComparer(std::vector<const Program*> programs, std::vector<std::string> names,
                               std::vector<std::optional<std::size_t>> reference_of)
    : programs_(std::move(programs)),
      names_(std::move(names)),
      reference_of_(std::move(reference_of)),
      held_(programs_.size()),
      complete_(programs_.size(), false),
      rows_(programs_.size()),
      known_same_(programs_.size()),
      same_(programs_.size()),
      summarised_(programs_.size()) {}

std::vector<std::size_t> PairedComparer::simulation_order() const {
  // Each reference, then the scenarios compared with it: a reference's draws are held
  // only while its own scenarios run (observe() drops them after the last one).
  std::vector<std::size_t> order;
  std::vector<bool> placed(programs_.size(), false);
  for (std::size_t i = 0; i < programs_.size(); ++i) {
    const std::size_t r = reference_of_[i] ? *reference_of_[i] : i;
    if (placed[r]) continue;
    placed[r] = true;
    order.push_back(r);
    for (std::size_t j = 0; j < programs_.size(); ++j) {
      if (reference_of_[j] && *reference_of_[j] == r) {
        placed[j] = true;
        order.push_back(j);
      }
    }
  }
  return order;
}

void PairedComparer::set_known_same(std::size_t scenario, std::vector<bool> columns) {
  TAMNHIN_CHECK(columns.empty() ||
                columns.size() == programs_[scenario]->recorded.size() *
                                      static_cast<std::size_t>(programs_[scenario]->years));
  known_same_[scenario] = std::move(columns);
}

std::size_t PairedComparer::held_bytes(const std::vector<std::size_t>& draws) const {
  std::size_t bytes = 0;  // one reference at a time
  for (std::size_t i = 0; i < programs_.size(); ++i) {
    const bool is_reference = std::any_of(reference_of_.begin(), reference_of_.end(),
                                          [&](const auto& r) { return r && *r == i; });
    if (!is_reference) continue;
    bytes = std::max(bytes, programs_[i]->recorded.size() *
                                static_cast<std::size_t>(programs_[i]->years) * draws[i] *
                                sizeof(double));
  }
  return bytes;
}

void PairedComparer::observe(std::size_t s, const CubePart& part) {
  if (finished_) {
    held_[*finished_] = Cube{};
    complete_[*finished_] = false;
    finished_.reset();
  }
  const Cube& cube = *part.cube;
  const Program& p = *programs_[s];
  const bool is_reference = std::any_of(reference_of_.begin(), reference_of_.end(),
                                        [&](const auto& r) { return r && *r == s; });
  if (is_reference) {
    Cube& held = held_[s];
    if (held.values.empty()) {  // the first part: room for every recorded variable
      held.variables = p.recorded.size();
      held.years = cube.years;
      held.draws = cube.draws;
      held.values.resize(held.variables * held.years * held.draws);  // not zeroed: all copied
    }
    // Copied column by column in parallel: on the calling thread this copy (and the page
    // faults of its fresh memory) left the other cores idle for a tenth of a second. Each
    // column is summarised right after its copy, from the cache (summarised_columns; under
    // MPI each rank its block of columns, then exchanged), as the compared scenarios' are.
    const std::size_t columns = cube.variables * cube.years;
    const std::vector<std::size_t> bounds = rank_item_bounds(columns);
    const auto me = static_cast<std::size_t>(ranks::rank());
    std::vector<stats::Summary> summaries(columns);
    oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, columns),
                              [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                                std::vector<double> scratch;
                                for (std::size_t c = range.begin(); c != range.end(); ++c) {
                                  const std::size_t v = c / cube.years, y = c % cube.years;
                                  const auto x = cube.column(v, y);
                                  std::copy(x.begin(), x.end(), held.column(part.var_first + v, y));
                                  if (c >= bounds[me] && c < bounds[me + 1])
                                    summaries[c] = stats::summarise(x, scratch);
                                }
                              });
    if (ranks::count() > 1) share_summaries(summaries, bounds);
    for (std::size_t c = 0; c < columns; ++c)
      summarised_[s].push_back({part.var_first * cube.years + c, summaries[c]});
    complete_[s] = part.var_first + cube.variables == p.recorded.size();
  }
  if (!reference_of_[s]) return;
  const std::size_t r = *reference_of_[s];
  const Program& ref = *programs_[r];
  const Cube& held = held_[r];
  TAMNHIN_CHECK_EQ(held.variables, ref.recorded.size());
  Comparisons& rows = rows_[s];
  // Rows in order first, then their summaries in parallel (each row's numbers are computed
  // serially from its two columns, so the thread count changes no bit): this runs on the
  // study's calling thread, and serially it was a quarter of a nine-scenario run.
  const std::size_t first_row = rows.variables.size();
  std::vector<std::pair<std::span<const double>, std::span<const double>>> columns;
  std::vector<SameColumn> column_ids;  // per row: its column and the reference's
  std::vector<char> known;             // per row: known to be the same (set_known_same)
  const std::vector<bool>& known_same = known_same_[s];
  for (std::size_t v = 0; v < cube.variables; ++v) {
    const auto& var = p.recorded[part.var_first + v];
    auto it = std::find_if(ref.recorded.begin(), ref.recorded.end(),
                           [&](const RecordedVariable& x) { return x.name == var.name; });
    if (it == ref.recorded.end()) continue;
    const auto ref_v = static_cast<std::size_t>(it - ref.recorded.begin());
    if (held.draws != cube.draws) continue;  // different draws: not paired
    for (std::size_t y = 0; y < cube.years; ++y) {
      const int year = p.base_year + static_cast<int>(y);
      const int ref_y = year - ref.base_year;
      if (ref_y < 0 || ref_y >= ref.years) continue;
      rows.variables.push_back({names_[s], names_[r], var.name, var.unit, year, {}});
      columns.emplace_back(cube.column(v, y), held.column(ref_v, static_cast<std::size_t>(ref_y)));
      const std::size_t column = (part.var_first + v) * cube.years + y;
      const std::size_t ref_column = ref_v * held.years + static_cast<std::size_t>(ref_y);
      column_ids.push_back({column, r, ref_column});
      // (The analysis pairs a column with the reference's of the same index.)
      known.push_back(!known_same.empty() && known_same[column] && ref_column == column ? 1 : 0);
    }
  }
  // Under MPI every rank holds both cubes; each computes a block of the rows and the ranks
  // exchange the numbers (one rank: all of them, no exchange).
  const std::vector<std::size_t> bounds = rank_item_bounds(columns.size());
  const auto me = static_cast<std::size_t>(ranks::rank());
  std::vector<char> same(columns.size(), 0);
  // The scenario column's own summary too, right after the differences have read it: from
  // the cache, where the study would read it from memory again (its summary is then
  // copied: summarised_columns). A column the same as the reference's needs none: the
  // reference's is copied (same_columns).
  std::vector<stats::Summary> summaries(columns.size());
  oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(bounds[me], bounds[me + 1]),
                            [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                              std::vector<double> scratch;
                              for (std::size_t k = range.begin(); k != range.end(); ++k) {
                                if (known[k] != 0) {  // neither column read
                                  rows.variables[first_row + k].diff = stats::kSameColumns;
                                  same[k] = 1;
                                  continue;
                                }
                                bool identical = false;
                                rows.variables[first_row + k].diff =
                                    stats::paired_summary(columns[k].first, columns[k].second,
                                                          scratch, identical, &summaries[k]);
                                same[k] = identical ? 1 : 0;
                              }
                            });
  if (ranks::count() > 1) {
    share_rows(rows, first_row, bounds, same);
    share_summaries(summaries, bounds);
  }
  for (std::size_t k = 0; k < columns.size(); ++k) {
    if (same[k] != 0)
      same_[s].push_back(column_ids[k]);
    else
      summarised_[s].push_back({column_ids[k].column, summaries[k]});
  }
  for (const auto& t : p.targets) {
    if (t.variable < part.var_first || t.variable >= part.var_first + cube.variables) continue;
    const std::string& name = p.recorded[t.variable].name;
    for (const auto& u : ref.targets) {
      if (ref.recorded[u.variable].name != name || u.year != t.year ||
          u.comparator != t.comparator || u.threshold != t.threshold)
        continue;
      const auto a =
          cube.column(t.variable - part.var_first, static_cast<std::size_t>(t.year - p.base_year));
      if (held.draws != cube.draws) break;
      const auto b = held.column(u.variable, static_cast<std::size_t>(u.year - ref.base_year));
      std::vector<std::uint8_t> ma(a.size()), mb(b.size());
      for (std::size_t d = 0; d < a.size(); ++d) {
        ma[d] = holds(t.comparator, a[d], t.threshold) ? 1 : 0;
        mb[d] = holds(u.comparator, b[d], u.threshold) ? 1 : 0;
      }
      rows.targets.push_back({names_[s], names_[r], name, t.year, t.comparator, t.threshold,
                              stats::paired_target(ma, mb)});
      break;
    }
  }
  // The reference's draws go once its last scenario's last part has been compared and
  // summarised (at the next observe()).
  const bool last_part = part.var_first + cube.variables == p.recorded.size();
  if (last_part && done_after(s, r)) finished_ = r;
}

const Cube* PairedComparer::held_cube(std::size_t scenario) const {
  return complete_[scenario] && finished_ != scenario ? &held_[scenario] : nullptr;
}

std::vector<SameColumn> PairedComparer::same_columns(std::size_t s, const CubePart& part) const {
  return in_part(same_[s], static_cast<std::size_t>(programs_[s]->years), part);
}

std::vector<SummarisedColumn> PairedComparer::summarised_columns(std::size_t s,
                                                                 const CubePart& part) const {
  return in_part(summarised_[s], static_cast<std::size_t>(programs_[s]->years), part);
}

bool PairedComparer::done_after(std::size_t s, std::size_t r) const {
  // Simulation runs in simulation_order(): every scenario compared with r comes after r
  // and before the next reference, so r is finished when s is the last of them.
  const auto order = simulation_order();
  const auto at = std::find(order.begin(), order.end(), s);
  for (auto it = at + 1; it != order.end(); ++it)
    if (reference_of_[*it] == r) return false;
  return true;
}

Comparisons PairedComparer::result() const {
  Comparisons all;
  for (std::size_t s = 0; s < rows_.size(); ++s) {
    // A scenario split into parts adds its variables part by part, in model order.
    all.variables.insert(all.variables.end(), rows_[s].variables.begin(), rows_[s].variables.end());
    all.targets.insert(all.targets.end(), rows_[s].targets.begin(), rows_[s].targets.end());
  }
  return all;
}

}  // namespace tamnhin::analysis
