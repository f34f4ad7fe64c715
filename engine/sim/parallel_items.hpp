// Runs independent work items in parallel (oneTBB, one item per task) so that a failure
// is reported deterministically: when items fail, the one with the lowest index is
// rethrown, whatever the thread count. Items after a known failure are skipped; items
// before it still run, so the lowest failing index is always found.
#pragma once

#include <atomic>
#include <cstddef>
#include <exception>
#include <limits>
#include <vector>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/partitioner.h>

namespace tamnhin {

template <typename Fn>
void for_each_item_in_order_of_failure(std::size_t count, Fn&& fn,
                                       const std::atomic<bool>* stop = nullptr) {
  constexpr std::size_t kNone = std::numeric_limits<std::size_t>::max();
  std::atomic<std::size_t> first_failure{kNone};
  std::vector<std::exception_ptr> errors(count);
  oneapi::tbb::parallel_for(
      oneapi::tbb::blocked_range<std::size_t>(0, count, 1),
      [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
        for (std::size_t i = range.begin(); i != range.end(); ++i) {
          if (i > first_failure.load(std::memory_order_relaxed)) return;
          if (stop != nullptr && stop->load(std::memory_order_relaxed)) return;
          try {
            fn(i);
          } catch (...) {
            errors[i] = std::current_exception();
            std::size_t seen = first_failure.load();
            while (i < seen && !first_failure.compare_exchange_weak(seen, i)) {
            }
          }
        }
      },
      oneapi::tbb::simple_partitioner());
  const std::size_t failed = first_failure.load();
  if (failed != kNone) std::rethrow_exception(errors[failed]);
}

}  // namespace tamnhin
