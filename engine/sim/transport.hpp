// What the MPI transport plugin (mpi_transport.cpp, built as tamnhin_mpi.so next to the
// tamnhin binary) gives ranks.cpp. The plugin is loaded only when an MPI launcher started
// the process, so a plain run neither loads nor needs the MPI libraries (loading them took
// tens of milliseconds at every start on a busy machine). Plain C++ types only: no Boost,
// no mpi.h.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace tamnhin::ranks {

struct Transport {
  // MPI_Init_thread; sets this process's rank and the rank count.
  void (*start)(int* argc, char*** argv, int* rank, int* count);
  void (*finish)();           // MPI_Finalize
  void (*abort)(int status);  // MPI_Abort: ends every rank; does not return
  // Rank r's block goes to all[offsets[r] - offsets[0]...]; `mine` is this rank's block.
  void (*all_gather)(const double* mine, double* all, const std::size_t* offsets);
  // In place: rows `stride` doubles apart from `base`, rank r holding the columns
  // [first[r], first[r + 1]) of every row; afterwards every rank holds every row whole.
  void (*all_gather_columns)(double* base, std::size_t rows, std::size_t stride,
                             const std::size_t* first);
  void (*sum)(std::uint64_t* values, std::size_t n);
  std::int64_t (*min)(std::int64_t value);
  void (*broadcast)(std::string* text, int from);
};

}  // namespace tamnhin::ranks

// The one symbol of the plugin.
extern "C" const tamnhin::ranks::Transport* tamnhin_mpi_transport();
