// The factors of a sensitivity analysis of one program: its uncertain parameters, a
// correlation group counting as one factor (Sobol' indices need independent factors; a
// group's members move together, through the model's Gaussian copula), and
// `yearly_draws`, the model's year-by-year randomness (equation draws and shocks), when it
// has any.
#pragma once

#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/compile/program.hpp"

namespace tamnhin::analysis {

inline constexpr const char* kYearlyDrawsFactor = "yearly_draws";

struct Factor {
  std::string name;                 // the parameter's name, or the members' joined by '+'
  std::vector<std::size_t> params;  // indices into Program::params (its coordinates)
  std::vector<double> copula;       // params.size()^2 correlation factor, empty if one
};

struct FactorSet {
  std::vector<Factor> factors;          // model order of their first parameter
  std::vector<std::size_t> coordinate;  // per Program::params: its coordinate, or npos
  std::vector<std::size_t> params;      // per coordinate: Program::params index
  std::vector<std::size_t> factor_of;   // per coordinate: its factor
  std::vector<std::string> names;       // per coordinate: its parameter's name
  bool yearly_draws = false;            // the program has yearly randomness
};

FactorSet sensitivity_factors(const Program& program);

// Parameter values from uniforms: `u` holds one column of `rows` uniforms per coordinate
// (coordinate-major); returns one column per coordinate of parameter values (the
// marginals' quantiles after the group's Gaussian copula).
std::vector<std::shared_ptr<const std::vector<double>>> parameter_columns(const Program& program,
                                                                          const FactorSet& set,
                                                                          std::span<const double> u,
                                                                          std::size_t rows);

}  // namespace tamnhin::analysis
