// Internal to engine/sim: run_study's way with a scenario whose per-draw records do not
// fit the cube budget (a million draws of every recorded variable) when only its summaries
// are wanted. The scenario is simulated once, in chunks of a fixed number of draws; each
// chunk is reduced to what the summaries need (stats::ColumnStream: moments, and the draws
// near the ranks the quantiles read) and dropped. Chunks are simulated in parallel and
// absorbed in draw order, so the result depends neither on --threads nor on --batch.
//
// Quantiles and target odds are exact; means and sds agree with the in-memory summary within
// 1e-12 of max(|mean|, sd) (column_stream.hpp). A column whose wanted ranks were not
// kept is recomputed exactly by simulating the scenario again for its variable.
#pragma once

#include <cstddef>

#include "engine/sim/simulate.hpp"
#include "engine/sim/study.hpp"

namespace tamnhin {

// Draws per chunk, chunks per round of absorbs, draws seen before the first narrowing.
inline constexpr std::size_t kStreamChunkDraws = 1024;
inline constexpr std::size_t kStreamWaveChunks = 16;
inline constexpr std::size_t kStreamFirstNarrow = 16384;

// Bytes a streamed scenario holds at most, roughly (for the memory estimate), its
// parameters' windows included (whole columns are not: the estimate adds those unless
// samples_by_chunk, study.hpp).
std::size_t streamed_scenario_bytes(const Program& program, std::size_t draws, unsigned threads);

ScenarioResult stream_scenario(const StudyScenario& scenario, const PreparedScenario& prepared,
                               const StudySettings& settings);

}  // namespace tamnhin
