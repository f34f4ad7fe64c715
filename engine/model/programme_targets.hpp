// Reads `[[programme_targets]]`: targets of the programme the model does not project
// (engine/core/programme_target.hpp). Errors go to the reader's diagnostics with the
// usual file:line:column and did-you-mean hints.
#pragma once

#include <vector>

#include "engine/core/programme_target.hpp"
#include "engine/model/toml_reader.hpp"

namespace tamnhin {

// Appends the array's entries to `out` (a model that extends another adds to its list).
void read_programme_targets(std::vector<ProgrammeTarget>& out, const toml::node& node,
                            TomlReader& reader);

}  // namespace tamnhin
