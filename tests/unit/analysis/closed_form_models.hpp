// Allocation problems whose answers are known in closed form, written as model files.
//
// One lever `share` in [0, 1] and y = k * share + normal(0, 1) with a target y > c in
// 2030: the chance of meeting it is P(share) = Phi(k * share - c). Under common random
// numbers every variant sees the same normal draw z_i, so draw i meets the target exactly
// when share > (c - z_i) / k.
#pragma once

#include <string>

namespace tamnhin::testing {

inline std::string linear_target_model(double k, double c) {
  return R"toml([model]
name = "linear target"
base_year = 2023
end_year = 2030
[vars.share]
lever = true
range = [0.0, 1.0]
path = { 2023 = 0.2 }
[vars.y]
unit = "x"
eq = ")toml" +
         std::to_string(k) + R"toml( * share + normal(0, 1)"
targets = [{ year = 2030, above = )toml" +
         std::to_string(c) + R"toml( }]
)toml";
}

// Two shares a + b = 1 (a share group), each driving its own indicator:
// y1 = 10 a + N(0,1) > 3 and y2 = 10 b + N(0,1) > 5. The expected number of targets met,
// Phi(10a - 3) + Phi(10(1 - a) - 5), is largest where the two densities are equal:
// 10a - 3 = 5 - 10a, a = 0.4, with Phi(1) + Phi(1) = 1.6826894921 targets met.
inline std::string simplex_model() {
  return R"toml([model]
name = "simplex"
base_year = 2023
end_year = 2030
[shares.budget]
members = ["a", "b"]
[vars.a]
lever = true
range = [0.0, 1.0]
path = { 2023 = 0.5 }
[vars.b]
lever = true
range = [0.0, 1.0]
path = { 2023 = 0.5 }
[vars.y1]
unit = "x"
eq = "10 * a + normal(0, 1)"
targets = [{ year = 2030, above = 3 }]
[vars.y2]
unit = "x"
eq = "10 * b + normal(0, 1)"
targets = [{ year = 2030, above = 5 }]
)toml";
}

}  // namespace tamnhin::testing
