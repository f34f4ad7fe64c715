// The paired comparisons of a run (engine/analysis/compare.hpp), rendered: compare.csv,
// compare_targets.csv and the compact "change against the reference" view that follows
// the scorecard.
#pragma once

#include <string>

#include "engine/stats/paired.hpp"

namespace tamnhin::io {

// scenario,reference,variable,unit,year,mean_diff,p05_diff,p50_diff,p95_diff,prob_higher
std::string render_compare_csv(const stats::Comparisons& comparisons);

// scenario,reference,variable,year,comparator,threshold,probability,reference_probability,
// difference,difference_se
std::string render_compare_targets_csv(const stats::Comparisons& comparisons);

// Per reference, one row per target and one column per scenario compared with it: the
// change in the chance of meeting the target in percentage points with its paired
// standard error, e.g. "+12.3 ±0.4"; "=" when no draw changed.
std::string render_change_view(const stats::Comparisons& comparisons);

}  // namespace tamnhin::io
