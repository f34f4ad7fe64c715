#include "engine/compile/compile.hpp"

#include <algorithm>

#include <gtest/gtest.h>

#include "engine/model/load_model.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin {
namespace {

using testing::TempDir;

struct Compiled {
  std::optional<Program> program;
  Diagnostics diagnostics;
  std::string messages() const {
    std::string out;
    for (const auto& x : diagnostics.all()) out += x.to_string() + "\n";
    return out;
  }
};

Compiled compile_vars(const std::string& body) {
  TempDir dir;
  const auto file = dir.write("m.toml", R"toml([model]
name = "m"
base_year = 2023
end_year = 2026
[params]
k = 2.0
u = { dist = "uniform", min = 0, max = 1 }
[tables.tab]
points = [[0.0, 0.0], [1.0, 10.0]]
[shocks.g]
names = ["z"]
)toml" + body);
  Compiled c;
  auto model = load_model(file, c.diagnostics);
  if (!model || !c.diagnostics.empty()) return c;
  c.program = compile(*model, c.diagnostics);
  return c;
}

std::size_t position_of(const std::vector<Op>& ops, const Program& p, const std::string& var) {
  for (std::size_t i = 0; i < ops.size(); ++i) {
    if (ops[i].code == OpCode::finish_var && p.vars[ops[i].aux].name == var) return i;
  }
  return ops.size();
}

TEST(Compile, OrdersVariablesByTheirSameYearReads) {
  auto c = compile_vars(R"toml(
[vars.c]
base = 0
eq = "b + 1"
[vars.b]
eq = "a * 2"
[vars.a]
base = 1
eq = "prev(a) + prev(c)"
)toml");
  ASSERT_TRUE(c.program) << c.messages();
  const auto& ops = c.program->step_ops;
  EXPECT_LT(position_of(ops, *c.program, "a"), position_of(ops, *c.program, "b"));
  EXPECT_LT(position_of(ops, *c.program, "b"), position_of(ops, *c.program, "c"));
}

TEST(Compile, FoldsConstantsIncludingConstantParameters) {
  auto c = compile_vars("[vars.x]\neq = \"k * 3 + max(1, 2) ^ 2 - lookup(tab, 0.5)\"\n");
  ASSERT_TRUE(c.program) << c.messages();
  // One copy of the folded constant 2*3 + 4 - 5 = 5, then finish_var.
  const auto& ops = c.program->step_ops;
  const auto n = std::count_if(ops.begin(), ops.end(), [](const Op& op) {
    return op.code != OpCode::shock_group && op.code != OpCode::finish_var;
  });
  EXPECT_EQ(n, 1);
  const auto copy =
      std::find_if(ops.begin(), ops.end(), [](const Op& op) { return op.code == OpCode::copy; });
  ASSERT_NE(copy, ops.end());
  const Slot& slot = c.program->slots[copy->in[0].slot];
  ASSERT_EQ(slot.kind, SlotKind::constant);
  EXPECT_EQ(c.program->constants[slot.index], 5.0);
}

TEST(Compile, KeepsHistoryAsDeepAsTheLongestLag) {
  auto c = compile_vars("[vars.x]\nbase = 1\neq = \"prev(x) + prev(x, 3)\"\n");
  ASSERT_TRUE(c.program) << c.messages();
  EXPECT_EQ(c.program->slots[c.program->vars[0].slot].depth, 4u);
}

TEST(Compile, RecordsVariablesWithAUnitOrATarget) {
  auto c = compile_vars(R"toml(
[vars.a]
eq = "1"
[vars.b]
unit = "%"
eq = "2"
label_vi = "Tỷ lệ"
[vars.c]
eq = "3"
targets = [ { year = 2025, above = 1, label = "SDG 1" } ]
)toml");
  ASSERT_TRUE(c.program) << c.messages();
  ASSERT_EQ(c.program->recorded.size(), 2u);
  EXPECT_EQ(c.program->recorded[0].name, "b");
  EXPECT_EQ(c.program->recorded[1].name, "c");
  ASSERT_EQ(c.program->targets.size(), 1u);
  EXPECT_EQ(c.program->targets[0].variable, 1u);
  EXPECT_EQ(c.program->targets[0].comparator, Comparator::above);
  // Labels travel with what is recorded, for the outputs to show.
  EXPECT_EQ(c.program->recorded[0].labels.vi, "Tỷ lệ");
  EXPECT_EQ(c.program->targets[0].labels.en, "SDG 1");
}

TEST(Compile, NamesRandomSitesByVariableAndOccurrence) {
  auto c =
      compile_vars("[vars.x]\neq = \"normal(0, 1) + if(u > 2, uniform(0, 1), normal(0, 1))\"\n");
  ASSERT_TRUE(c.program) << c.messages();
  EXPECT_EQ(c.program->sites, (std::vector<std::string>{"eq/x/0", "eq/x/1", "eq/x/2"}));
  EXPECT_EQ(c.program->shock_groups.at(0).sites.at(0), "shock/g/z");
  ASSERT_EQ(c.program->params.size(), 1u);  // only u is random; k was folded
  EXPECT_EQ(c.program->params[0].name, "u");
}

TEST(Compile, FoldingABranchAwayDoesNotShiftOtherSites) {
  auto c = compile_vars("[vars.x]\neq = \"if(k > 1, 0, normal(0, 1)) + uniform(0, 1)\"\n");
  ASSERT_TRUE(c.program) << c.messages();
  EXPECT_EQ(c.program->sites, (std::vector<std::string>{"eq/x/1"}));
}

struct BadEquation {
  const char* body;
  const char* expected;
};

class CompileRejects : public ::testing::TestWithParam<BadEquation> {};

TEST_P(CompileRejects, WithAClearMessage) {
  auto c = compile_vars(GetParam().body);
  EXPECT_FALSE(c.program.has_value());
  EXPECT_NE(c.messages().find(GetParam().expected), std::string::npos) << c.messages();
  EXPECT_NE(c.messages().find("m.toml:"), std::string::npos) << c.messages();
}

INSTANTIATE_TEST_SUITE_P(
    Cases, CompileRejects,
    ::testing::Values(
        BadEquation{"[vars.x]\neq = \"gdp + 1\"\n[vars.gdpp]\neq = \"1\"\n", "unknown name 'gdp'"},
        BadEquation{"[vars.x]\neq = \"kk + 1\"\n", "did you mean 'k'?"},
        BadEquation{"[vars.x]\neq = \"expp(1)\"\n", "did you mean 'exp'?"},
        BadEquation{"[vars.x]\neq = \"foo(1)\"\n", "unknown function 'foo'"},
        BadEquation{"[vars.x]\neq = \"normal(1)\"\n", "normal() takes 2 arguments, got 1"},
        BadEquation{"[vars.x]\neq = \"min(1)\"\n", "takes at least 2 arguments"},
        BadEquation{"[vars.x]\neq = \"k(1)\"\n", "'k' is not a function"},
        BadEquation{"[vars.x]\neq = \"exp + 1\"\n", "'exp' is a function"},
        BadEquation{"[vars.x]\neq = \"tab * 2\"\n", "'tab' is a table"},
        BadEquation{"[vars.x]\neq = \"lookup(k, 1)\"\n",
                    "lookup() of 'k': 'k' is a parameter, not a table"},
        BadEquation{"[vars.x]\neq = \"lookup(tabb, 1)\"\n",
                    "lookup() of 'tabb': the model has no table 'tabb'"},
        BadEquation{"[vars.a]\neq = \"b\"\n[vars.b]\neq = \"c + 1\"\n[vars.c]\neq = \"a\"\n",
                    "same-year cycle between a, b, c"},
        BadEquation{"[vars.x]\nbase = 1\neq = \"x + 1\"\n", "reads its own value in the same year"},
        BadEquation{"[vars.x]\nbase = 1\neq = \"prev(x, 0)\"\n",
                    "whole number of years from 1 to 4, got 0"},
        BadEquation{"[vars.x]\nbase = 1\neq = \"prev(x, 1.5)\"\n", "got 1.5"},
        BadEquation{"[vars.x]\nbase = 1\neq = \"prev(x, k)\"\n", "must be a whole number of years"},
        BadEquation{"[vars.x]\nbase = 1\neq = \"prev(x + 1)\"\n", "prev() takes a name"},
        BadEquation{"[vars.x]\neq = \"1\"\n[vars.y]\neq = \"prev(x)\"\n",
                    "needs 'x' to have a base value"},
        BadEquation{"[vars.x]\neq = \"prev(z)\"\n", "prev() of a shock is not supported"},
        BadEquation{"[vars.x]\neq = \"prev(year)\"\n", "prev(year) is not needed"},
        BadEquation{"[vars.x]\neq = \"ramp(year, 0, 2030, 1)\"\n", "years of ramp() must be fixed"},
        BadEquation{"[vars.x]\neq = \"ramp(2030, 0, 2025, 1)\"\n", "later year1"},
        BadEquation{"[vars.x]\neq = \"1 +\"\n", "vars.x.eq"},
        BadEquation{"[vars.year]\neq = \"1\"\n", "reserved name"}),
    [](const ::testing::TestParamInfo<BadEquation>& param_info) {
      return "case" + std::to_string(param_info.index);
    });

TEST(Compile, ReportsEveryBadEquationAtOnceWithItsColumn) {
  auto c = compile_vars(R"toml(
[vars.a]
eq = "1 + nope"
[vars.b]
eq = "foo(2)"
)toml");
  EXPECT_FALSE(c.program.has_value());
  ASSERT_EQ(c.diagnostics.size(), 2u) << c.messages();
  EXPECT_EQ(c.diagnostics.all()[0].where.line, 14);
  EXPECT_EQ(c.diagnostics.all()[0].where.column, 11);  // the 'n' of nope
}

TEST(BuiltinFunctions, CoverTheLanguageTable) {
  std::vector<std::string> names;
  for (const Builtin& f : builtins()) names.emplace_back(f.name);
  for (const char* expected :
       {"prev", "normal", "lognormal", "uniform", "triangular", "min", "max", "clamp", "abs", "exp",
        "log", "sqrt", "pow", "if", "logistic", "lookup", "ramp", "smooth"}) {
    EXPECT_NE(std::find(names.begin(), names.end(), expected), names.end()) << expected;
  }
}

}  // namespace
}  // namespace tamnhin
