// tamnhin: project social-policy indicators with Monte Carlo draws.
// Exit status: 0 success, 2 bad input, 1 internal failure, 130 interrupted.
// Under an MPI launcher every rank runs this; rank 0 prints and writes (engine/sim/ranks.hpp).
#include <exception>
#include <iostream>

#include <CLI/CLI.hpp>

#include "engine/core/check.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/sim/ranks.hpp"
#include "tools/tamnhin/commands.hpp"
#include "tools/tamnhin/session.hpp"

namespace {

// An internal failure may be one rank's alone (the others wait for it in an exchange):
// that rank says so and ends every rank, so the run cannot hang and writes nothing.
int internal_failure(const char* what) {
  using namespace tamnhin;
  ranks::speak();
  std::cerr << "tamnhin: internal error (please report)";
  if (ranks::count() > 1) std::cerr << " on rank " << ranks::rank() << " of " << ranks::count();
  std::cerr << ": " << what << '\n';
  if (ranks::count() > 1) ranks::abort_all(1);
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace tamnhin;
  // Bad input is found identically by every rank (same files, same deterministic path,
  // and errors of the work items agreed between ranks): each exits 2, rank 0 prints.
  ranks::Session processes(argc, argv);
  // Next, before anything slow: a signal while the command line is parsed or the files
  // are read is handled like one during the run (after MPI, so no MPI library replaces
  // the handler).
  cli::handle_interrupts();
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
    return internal_failure(e.what());
  } catch (const std::exception& e) {
    return internal_failure(e.what());
  }
  return 1;
}
