// How a study's round of work items is split over the ranks of a run (ranks.hpp), and
// what the ranks exchange so that each ends the round holding what one process would.
// Each part of a round (study.cpp) is its batches of `batch_size` draws; rank r of K
// simulates the contiguous block [n * r / K, n * (r + 1) / K) of a part's n batches, the
// same batches one process would run, so results (and the error of a failing draw) are
// those of one process. Every function here is collective: all ranks call it in the same
// order. With one rank they cost nothing.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <span>
#include <vector>

#include "engine/core/cube.hpp"
#include "engine/sim/simulate.hpp"

namespace tamnhin {

// The first draw of each rank's block of a part, and the part's draws: ranks() + 1 entries.
std::vector<std::size_t> rank_draw_bounds(std::size_t draws, std::size_t batch_size);

// Runs fn(i) for every i of `mine` (this rank's items, ascending) in parallel. If an item
// fails on any rank, every rank throws the error of the lowest failing item of the whole
// round, as one process would have: InputError with the same diagnostics, StudyStopped,
// or an internal error with the same message.
void run_items_across_ranks(const std::vector<std::size_t>& mine,
                            const std::function<void(std::size_t)>& fn,
                            const std::atomic<bool>* stop);

// Gives every rank the whole cube, when rank r simulated the draws [bounds[r], bounds[r+1]).
void share_cube(Cube& cube, std::span<const std::size_t> bounds);

// The same for the cube's columns [first, first + count) only (variable v, year y being
// column v * years + y).
void share_columns(Cube& cube, std::span<const std::size_t> bounds, std::size_t first,
                   std::size_t count);

// Items computed once in the whole run (the summaries of a cube's columns, the rows of a
// paired comparison) shared out between the ranks: rank r takes [bounds[r], bounds[r + 1])
// of n items, a contiguous block, the same on every rank. ranks() + 1 entries.
std::vector<std::size_t> rank_item_bounds(std::size_t n);

// `values` holds `width` numbers per item; this rank filled its own block of items
// (rank_item_bounds). Afterwards every item holds the numbers of the rank that computed
// it, copied bit for bit. Nothing to do with one rank.
void share_items(std::span<double> values, std::size_t width, std::span<const std::size_t> bounds);

// Every rank's counts, summed, on every rank.
void share_clamps(ClampCounts& clamps);

// Runs `work` on rank 0 alone (what touches the output directory); if it throws, every
// rank throws the same error.
void on_root_agreed(const std::function<void()>& work);

}  // namespace tamnhin
