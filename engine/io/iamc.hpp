// iamc.csv: the IAMC long-wide format of the scenario community (pyam, the IIASA
// databases read it): model,scenario,region,variable,unit,<year>,<year>,... with the
// median of every simulated year. Machine-readable: full-precision numbers, no BOM.
#pragma once

#include <span>
#include <string>

#include "engine/stats/report.hpp"

namespace tamnhin::io {

// Years are the union of the scenarios' simulated years; a scenario's cell outside its own
// years is empty. `region` is the model's region, else the model's name.
std::string render_iamc_csv(std::span<const stats::ScenarioReport> reports);

}  // namespace tamnhin::io
