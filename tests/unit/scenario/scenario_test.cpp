#include "engine/scenario/scenario.hpp"

#include <gtest/gtest.h>

#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin {
namespace {

using testing::TempDir;

using testing::messages;

constexpr const char* kModel = R"toml([model]
name = "m"
base_year = 2023
end_year = 2030
[params]
okun = { dist = "normal", mean = 0.30, sd = 0.05 }
[tables.t]
points = [[0.0, 0.0], [1.0, 1.0]]
[vars.share]
lever = true
path = { 2023 = 0.2 }
[vars.x]
unit = "%"
base = 1.0
eq = "prev(x) + share"
targets = [ { year = 2030, at_least = 2.0, source = "model" } ]
)toml";

TEST(LoadScenario, AppliesAnExtendsChainRootFirst) {
  TempDir dir;
  dir.write("model.toml", kModel);
  dir.write("base.toml", R"toml([scenario]
name = "base"
model = "model.toml"
draws = 500
seed = 7
sampling = "lhs"
[params.okun]
mean = 0.35
[vars.share]
path = { 2025 = 0.3 }
)toml");
  const auto child = dir.write("sub/child.toml", R"toml([scenario]
name = "child"
extends = "../base.toml"
description = "child"
seed = 8
[params.okun]
sd = 0.1
[vars.x]
eq = "prev(x) * 1.1"
targets = [ { year = 2030, below = 9.0, source = "scenario" } ]
[vars.share]
eq = "0.25"
)toml");
  Diagnostics d;
  auto s = load_scenario(child, d);
  ASSERT_TRUE(s.has_value());
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_EQ(s->name, "child");
  EXPECT_EQ(s->description, "child");
  EXPECT_EQ(s->draws, 500u);  // inherited
  EXPECT_EQ(s->seed, 8u);     // the child's wins
  EXPECT_EQ(s->sampling, random::SamplingDesign::lhs);
  const ParamSpec* okun = s->model.find_param("okun");
  EXPECT_EQ(okun->marginal.a, 0.35);  // from the parent
  EXPECT_EQ(okun->marginal.b, 0.1);   // from the child
  const VarSpec* x = s->model.find_var("x");
  EXPECT_EQ(x->eq->text, "prev(x) * 1.1");
  ASSERT_EQ(x->targets.size(), 2u);  // targets join the model's
  EXPECT_EQ(x->targets[1].source, "scenario");
  const VarSpec* share = s->model.find_var("share");
  EXPECT_TRUE(share->eq.has_value());  // eq replaces path
  EXPECT_TRUE(share->path.empty());
  ASSERT_EQ(s->files.size(), 3u);  // child, parent, model
  EXPECT_NE(s->files[2].find("model.toml"), std::string::npos);
}

