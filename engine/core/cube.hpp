// The per-draw record of one scenario: values of the recorded variables (those with a
// unit or a target) for every year and draw. Simulation batches each write their own
// slice of draws; statistics read whole columns.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <span>
#include <utility>
#include <vector>

namespace tamnhin {

// UninitialisedAllocator asks for blocks of kHugeFrom bytes or more in kHugePage pages.
inline constexpr std::size_t kHugePage = std::size_t{2} << 20;
inline constexpr std::size_t kHugeFrom = std::size_t{4} << 20;  // smaller: normal pages
void advise_huge_pages(void* p, std::size_t bytes);             // madvise; no-op elsewhere

// std::allocator, except that resize() leaves new doubles uninitialised instead of
// zeroing them. A cube is written whole by the simulation, so zeroing it first only made
// the calling thread fault in every page while the workers waited (a twentieth of a
// nine-scenario run); left alone, each page is first touched by the worker that fills it.
template <typename T>
struct UninitialisedAllocator : std::allocator<T> {
  template <typename U>
  struct rebind {
    using other = UninitialisedAllocator<U>;
  };
  UninitialisedAllocator() = default;
  template <typename U>
  UninitialisedAllocator(const UninitialisedAllocator<U>&) noexcept {}

  // Large blocks (a cube, a reference's held draws) are backed by 2 MiB pages where the
  // kernel offers them on request (transparent huge pages in "madvise" mode, Debian's
  // default): one fault per 2 MiB instead of per 4 KiB, and a batch's writes to its
  // thousand-odd columns no longer miss the TLB on every column.
  T* allocate(std::size_t n) {
    const std::size_t bytes = n * sizeof(T);
    if (bytes < kHugeFrom) return std::allocator<T>::allocate(n);
    const std::size_t rounded = (bytes + kHugePage - 1) / kHugePage * kHugePage;
    void* p = std::aligned_alloc(kHugePage, rounded);
    if (p == nullptr) throw std::bad_alloc();
    advise_huge_pages(p, rounded);
    return static_cast<T*>(p);
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n * sizeof(T) < kHugeFrom) return std::allocator<T>::deallocate(p, n);
    std::free(p);
  }

  template <typename U, typename... Args>
  void construct(U* p, Args&&... args) {
    if constexpr (sizeof...(Args) == 0) {
      ::new (static_cast<void*>(p)) U;  // default-initialised: no value for a double
    } else {
      std::construct_at(p, std::forward<Args>(args)...);
    }
  }
};

struct Cube {
  std::size_t variables = 0;
  std::size_t years = 0;
  std::size_t draws = 0;
  // The draw held at index 0 of every column: a cube may hold a chunk of a run's draws,
  // [first_draw, first_draw + draws) (a run too long to hold at once is summarised chunk
  // by chunk, engine/sim/stream_scenario.hpp).
  std::size_t first_draw = 0;
  // values[(variable * years + year) * draws + draw]: one contiguous column per
  // (variable, year), so quantiles sort a contiguous range and a batch writes a
  // contiguous slice of each column. resize() does not zero (UninitialisedAllocator): the
  // constructor below does, and so must any other writer that fills less than a whole cube.
  std::vector<double, UninitialisedAllocator<double>> values;

  Cube() = default;
  Cube(std::size_t n_variables, std::size_t n_years, std::size_t n_draws)
      : variables(n_variables),
        years(n_years),
        draws(n_draws),
        values(n_variables * n_years * n_draws, 0.0) {}

  double* column(std::size_t variable, std::size_t year) {
    return values.data() + (variable * years + year) * draws;
  }
  std::span<const double> column(std::size_t variable, std::size_t year) const {
    return {values.data() + (variable * years + year) * draws, draws};
  }
};

}  // namespace tamnhin
