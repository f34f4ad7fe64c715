// The processes of one run (ARCHITECTURE.md, decision 7). Started by an MPI launcher
// (`mpirun -n K`, `srun`), a run is K ranks: every rank reads the same files and follows
// the same deterministic path, and the work items of every study are split between them
// (study.cpp); what the ranks computed is exchanged in a fixed order, so every rank holds
// the same results and the outputs are those of one process. Without a launcher there is
// one process and MPI is never started: a plain run needs no MPI runtime at all.
//
// This header is the only view of MPI the engine has. The transport (Boost.MPI over Open
// MPI) is one file, mpi_transport.cpp, built as the plugin tamnhin_mpi.so next to the
// binary and loaded only under a launcher (transport.hpp): its heavy headers cost one
// translation unit, and a plain run does not even load the MPI libraries.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

namespace tamnhin::ranks {

// Starts MPI if the process was started by an MPI launcher, and ends it when destroyed.
// One, in main, before anything else. On ranks other than 0, std::cout and std::cerr
// print nothing (rank 0 speaks for the run); see speak().
class Session {
 public:
  Session(int& argc, char**& argv);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;
};

int rank();   // 0 without MPI
int count();  // 1 without MPI
inline bool root() {
  return rank() == 0;
}

// Lets this rank print to std::cerr again: for a failure that may be this rank's alone.
void speak();

// Ends every rank of the run with `status` (MPI_Abort); without MPI, ends this process.
[[noreturn]] void abort_all(int status);

// Collective operations: every rank calls the same ones in the same order. Without MPI
// (or with one rank) they return at once with the local values.

// `all[offsets[r] .. offsets[r + 1])` becomes rank r's `mine`, on every rank. `offsets`
// has count() + 1 entries, the same on every rank; `mine` holds this rank's share.
void all_gather(std::span<const double> mine, std::span<double> all,
                std::span<const std::size_t> offsets);

// In place, for a table of `rows` rows `stride` doubles apart from `base` in which rank r
// filled the columns [first[r], first[r + 1]) of every row (a block of every cube column's
// draws): every rank ends with every row whole. No copy through buffers of our own: MPI
// reads and writes the table itself. `first` has count() + 1 entries, the same everywhere.
void all_gather_columns(double* base, std::size_t rows, std::size_t stride,
                        std::span<const std::size_t> first);

// Element-wise sum over the ranks, on every rank.
void sum(std::span<std::uint64_t> values);

// The smallest of every rank's `value`, on every rank.
std::int64_t min(std::int64_t value);

// Rank `from`'s `text`, on every rank.
std::string broadcast(const std::string& text, int from);

}  // namespace tamnhin::ranks
