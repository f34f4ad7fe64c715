#include "engine/sim/rank_split.hpp"

#include <algorithm>
#include <cstdint>
#include <exception>
#include <limits>
#include <stdexcept>
#include <string>

#include "engine/core/check.hpp"
#include "engine/core/diagnostics.hpp"
#include "engine/sim/parallel_items.hpp"
#include "engine/sim/ranks.hpp"
#include "engine/sim/study.hpp"

namespace tamnhin {

namespace {

constexpr std::int64_t kNone = std::numeric_limits<std::int64_t>::max();

// A failure travels between ranks as text: a kind letter, then length-prefixed fields.
void put(std::string& out, const std::string& field) {
  out += std::to_string(field.size());
  out += ':';
  out += field;
}

std::string take(const std::string& in, std::size_t& at) {
  const std::size_t colon = in.find(':', at);
  TAMNHIN_CHECK(colon != std::string::npos);
  const std::size_t size = std::stoull(in.substr(at, colon - at));
  std::string field = in.substr(colon + 1, size);
  at = colon + 1 + size;
  return field;
}

std::string encode(const std::exception_ptr& failure) {
  std::string out;
  try {
    std::rethrow_exception(failure);
  } catch (const InputError& e) {
    out = "D";
    for (const Diagnostic& d : e.diagnostics()) {
      put(out, d.where.file);
      put(out, std::to_string(d.where.line));
      put(out, std::to_string(d.where.column));
      put(out, d.subject);
      put(out, d.message);
      put(out, d.hint);
    }
  } catch (const StudyStopped&) {
    out = "S";
  } catch (const InternalError& e) {
    out = "I";
    put(out, e.what());
  } catch (const std::exception& e) {
    out = "E";
    put(out, e.what());
  } catch (...) {
    out = "E";
    put(out, "unknown exception");
  }
  return out;
}

[[noreturn]] void throw_decoded(const std::string& text) {
  TAMNHIN_CHECK(!text.empty());
  std::size_t at = 1;
  switch (text[0]) {
    case 'D': {
      std::vector<Diagnostic> diagnostics;
      while (at < text.size()) {
        Diagnostic d;
        d.where.file = take(text, at);
        d.where.line = std::stoi(take(text, at));
        d.where.column = std::stoi(take(text, at));
        d.subject = take(text, at);
        d.message = take(text, at);
        d.hint = take(text, at);
        diagnostics.push_back(std::move(d));
      }
      throw InputError(std::move(diagnostics));
    }
    case 'S':
      throw StudyStopped();
    case 'I':
      throw InternalError(take(text, at));
    default:
      throw std::runtime_error(take(text, at));
  }
}

}  // namespace

std::vector<std::size_t> rank_draw_bounds(std::size_t draws, std::size_t batch_size) {
  const auto k = static_cast<std::size_t>(ranks::count());
  const std::size_t batches = (draws + batch_size - 1) / batch_size;
  std::vector<std::size_t> bounds;
  for (std::size_t r = 0; r <= k; ++r)
    bounds.push_back(std::min(draws, batches * r / k * batch_size));
  return bounds;
}

void run_items_across_ranks(const std::vector<std::size_t>& mine,
                            const std::function<void(std::size_t)>& fn,
                            const std::atomic<bool>* stop) {
  if (ranks::count() == 1) {
    // One process: the items, their failure and its type exactly as without MPI.
    for_each_item_in_order_of_failure(
        mine.size(), [&](std::size_t j) { fn(mine[j]); }, stop);
    return;
  }
  std::atomic<std::size_t> lowest{std::numeric_limits<std::size_t>::max()};
  std::exception_ptr failure;
  try {
    for_each_item_in_order_of_failure(
        mine.size(),
        [&](std::size_t j) {
          try {
            fn(mine[j]);
          } catch (...) {
            std::size_t seen = lowest.load();
            while (j < seen && !lowest.compare_exchange_weak(seen, j)) {
            }
            throw;
          }
        },
        stop);
  } catch (...) {
    failure = std::current_exception();
  }
  // The lowest failing item of the round, and the rank that ran it.
  const std::int64_t failed = failure ? static_cast<std::int64_t>(mine[lowest.load()]) : kNone;
  const std::int64_t first = ranks::min(failed);
  if (first == kNone) return;
  const auto owner = static_cast<int>(ranks::min(failed == first ? ranks::rank() : kNone));
  throw_decoded(ranks::broadcast(failed == first ? encode(failure) : std::string(), owner));
}

void share_cube(Cube& cube, std::span<const std::size_t> bounds) {
  share_columns(cube, bounds, 0, cube.variables * cube.years);
}

void share_columns(Cube& cube, std::span<const std::size_t> bounds, std::size_t first,
                   std::size_t count) {
  if (ranks::count() == 1) return;
  TAMNHIN_CHECK_EQ(bounds.size(), static_cast<std::size_t>(ranks::count()) + 1);
  TAMNHIN_CHECK_LE(first + count, cube.variables * cube.years);
  // Columns go in chunks of at most 2^24 values (128 MiB) each way: MPI's messages stay
  // moderate, and every count fits MPI's int.
  const std::size_t per_chunk =
      std::max<std::size_t>(1, (std::size_t{1} << 24) / std::max<std::size_t>(1, cube.draws));
  for (std::size_t c0 = first; c0 < first + count; c0 += per_chunk) {
    ranks::all_gather_columns(cube.values.data() + c0 * cube.draws,
                              std::min(per_chunk, first + count - c0), cube.draws, bounds);
  }
}

std::vector<std::size_t> rank_item_bounds(std::size_t n) {
  const auto k = static_cast<std::size_t>(ranks::count());
  std::vector<std::size_t> bounds;
  for (std::size_t r = 0; r <= k; ++r) bounds.push_back(n * r / k);
  return bounds;
}

void share_items(std::span<double> values, std::size_t width, std::span<const std::size_t> bounds) {
  if (ranks::count() == 1) return;
  const auto k = static_cast<std::size_t>(ranks::count());
  const auto me = static_cast<std::size_t>(ranks::rank());
  TAMNHIN_CHECK_EQ(bounds.size(), k + 1);
  TAMNHIN_CHECK_EQ(values.size(), width * bounds[k]);
  std::vector<std::size_t> offsets(k + 1);
  for (std::size_t r = 0; r <= k; ++r) offsets[r] = width * bounds[r];
  // The gather writes into `values`: this rank's block goes from a copy.
  const std::vector<double> mine(values.begin() + static_cast<std::ptrdiff_t>(offsets[me]),
                                 values.begin() + static_cast<std::ptrdiff_t>(offsets[me + 1]));
  ranks::all_gather(mine, values, offsets);
}

void share_clamps(ClampCounts& clamps) {
  ranks::sum(clamps.low);
  ranks::sum(clamps.high);
}

void on_root_agreed(const std::function<void()>& work) {
  if (ranks::count() == 1) {
    work();
    return;
  }
  std::string failure;
  if (ranks::root()) {
    try {
      work();
    } catch (...) {
      failure = encode(std::current_exception());
    }
  }
  failure = ranks::broadcast(failure, 0);
  if (!failure.empty()) throw_decoded(failure);
}

}  // namespace tamnhin
