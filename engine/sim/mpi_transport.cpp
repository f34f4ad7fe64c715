// The MPI transport of ranks.hpp: Boost.MPI over Open MPI, built alone as the plugin
// tamnhin_mpi.so (transport.hpp). The only file of the project that includes Boost.MPI
// (its headers and Boost.Serialization's are heavy).
#include <functional>
#include <limits>
#include <memory>
#include <vector>

#include <mpi.h>

#include <boost/mpi/collectives.hpp>
#include <boost/mpi/collectives/all_gatherv.hpp>  // not among collectives.hpp's
#include <boost/mpi/communicator.hpp>
#include <boost/mpi/environment.hpp>
#include <boost/mpi/operations.hpp>
#include <boost/serialization/string.hpp>

#include "engine/core/check.hpp"
#include "engine/sim/transport.hpp"

namespace {

std::unique_ptr<boost::mpi::environment> g_environment;
std::unique_ptr<boost::mpi::communicator> g_world;

int as_int(std::size_t n) {
  TAMNHIN_CHECK_LE(n, static_cast<std::size_t>(std::numeric_limits<int>::max()));
  return static_cast<int>(n);
}

void start(int* argc, char*** argv, int* rank, int* count) {
  // Serialized: a study calls MPI from whichever thread runs it, never two at once.
  g_environment = std::make_unique<boost::mpi::environment>(
      *argc, *argv, boost::mpi::threading::serialized, /*abort_on_exception=*/true);
  g_world = std::make_unique<boost::mpi::communicator>();
  *rank = g_world->rank();
  *count = g_world->size();
}

void finish() {
  g_world.reset();
  g_environment.reset();
}

void abort(int status) {
  boost::mpi::environment::abort(status);
}

void all_gather(const double* mine, double* all, const std::size_t* offsets) {
  const int count = g_world->size();
  std::vector<int> sizes, displacements;
  for (int r = 0; r < count; ++r) {
    sizes.push_back(as_int(offsets[r + 1] - offsets[r]));
    displacements.push_back(as_int(offsets[r] - offsets[0]));
  }
  // Boost reads *mine for its MPI datatype even when this rank's block is empty.
  static const double kNothing = 0;
  boost::mpi::all_gatherv(*g_world, mine != nullptr ? mine : &kNothing, all, sizes, displacements);
}

void check(int status) {
  TAMNHIN_CHECK_EQ(status, MPI_SUCCESS);
}

// Rank r's columns of every row as one MPI datatype (a strided vector), so MPI copies
// between the table and its transport directly: gathering into buffers of our own, then
// out of them, was four copies of the cube and fresh pages to fault in every round.
MPI_Datatype columns_type(std::size_t rows, std::size_t width, std::size_t stride) {
  MPI_Datatype type;
  check(MPI_Type_vector(as_int(rows), as_int(width), as_int(stride), MPI_DOUBLE, &type));
  check(MPI_Type_commit(&type));
  return type;
}

void all_gather_columns(double* base, std::size_t rows, std::size_t stride,
                        const std::size_t* first) {
  const int count = g_world->size(), me = g_world->rank();
  const MPI_Comm comm = *g_world;
  std::vector<MPI_Datatype> types(static_cast<std::size_t>(count), MPI_DATATYPE_NULL);
  std::vector<MPI_Request> requests;
  const auto width = [&](int r) { return first[r + 1] - first[r]; };
  // Every rank sends its block to every other and receives theirs, all at once: no rank
  // waits for another's turn. An empty block is neither sent nor expected.
  for (int r = 0; r < count; ++r) {
    if (width(r) > 0) types[static_cast<std::size_t>(r)] = columns_type(rows, width(r), stride);
  }
  constexpr int kTag = 7;
  for (int r = 0; r < count; ++r) {
    if (r == me || width(r) == 0) continue;
    requests.emplace_back();
    check(MPI_Irecv(base + first[r], 1, types[static_cast<std::size_t>(r)], r, kTag, comm,
                    &requests.back()));
  }
  for (int r = 0; r < count && width(me) > 0; ++r) {
    if (r == me) continue;
    requests.emplace_back();
    check(MPI_Isend(base + first[me], 1, types[static_cast<std::size_t>(me)], r, kTag, comm,
                    &requests.back()));
  }
  check(MPI_Waitall(as_int(requests.size()), requests.data(), MPI_STATUSES_IGNORE));
  for (MPI_Datatype& type : types) {
    if (type != MPI_DATATYPE_NULL) check(MPI_Type_free(&type));
  }
}

void sum(std::uint64_t* values, std::size_t n) {
  std::vector<std::uint64_t> total(n);
  boost::mpi::all_reduce(*g_world, values, as_int(n), total.data(), std::plus<std::uint64_t>());
  std::copy(total.begin(), total.end(), values);
}

// Signed: over uint64_t, the minimum of 0 and 2^64 - 1 came out as 2^64 - 1 here (Boost
// 1.81, Open MPI 4.1).
std::int64_t min(std::int64_t value) {
  std::int64_t out = value;
  boost::mpi::all_reduce(*g_world, value, out, boost::mpi::minimum<std::int64_t>());
  return out;
}

void broadcast(std::string* text, int from) {
  boost::mpi::broadcast(*g_world, *text, from);
}

constexpr tamnhin::ranks::Transport kTransport{
    start, finish, abort, all_gather, all_gather_columns, sum, min, broadcast};

}  // namespace

extern "C" const tamnhin::ranks::Transport* tamnhin_mpi_transport() {
  return &kTransport;
}
