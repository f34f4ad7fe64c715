// `tamnhin check FILE...`: validate only; prints every problem found, exits 2 if any.
#include <iostream>

#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/session.hpp"

namespace tamnhin::cli {

CLI::App* add_check_command(CLI::App& app, Action& action) {
  auto files = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = app.add_subcommand(
      "check", "Validate files without running them; prints every problem, exits 2 if any");
  cmd->add_option("files", *files, "Scenario or model files (.toml)")->required();
  cmd->callback([&action, files] {
    action = [files] {
      Loaded loaded = load_or_throw(*files);
      for (const auto& s : loaded.scenarios) {
        std::cout << s.file << ": ok (scenario '" << s.name << "', model '" << s.model.name << "', "
                  << s.model.vars.size() << " variables, " << s.model.base_year << ".."
                  << s.model.end_year << ")\n";
      }
      return 0;
    };
  });
  return cmd;
}

}  // namespace tamnhin::cli
