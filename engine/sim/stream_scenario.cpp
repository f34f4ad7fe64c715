#include "engine/sim/stream_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <thread>
#include <utility>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>

#include "engine/core/check.hpp"
#include "engine/sim/parallel_items.hpp"
#include "engine/stats/column_stream.hpp"
#include "engine/stats/summary.hpp"
#include "engine/stats/target_odds.hpp"

namespace tamnhin {

namespace {

std::size_t chunk_cube_bytes(const Program& p) {
  return p.recorded.size() * static_cast<std::size_t>(p.years) * kStreamChunkDraws * sizeof(double);
}

// Per target: draws meeting it in its year, and draws first meeting it by year.
struct TargetCounts {
  std::uint64_t hits = 0;
  std::vector<std::uint64_t> first_reached;
};

// What one chunk of a wave hands over to be absorbed.
struct ChunkResult {
  std::vector<stats::ChunkContribution> columns;  // per (recorded variable, year)
  std::vector<TargetCounts> targets;
  ClampCounts clamps;
};

// Frees what the first wave's contributions (every draw) left allocated.
void release_slack(stats::ChunkContribution& c) {
  if (c.near.capacity() > 256 && c.near.size() < c.near.capacity() / 4)
    std::vector<double>().swap(c.near);
}

// Absorbing a column waits mostly on fetching its contributions, written by whichever
// thread simulated each chunk: the next column's are asked for all at once, ahead.
void prefetch_column(const std::vector<ChunkResult>& wave, std::size_t in_wave, std::size_t c) {
  for (std::size_t w = 0; w < in_wave; ++w) {
    const stats::ChunkContribution& x = wave[w].columns[c];
    __builtin_prefetch(x.below.data());
    __builtin_prefetch(x.at.data());
    if (!x.near.empty()) __builtin_prefetch(x.near.data());
  }
}

// The scenario to simulate draws [first, first + count) with: `prepared` itself when it
// holds their parameters, else `window`, made its copy and sampled for those draws only.
const PreparedScenario& with_parameters(const PreparedScenario& prepared, std::size_t first,
                                        std::size_t count, PreparedScenario& window) {
  if (prepared.program->params.empty() ||
      (prepared.param_first_draw <= first &&
       first + count - prepared.param_first_draw <= prepared.param_draws))
    return prepared;
  window = prepared;
  sample_window(window, first, count);
  return window;
}

// The exact quantiles of the columns whose wanted ranks were not kept: the scenario is
// simulated again, recording only the variable `v` (every number is a pure function of its
// draw, so these are the same draws).
void recompute_quantiles(const PreparedScenario& prepared, std::size_t v,
                         const std::vector<std::size_t>& years, const StudySettings& settings,
                         std::vector<stats::Summary>& summaries) {
  const Program& p = *prepared.program;
  PreparedScenario one = prepared;
  one.record_first = v;
  one.record_count = 1;
  Cube cube(1, static_cast<std::size_t>(p.years), prepared.draws);
  const std::size_t batch = settings.batch_size;
  const std::size_t batches = (prepared.draws + batch - 1) / batch;
  for_each_item_in_order_of_failure(
      batches,
      [&](std::size_t b) {
        thread_local Workspace workspace;
        thread_local PreparedScenario window;
        workspace.prepare(p, batch);
        ClampCounts ignored;  // counted by the first pass
        ignored.resize(p.vars.size());
        const std::size_t d = b * batch;
        const std::size_t n = std::min(batch, prepared.draws - d);
        simulate_batch(with_parameters(one, d, n, window), d, n, workspace, cube, ignored);
      },
      settings.stop);
  if (settings.stop != nullptr && settings.stop->load()) throw StudyStopped();
  std::vector<double> scratch;
  for (std::size_t y : years) {
    const stats::Summary exact = stats::summarise(std::as_const(cube).column(0, y), scratch);
    stats::Summary& s = summaries[v * static_cast<std::size_t>(p.years) + y];
    s.p05 = exact.p05;
    s.p25 = exact.p25;
    s.p50 = exact.p50;
    s.p75 = exact.p75;
    s.p95 = exact.p95;
  }
}

}  // namespace

std::size_t streamed_scenario_bytes(const Program& p, std::size_t draws, unsigned threads) {
  const unsigned workers =
      threads != 0 ? threads : std::max(1u, std::thread::hardware_concurrency());
  const std::size_t columns = p.recorded.size() * static_cast<std::size_t>(p.years);
  // Kept near the five quantiles at the end: 2 x 6 sds of a rank's position, about twice
  // over between two narrowings; the first wave keeps every draw twice (its contributions
  // and the columns they are absorbed into).
  double kept = 0;
  for (double q : {0.05, 0.25, 0.5, 0.75, 0.95})
    kept += 2 * (12 * std::sqrt(static_cast<double>(draws) * q * (1 - q)) + 18);
  const std::size_t first_wave = 2 * kStreamWaveChunks * kStreamChunkDraws;
  const std::size_t window = p.params.size() * kStreamChunkDraws * sizeof(double);
  return columns * sizeof(double) * (static_cast<std::size_t>(kept) + std::min(draws, first_wave)) +
         workers * (chunk_cube_bytes(p) + window);
}

ScenarioResult stream_scenario(const StudyScenario& sc, const PreparedScenario& prepared,
                               const StudySettings& settings) {
  const Program& p = *sc.program;
  const std::size_t years = static_cast<std::size_t>(p.years);
  const std::size_t columns = p.recorded.size() * years;
  const std::size_t draws = sc.draws;
  const std::size_t batch = std::min(settings.batch_size, kStreamChunkDraws);
  TAMNHIN_CHECK(draws > 0);
  TAMNHIN_CHECK_EQ(prepared.record_first, 0u);

  std::vector<stats::ColumnStream> streams(columns, stats::ColumnStream(draws));
  std::vector<TargetCounts> totals(p.targets.size());
  for (auto& t : totals) t.first_reached.assign(years, 0);
  ScenarioResult result;
  result.clamps.resize(p.vars.size());

  std::vector<ChunkResult> wave(kStreamWaveChunks);
  const std::size_t chunks = (draws + kStreamChunkDraws - 1) / kStreamChunkDraws;
  std::size_t next_narrow = kStreamFirstNarrow;
  for (std::size_t first = 0; first < chunks; first += kStreamWaveChunks) {
    const std::size_t in_wave = std::min(kStreamWaveChunks, chunks - first);
    for_each_item_in_order_of_failure(
        in_wave,
        [&](std::size_t w) {
          thread_local Workspace workspace;
          thread_local Cube cube;
          thread_local std::vector<double> scratch;
          thread_local PreparedScenario window;
          workspace.prepare(p, batch);
          const std::size_t d0 = (first + w) * kStreamChunkDraws;
          const std::size_t n = std::min(kStreamChunkDraws, draws - d0);
          const PreparedScenario& chunk = with_parameters(prepared, d0, n, window);
          cube.variables = p.recorded.size();
          cube.years = years;
          cube.draws = n;
          cube.first_draw = d0;
          if (cube.values.size() < columns * n) cube.values.resize(columns * n);
          ChunkResult& out = wave[w];
          out.clamps.resize(p.vars.size());
          for (std::size_t d = d0; d < d0 + n; d += batch) {
            const std::size_t m = std::min(batch, d0 + n - d);
            try {
              simulate_batch(chunk, d, m, workspace, cube, out.clamps);
            } catch (const NonFiniteValue& e) {
              throw_non_finite(p, sc.name, e);
            }
            if (settings.draws_done != nullptr)
              settings.draws_done->fetch_add(m, std::memory_order_relaxed);
          }
          out.columns.resize(columns);
          for (std::size_t c = 0; c < columns; ++c)
            streams[c].contribute(std::as_const(cube).column(c / years, c % years), out.columns[c]);
          out.targets.resize(p.targets.size());
          for (std::size_t t = 0; t < p.targets.size(); ++t) {
            const TargetSpec& spec = p.targets[t];
            TargetCounts& counts = out.targets[t];
            counts.first_reached.assign(years, 0);
            // Every year's count is summed over the chunks, so a chunk stops reading years
            // only once all of its draws have met the target (the later counts are 0).
            counts.hits = stats::count_target(
                cube, spec.variable, static_cast<std::size_t>(spec.year - p.base_year),
                spec.comparator, spec.threshold, scratch, counts.first_reached, n);
          }
        },
        settings.stop);
    if (settings.stop != nullptr && settings.stop->load()) throw StudyStopped();

    // Absorbed in draw order, column by column: the same sums whatever ran the chunks.
    const std::size_t seen = std::min(draws, (first + in_wave) * kStreamChunkDraws);
    const bool narrow = seen >= next_narrow && seen < draws;
    if (narrow) next_narrow = 2 * seen;
    oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, columns),
                              [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                                for (std::size_t c = range.begin(); c != range.end(); ++c) {
                                  if (c + 1 != range.end()) prefetch_column(wave, in_wave, c + 1);
                                  for (std::size_t w = 0; w < in_wave; ++w) {
                                    streams[c].absorb(wave[w].columns[c]);
                                    if (narrow) release_slack(wave[w].columns[c]);
                                  }
                                  if (narrow) streams[c].narrow();
                                }
                              });
#if defined(__GLIBC__)
    // Narrowing frees every column's old intervals while it allocates the new, larger ones:
    // glibc keeps the freed pages, which added about 100 MB to the peak of a million draws.
    if (narrow) malloc_trim(0);
#endif
    for (std::size_t w = 0; w < in_wave; ++w) {
      result.clamps.add(wave[w].clamps);
      for (std::size_t t = 0; t < totals.size(); ++t) {
        totals[t].hits += wave[w].targets[t].hits;
        for (std::size_t y = 0; y < years; ++y)
          totals[t].first_reached[y] += wave[w].targets[t].first_reached[y];
      }
    }
  }

  std::vector<stats::Summary> summaries(columns);
  std::vector<char> exact(columns, 0);
  oneapi::tbb::parallel_for(oneapi::tbb::blocked_range<std::size_t>(0, columns),
                            [&](const oneapi::tbb::blocked_range<std::size_t>& range) {
                              for (std::size_t c = range.begin(); c != range.end(); ++c)
                                exact[c] = streams[c].finish(summaries[c]) ? 1 : 0;
                            });
  streams.clear();
  for (std::size_t v = 0; v < p.recorded.size(); ++v) {
    std::vector<std::size_t> missing;
    for (std::size_t y = 0; y < years; ++y)
      if (exact[v * years + y] == 0) missing.push_back(y);
    if (!missing.empty()) recompute_quantiles(prepared, v, missing, settings, summaries);
  }

  stats::ScenarioReport& report = result.report;
  report = stats::report_frame({sc.name, p.model_name, p.region, sc.description, p.base_year},
                               years, draws, p.recorded, p.targets);
  report.programme_targets = p.programme_targets;
  for (std::size_t c = 0; c < columns; ++c)
    report.variables[c / years].by_year[c % years] = summaries[c];
  for (std::size_t t = 0; t < p.targets.size(); ++t) {
    const TargetSpec& spec = p.targets[t];
    const auto year_index = static_cast<std::size_t>(spec.year - p.base_year);
    const stats::Summary& in_year = summaries[spec.variable * years + year_index];
    report.targets[t].odds =
        stats::odds_from_counts(totals[t].hits, draws, totals[t].first_reached, in_year.p05,
                                in_year.p50, in_year.p95, p.base_year);
  }
  return result;
}

}  // namespace tamnhin
