// The evaluator's cache of compiled variants: prepare() compiles in parallel what
// program() would compile one at a time, and leaves the errors to program().
#include "engine/analysis/evaluator.hpp"

#include <gtest/gtest.h>

#include "engine/compile/compile.hpp"
#include "engine/sim/same_simulation.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/analysis/closed_form_models.hpp"

namespace tamnhin::analysis {
namespace {

using testing::TempDir;

Variant with_share(double value) {
  Variant v;
  v.name = "share " + std::to_string(value);
  v.overrides.push_back({"share", std::nullopt, value, {"--set", 0, 0}});
  return v;
}

TEST(Evaluator, PrepareCompilesWhatProgramWouldAndKeepsErrorsForProgram) {
  TempDir dir;
  Diagnostics d;
  auto scenario = load_scenario(dir.write("m.toml", testing::linear_target_model(10, 3)), d);
  ASSERT_TRUE(scenario && d.empty());
  EvaluationSettings settings;
  settings.draws = 100;
  settings.threads = 2;
  std::vector<Variant> variants = {with_share(0.1), with_share(0.5), with_share(0.9),
                                   with_share(0.5)};
  Variant bad = with_share(0.3);
  bad.overrides[0].name = "shar";  // no such lever
  variants.insert(variants.begin() + 1, bad);

  Evaluator prepared({&*scenario}, settings);
  EXPECT_NO_THROW(prepared.prepare(variants));  // the bad variant is left for program()
  Evaluator serial({&*scenario}, settings);
  for (const Variant& v : variants) {
    if (&v == &variants[1]) {
      EXPECT_THROW(prepared.program(v), InputError);
      EXPECT_THROW(serial.program(v), InputError);
      continue;
    }
    const Program& a = prepared.program(v);
    // The same program as one compiled on its own: it simulates the same numbers (and not,
    // say, another variant's: the shares differ).
    StudyScenario x, y;
    x.program = &a;
    y.program = &serial.program(v);
    x.draws = y.draws = 100;
    EXPECT_TRUE(simulates_the_same(x, y)) << v.name;
  }
  // Two variants written alike share one compiled program.
  EXPECT_EQ(&prepared.program(variants[2]), &prepared.program(variants[4]));
}

}  // namespace
}  // namespace tamnhin::analysis