TEST(LoadScenario, PathReplacesEqAndNewDistReplacesTheWholeParameter) {
  TempDir dir;
  dir.write("model.toml", kModel);
  const auto file = dir.write("s.toml", R"toml([scenario]
model = "model.toml"
[vars.x]
path = { 2023 = 1.0, 2030 = 3.0 }
[params.okun]
dist = "uniform"
min = 0.2
max = 0.4
)toml");
  Diagnostics d;
  auto s = load_scenario(file, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_EQ(s->name, "s");  // the file name when none is given
  EXPECT_FALSE(s->model.find_var("x")->eq.has_value());
  EXPECT_EQ(s->model.find_param("okun")->marginal.kind, random::DistKind::uniform);
}

TEST(LoadScenario, OverridesLabelsOneByOne) {
  TempDir dir;
  dir.write("model.toml", std::string(kModel) + "label = \"Index\"\nlabel_vi = \"Chỉ số\"\n");
  const auto file = dir.write("s.toml", R"toml([scenario]
model = "model.toml"
[vars.x]
label = "Index, as the province counts it"
targets = [ { year = 2029, above = 1.5, short = "x 2029" } ]
)toml");
  Diagnostics d;
  auto s = load_scenario(file, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  const VarSpec& x = *s->model.find_var("x");
  EXPECT_EQ(x.labels.en, "Index, as the province counts it");
  EXPECT_EQ(x.labels.vi, "Chỉ số");  // not named by the scenario: kept
  ASSERT_EQ(x.targets.size(), 2u);
  EXPECT_EQ(x.targets[1].labels.short_form, "x 2029");
}

TEST(LoadScenario, ABareModelRunsAsItsOwnBaseline) {
  TempDir dir;
  const auto file = dir.write("model.toml", kModel);
  Diagnostics d;
  auto s = load_scenario(file, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_EQ(s->name, "baseline");
  EXPECT_EQ(s->model.vars.size(), 2u);
  EXPECT_FALSE(s->draws.has_value());
}

TEST(LoadScenario, RejectsNamesTheModelDoesNotDefineWithASuggestion) {
  TempDir dir;
  dir.write("model.toml", kModel);
  const auto file = dir.write("s.toml", R"toml([scenario]
model = "model.toml"
[vars.shares]
path = { 2023 = 0.3 }
[params.okan]
mean = 0.3
[tables.u]
points = [[0.0, 1.0]]
)toml");
  Diagnostics d;
  load_scenario(file, d);
  const std::string m = messages(d);
  EXPECT_EQ(d.size(), 3u) << m;
  EXPECT_NE(m.find("s.toml:3:7: vars.shares: the model defines no var 'shares'"), std::string::npos)
      << m;
  EXPECT_NE(m.find("did you mean 'share'?"), std::string::npos) << m;
  EXPECT_NE(m.find("did you mean 'okun'?"), std::string::npos) << m;
}

TEST(LoadScenario, ReportsExtendsCyclesAndMissingFiles) {
  TempDir dir;
  dir.write("model.toml", kModel);
  const auto a = dir.write("a.toml", "[scenario]\nmodel = \"model.toml\"\nextends = \"b.toml\"\n");
  dir.write("b.toml", "[scenario]\nextends = \"a.toml\"\n");
  const auto c = dir.write("c.toml", "[scenario]\nmodel = \"missing.toml\"\n");
  const auto e = dir.write("e.toml", "[scenario]\nextends = \"nowhere.toml\"\n");
  const auto f = dir.write("f.toml", "[scenario]\nname = \"f\"\n");
  Diagnostics d;
  EXPECT_FALSE(load_scenario(a, d).has_value());
  EXPECT_FALSE(load_scenario(c, d).has_value());
  EXPECT_FALSE(load_scenario(e, d).has_value());
  EXPECT_FALSE(load_scenario(f, d).has_value());
  const std::string m = messages(d);
  ASSERT_EQ(d.size(), 4u) << m;
  EXPECT_NE(d.all()[0].message.find("extends cycle"), std::string::npos) << m;
  EXPECT_NE(d.all()[1].to_string().find("missing.toml: file not found"), std::string::npos) << m;
  EXPECT_NE(d.all()[1].hint.find("named as the model at"), std::string::npos) << m;
  EXPECT_NE(d.all()[2].hint.find("named by 'extends'"), std::string::npos) << m;
  EXPECT_NE(d.all()[3].message.find("no model"), std::string::npos) << m;
}

TEST(LoadScenario, ValidatesHeaderValues) {
  TempDir dir;
  dir.write("model.toml", kModel);
  const auto file = dir.write("s.toml", R"toml([scenario]
model = "model.toml"
draws = 0
seed = -1
sampling = "qmc"
colour = "red"
)toml");
  Diagnostics d;
  load_scenario(file, d);
  const std::string m = messages(d);
  EXPECT_EQ(d.size(), 4u) << m;
  EXPECT_NE(m.find("scenario.draws: must be between 1 and"), std::string::npos) << m;
  EXPECT_NE(m.find("scenario.seed: must not be negative"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown sampling design 'qmc'"), std::string::npos) << m;
  EXPECT_NE(m.find("scenario.colour: unknown key"), std::string::npos) << m;
}

TEST(LoadScenario, OverridesAreValidatedLikeTheModel) {
  TempDir dir;
  dir.write("model.toml", kModel);
  const auto file =
      dir.write("s.toml", "[scenario]\nmodel = \"model.toml\"\n[params.okun]\nsd = -1\n");
  Diagnostics d;
  load_scenario(file, d);
  EXPECT_NE(messages(d).find("params.okun.sd: must be positive, got -1"), std::string::npos)
      << messages(d);
}

}  // namespace
}  // namespace tamnhin
