// The standard test functions of sensitivity analysis, with their indices in closed form,
// evaluated on Saltelli designs in the unit hypercube.
#pragma once

#include <cmath>
#include <functional>
#include <numbers>
#include <string>
#include <utility>
#include <vector>

#include "engine/analysis/sensitivity/saltelli.hpp"
#include "engine/analysis/sensitivity/sobol_indices.hpp"

namespace tamnhin::analysis::testing {

using Function = std::function<double(const std::vector<double>&)>;  // of unit uniforms

// Ishigami & Homma (1990) with a = 7, b = 0.1 on x_i ~ U(-pi, pi).
inline double ishigami(const std::vector<double>& u) {
  const double pi = std::numbers::pi;
  const double x1 = -pi + 2 * pi * u[0], x2 = -pi + 2 * pi * u[1], x3 = -pi + 2 * pi * u[2];
  return std::sin(x1) + 7 * std::sin(x2) * std::sin(x2) + 0.1 * std::pow(x3, 4) * std::sin(x1);
}

struct Indices {
  std::vector<double> s1, st;
};

inline Indices ishigami_indices() {
  const double a = 7, b = 0.1, pi4 = std::pow(std::numbers::pi, 4), pi8 = pi4 * pi4;
  const double v1 = 0.5 * std::pow(1 + b * pi4 / 5, 2);
  const double v2 = a * a / 8;
  const double v13 = b * b * pi8 * (1.0 / 18 - 1.0 / 50);
  const double v = v1 + v2 + v13;
  return {{v1 / v, v2 / v, 0.0}, {(v1 + v13) / v, v2 / v, v13 / v}};
}

// Sobol's g-function: prod (|4 x_i - 2| + a_i) / (1 + a_i), x_i ~ U(0, 1).
inline const std::vector<double> kGCoefficients{0, 1, 4.5, 9, 99, 99};

inline double g_function(const std::vector<double>& u) {
  double g = 1;
  for (std::size_t i = 0; i < kGCoefficients.size(); ++i)
    g *= (std::abs(4 * u[i] - 2) + kGCoefficients[i]) / (1 + kGCoefficients[i]);
  return g;
}

inline Indices g_indices() {
  std::vector<double> vi;
  double prod = 1;
  for (double a : kGCoefficients) {
    vi.push_back(1.0 / (3 * (1 + a) * (1 + a)));
    prod *= 1 + vi.back();
  }
  const double v = prod - 1;
  Indices out;
  for (double x : vi) {
    out.s1.push_back(x / v);
    out.st.push_back(x * prod / (1 + x) / v);
  }
  return out;
}

// The outputs f(A), f(B), f(AB_i) of a function of the design's coordinates (one factor
// per coordinate).
struct Evaluated {
  std::vector<double> a, b;
  std::vector<std::vector<double>> ab;
  SobolOutputs view() const {
    SobolOutputs y{a, b, {}};
    for (const auto& x : ab) y.ab.emplace_back(x);
    return y;
  }
};

inline Evaluated evaluate(const SaltelliDesign& d, const Function& f) {
  Evaluated e;
  e.ab.assign(d.dims, {});
  std::vector<double> row(d.dims);
  for (std::size_t j = 0; j < d.samples; ++j) {
    for (std::size_t c = 0; c < d.dims; ++c) row[c] = d.a_column(c)[j];
    e.a.push_back(f(row));
    for (std::size_t i = 0; i < d.dims; ++i) {
      row[i] = d.b_column(i)[j];
      e.ab[i].push_back(f(row));
      row[i] = d.a_column(i)[j];
    }
    for (std::size_t c = 0; c < d.dims; ++c) row[c] = d.b_column(c)[j];
    e.b.push_back(f(row));
  }
  return e;
}

inline std::vector<std::string> names(std::size_t k) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < k; ++i) {
    // Appended rather than "x" + std::to_string(...), which trips GCC 12's
    // -Wstringop-overflow false positive in libstdc++'s insert.
    std::string name = "x";
    name += std::to_string(i + 1);
    out.push_back(std::move(name));
  }
  return out;
}

}  // namespace tamnhin::analysis::testing
