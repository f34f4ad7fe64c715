// The scorecard's list of a programme's targets that the model does not project
// (`[[programme_targets]]`): one line each with the condition, the status and the latest
// figure, so that the scorecard shows the whole programme.
#pragma once

#include <string>
#include <vector>

#include "engine/core/programme_target.hpp"

namespace tamnhin::io::detail {

// Appends the block (a blank line, a heading and one line per target) to `out`; nothing
// when `targets` is empty.
void render_programme_targets(const std::vector<ProgrammeTarget>& targets, std::string& out);

// "total_fertility_rate >= 2.1 in 2030": the row label.
std::string programme_condition(const ProgrammeTarget& t);

}  // namespace tamnhin::io::detail
