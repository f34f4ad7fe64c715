// The commands of the tamnhin CLI. Each registers its options on the application and
// returns the action to run when it is chosen; the action prints (stdout for results,
// stderr for problems) and returns the exit status. main() keeps the one list of
// commands, parses, and maps exceptions to exit codes.
#pragma once

#include <functional>

#include <CLI/CLI.hpp>

namespace tamnhin::cli {

using Action = std::function<int()>;

// Each adds its subcommand to `app` and sets `action` to run it.
CLI::App* add_run_command(CLI::App& app, Action& action);
CLI::App* add_check_command(CLI::App& app, Action& action);
CLI::App* add_levers_command(CLI::App& app, Action& action);
CLI::App* add_sweep_command(CLI::App& app, Action& action);
CLI::App* add_seek_command(CLI::App& app, Action& action);
CLI::App* add_optimize_command(CLI::App& app, Action& action);
CLI::App* add_sensitivity_command(CLI::App& app, Action& action);
CLI::App* add_discover_command(CLI::App& app, Action& action);

}  // namespace tamnhin::cli
