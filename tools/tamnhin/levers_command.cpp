// `tamnhin levers FILE...`: lists every lever of each scenario — name, unit, range,
// share group, its keyframes in that scenario, note.
#include <iostream>

#include "engine/io/levers_table.hpp"
#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/session.hpp"

namespace tamnhin::cli {

CLI::App* add_levers_command(CLI::App& app, Action& action) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "levers", "List the levers of scenario or model files: unit, range, group, path, note");
  cmd->add_option("files", *files, "Scenario or model files (.toml)")->required();
  cmd->callback([&action, files] {
    action = [files] {
      Loaded loaded = load_or_throw(*files);
      for (std::size_t i = 0; i < loaded.scenarios.size(); ++i) {
        if (i > 0) std::cout << '\n';
        std::cout << io::render_levers(loaded.scenarios[i].model, loaded.scenarios[i].name);
      }
      return 0;
    };
  });
  return cmd;
}

}  // namespace tamnhin::cli
