#include "engine/sim/ranks.hpp"

#include <dlfcn.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <iostream>
#include <streambuf>
#include <string>

#include "engine/core/check.hpp"
#include "engine/sim/transport.hpp"

namespace tamnhin::ranks {

namespace {

// Set once by Session, before any other thread exists.
const Transport* g_transport = nullptr;
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
// work (a "singleton"), but would load and start the MPI runtime on every plain run.
bool launched_by_mpi() {
  for (const char* name : {"OMPI_COMM_WORLD_SIZE", "PMIX_RANK", "PMI_RANK"}) {
    if (std::getenv(name) != nullptr) return true;
  }
  return false;
}

// The plugin next to the binary (TAMNHIN_MPI_PLUGIN names another). RTLD_GLOBAL: Open MPI
// loads its own components, which look up libmpi's symbols globally.
const Transport* load_transport() {
  std::string path;
  if (const char* own = std::getenv("TAMNHIN_MPI_PLUGIN"); own != nullptr && *own) {
    path = own;
  } else {
    std::string exe(4096, '\0');
    const ssize_t n = ::readlink("/proc/self/exe", exe.data(), exe.size());
    exe.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
    path = exe.substr(0, exe.rfind('/') + 1) + "tamnhin_mpi.so";
  }
  void* plugin = ::dlopen(path.c_str(), RTLD_NOW | RTLD_GLOBAL);
  if (plugin == nullptr) {
    std::cerr << "tamnhin: started by an MPI launcher, but its MPI transport " << path
              << " could not be loaded: " << ::dlerror()
              << "\n  hint: install tamnhin_mpi.so next to the tamnhin binary, or set "
                 "TAMNHIN_MPI_PLUGIN\n";
    std::_Exit(1);
  }
  using Entry = const Transport* (*)();
  auto entry = reinterpret_cast<Entry>(::dlsym(plugin, "tamnhin_mpi_transport"));
  if (entry == nullptr) {
    std::cerr << "tamnhin: " << path << " is not tamnhin's MPI transport\n";
    std::_Exit(1);
  }
  return entry();
}

bool distributed() {
  return g_count > 1;
}

}  // namespace

Session::Session(int& argc, char**& argv) {
  if (!launched_by_mpi()) return;
  g_transport = load_transport();
  g_transport->start(&argc, &argv, &g_rank, &g_count);
  if (g_rank != 0) {
    std::cout.rdbuf(&g_null);
    g_cerr = std::cerr.rdbuf(&g_null);
  }
}

Session::~Session() {
  speak();
  std::cout.flush();
  if (g_transport != nullptr) g_transport->finish();
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
  if (g_transport != nullptr) g_transport->abort(status);
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
  if (all.empty()) return;  // the same on every rank: nothing to exchange
  g_transport->all_gather(mine.data(), all.data(), offsets.data());
}

void all_gather_columns(double* base, std::size_t rows, std::size_t stride,
                        std::span<const std::size_t> first) {
  TAMNHIN_CHECK_EQ(first.size(), static_cast<std::size_t>(g_count) + 1);
  TAMNHIN_CHECK_LE(first.back(), stride);
  if (!distributed() || rows == 0) return;  // the same on every rank
  g_transport->all_gather_columns(base, rows, stride, first.data());
}

void sum(std::span<std::uint64_t> values) {
  if (distributed() && !values.empty()) g_transport->sum(values.data(), values.size());
}

std::int64_t min(std::int64_t value) {
  return distributed() ? g_transport->min(value) : value;
}

std::string broadcast(const std::string& text, int from) {
  if (!distributed()) return text;
  std::string out = g_rank == from ? text : std::string();
  g_transport->broadcast(&out, from);
  return out;
}

}  // namespace tamnhin::ranks
