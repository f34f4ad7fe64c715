// `tamnhin levers FILE`: every lever a scenario offers, as a planner reads it — name,
// unit, sensible range, share group, the lever's keyframes in that scenario, and its note.
#pragma once

#include <string>

#include "engine/model/model.hpp"

namespace tamnhin::io {

std::string render_levers(const Model& model, const std::string& scenario_name);

}  // namespace tamnhin::io
