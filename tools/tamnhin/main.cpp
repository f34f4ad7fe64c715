// tamnhin: project social-policy indicators with Monte Carlo draws.
// Exit status: 0 success, 2 bad input, 1 internal failure, 130 interrupted.
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "engine/core/check.hpp"
#include "engine/core/diagnostics.hpp"
#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/session.hpp"

int main(int argc, char** argv) {
  using namespace tamnhin;
  CLI::App app{
      "tamnhin (tầm nhìn): scenario projections of social-policy indicators with "
      "uncertainty, year by year to 2030 and 2045."};
  app.set_version_flag("--version", std::string("tamnhin ") + TAMNHIN_VERSION);
  app.require_subcommand(1);
  cli::set_command_line(argc, argv);

  // The one list of commands.
  cli::Action action;
  for (auto add : {cli::add_run_command, cli::add_check_command, cli::add_levers_command,
                   cli::add_sweep_command, cli::add_seek_command, cli::add_optimize_command,
                   cli::add_sensitivity_command, cli::add_discover_command})
    add(app, action);

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int status = app.exit(e);
    return status == 0 ? 0 : 2;
  }
  try {
    if (action) return action();
  } catch (const cli::AlreadyReported&) {
    return 2;
  } catch (const InputError& e) {
    std::cerr << e.what() << '\n';
    return 2;
  } catch (const InternalError& e) {
    std::cerr << "tamnhin: internal error (please report): " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    std::cerr << "tamnhin: internal error (please report): " << e.what() << '\n';
    return 1;
  }
  return 1;
}
