// The tables of `sensitivity` and `discover` (CSV, numbers in shortest round-trip form)
// and their ranked text for the terminal.
#pragma once

#include <string>

#include "engine/analysis/sensitivity/discover_study.hpp"
#include "engine/analysis/sensitivity/sensitivity_study.hpp"

namespace tamnhin::analysis {

// output,factor,method,S1,S1_low,S1_high,ST,ST_low,ST_high,mu_star,sigma (empty where the
// method does not define the column).
std::string render_sensitivity_csv(const SensitivityResult& result);
std::string render_sensitivity_table(const SensitivityResult& result);

// box,parameter,lower,upper,coverage,density,mass: one row per restricted parameter of
// each box (box 1 is the chosen box); an unrestricted side is the sample's extreme value.
std::string render_discover_csv(const DiscoverResult& result);
// box,step,phase,coverage,density,mass,restricted,chosen: every box of every trajectory.
std::string render_discover_trajectory_csv(const DiscoverResult& result);
std::string render_discover_table(const DiscoverResult& result);

}  // namespace tamnhin::analysis
