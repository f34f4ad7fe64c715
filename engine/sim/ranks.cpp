// The transport of ranks.hpp: Boost.MPI over Open MPI. The only file of the project that
// includes Boost.MPI (its headers and Boost.Serialization's are heavy).
#include "engine/sim/ranks.hpp"

#include <cstdlib>
#include <functional>
#include <iostream>
#include <limits>
#include <memory>
#include <streambuf>
#include <vector>

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/collectives/all_gatherv.hpp>  // not among collectives.hpp's
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/operations.hpp>
#include <boost/serialization/string.hpp>

#include "engine/core/check.hpp"

namespace tamnhin::ranks {

namespace {

// Set once by Session, before any other thread exists.
std::unique_ptr<boost::mpi::environment> g_environment;
std::unique_ptr<boost::mpi::communicator> g_world;
int g_rank = 0;
int g_count = 1;

// What std::cout and std::cerr print into on ranks other than 0.
struct NullBuffer : std::streambuf {
  int overflow(int c) override { return traits_type::not_eof(c); }
};
NullBuffer g_null;
std::streambuf* g_cerr = nullptr;  // std::cerr's own buffer while muted

// Whether an MPI launcher started this process. Open MPI's mpirun sets
// OMPI_COMM_WORLD_SIZE, PMIx launchers (Open MPI, `srun --mpi=pmix`) PMIX_RANK, and PMI
// launchers (MPICH's hydra, `srun --mpi=pmi2`) PMI_RANK. Starting MPI without one would
// work (a "singleton"), but costs a runtime start-up on every plain run and needs the MPI
// runtime installed where only one process is wanted.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

bool distributed() {
  return g_count > 1;
}

int as_int(std::size_t n) {
  TAMNHIN_CHECK_LE(n, static_cast<std::size_t>(std::numeric_limits<int>::max()));
  return static_cast<int>(n);
}

}  // namespace

Session::Session(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  // Serialized: the study calls MPI from whichever thread runs it, never two at once.
  g_environment = std::make_unique<boost::mpi::environment>(
      argc, argv, boost::mpi::threading::serialized, /*abort_on_exception=*/true);
  g_world = std::make_unique<boost::mpi::communicator>();
  g_rank = g_world->rank();
  g_count = g_world->size();
  if (g_rank != 0) {
    std::cout.rdbuf(&g_null);
    g_cerr = std::cerr.rdbuf(&g_null);
  }
}

Session::~Session() {
  speak();
  g_world.reset();
  g_environment.reset();  // MPI_Finalize
}

int rank() {
  return g_rank;
}
int count() {
  return g_count;
}

void speak() {
  if (g_cerr != nullptr) std::cerr.rdbuf(g_cerr);
  g_cerr = nullptr;
}

void abort_all(int status) {
  std::cout.flush();
  std::cerr.flush();
  if (g_environment) boost::mpi::environment::abort(status);
  std::_Exit(status);
}

void all_gather(std::span<const double> mine, std::span<double> all,
                std::span<const std::size_t> offsets) {
  TAMNHIN_CHECK_EQ(offsets.size(), static_cast<std::size_t>(g_count) + 1);
  TAMNHIN_CHECK_EQ(mine.size(), offsets[g_rank + 1] - offsets[g_rank]);
  TAMNHIN_CHECK_EQ(all.size(), offsets.back() - offsets.front());
  if (!distributed()) {
    std::copy(mine.begin(), mine.end(), all.begin());
    return;
  }
  std::vector<int> sizes, displacements;
  for (int r = 0; r < g_count; ++r) {
    sizes.push_back(as_int(offsets[r + 1] - offsets[r]));
    displacements.push_back(as_int(offsets[r] - offsets[0]));
  }
  boost::mpi::all_gatherv(*g_world, mine.data(), all.data(), sizes, displacements);
}

void sum(std::span<std::uint64_t> values) {
  if (!distributed() || values.empty()) return;
  std::vector<std::uint64_t> total(values.size());
  boost::mpi::all_reduce(*g_world, values.data(), as_int(values.size()), total.data(),
                         std::plus<std::uint64_t>());
  std::copy(total.begin(), total.end(), values.begin());
}

std::int64_t min(std::int64_t value) {
  if (!distributed()) return value;
  std::int64_t out = value;
  boost::mpi::all_reduce(*g_world, value, out, boost::mpi::minimum<std::int64_t>());
  return out;
}

std::string broadcast(const std::string& text, int from) {
  if (!distributed()) return text;
  std::string out = g_rank == from ? text : std::string();
  boost::mpi::broadcast(*g_world, out, from);
  return out;
}

}  // namespace tamnhin::ranks
