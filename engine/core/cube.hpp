// The per-draw record of one scenario: values of the recorded variables (those with a
// unit or a target) for every year and draw. Simulation batches each write their own
// slice of draws; statistics read whole columns.
#pragma once

#include <cstddef>
#include <span>
#include <vector>

namespace tamnhin {

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
  // contiguous slice of each column.
  std::vector<double> values;

  Cube() = default;
  Cube(std::size_t n_variables, std::size_t n_years, std::size_t n_draws)
      : variables(n_variables),
        years(n_years),
        draws(n_draws),
        values(n_variables * n_years * n_draws) {}

  double* column(std::size_t variable, std::size_t year) {
    return values.data() + (variable * years + year) * draws;
  }
  std::span<const double> column(std::size_t variable, std::size_t year) const {
    return {values.data() + (variable * years + year) * draws, draws};
  }
};

}  // namespace tamnhin
