// --set texts and how they apply to a model.
#include "engine/analysis/variant.hpp"

#include <gtest/gtest.h>

#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"
#include "tests/unit/analysis/closed_form_models.hpp"

namespace tamnhin::analysis {
namespace {

using testing::messages;

TEST(Override, ParsesNamesYearsAndPlainNumbers) {
  Diagnostics d;
  auto a = parse_override("share=0.24", "--set", d);
  ASSERT_TRUE(a);
  EXPECT_EQ(a->name, "share");
  EXPECT_FALSE(a->year);
  EXPECT_EQ(a->value, 0.24);
  auto b = parse_override("share@2030=3e-1", "--set", d);
  ASSERT_TRUE(b);
  EXPECT_EQ(*b->year, 2030);
  EXPECT_EQ(b->value, 0.3);
  // One element of a dimensioned lever or parameter; spaces after commas are dropped.
  auto c = parse_override("share[long_an, 60+]@2030=0.2", "--set", d);
  ASSERT_TRUE(c);
  EXPECT_EQ(c->name, "share[long_an,60+]");
  EXPECT_EQ(*c->year, 2030);
  EXPECT_TRUE(d.empty()) << messages(d);
}

TEST(Override, MalformedTextsAreErrorsWithHints) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"share=16%", "without '%'"},
      {"share=0,16", "'.' as the decimal point"},
      {"share=high", "'high' is not a number"},
      {"share", "expected NAME=VALUE"},
      {"share@20x=1", "'20x' is not a calendar year"},
      {"Share=1", "not a lever or parameter name"},
      {"share=", "'' is not a number"},
      {"share=1e999", "too large"},
      {"share[north=1", "not a lever or parameter name"},
      {"share[]=1", "not a lever or parameter name"},
      {"share[a,]=1", "not a lever or parameter name"},
      {"share[a]x=1", "not a lever or parameter name"},
  };
  for (const auto& [text, expected] : cases) {
    Diagnostics d;
    EXPECT_FALSE(parse_override(text, "--set", d)) << text;
    EXPECT_NE(messages(d).find(expected), std::string::npos) << text << ": " << messages(d);
    EXPECT_NE(messages(d).find("--set " + text), std::string::npos) << messages(d);
  }
}

TEST(Override, AppliesToParametersAndLeversWithDidYouMean) {
  testing::TempDir dir;
  Diagnostics d;
  auto s = load_scenario(dir.write("m.toml", testing::linear_target_model(10, 3) + R"toml(
[params]
k = { dist = "normal", mean = 1, sd = 0.1 }
)toml"),
                         d);
  ASSERT_TRUE(s && d.empty()) << messages(d);
  auto applied =
      apply_overrides(s->model, {{"k", std::nullopt, 2.0, {}}, {"share", 2027, 0.5, {}}}, d);
  ASSERT_TRUE(applied) << messages(d);
  EXPECT_EQ(applied->model.find_param("k")->marginal.kind, random::DistKind::constant);
  EXPECT_EQ(path_value(applied->model.find_var("share")->path, 2027), 0.5);
  EXPECT_FALSE(
      apply_overrides(s->model, {{"shrae", std::nullopt, 0.5, {"--set shrae=0.5", 0, 0}}}, d));
  EXPECT_NE(messages(d).find("did you mean 'share'?"), std::string::npos) << messages(d);
  Diagnostics d2;
  EXPECT_FALSE(apply_overrides(s->model, {{"k", 2030, 2.0, {}}}, d2));
  EXPECT_NE(messages(d2).find("is a parameter"), std::string::npos) << messages(d2);
  Diagnostics d3;
  EXPECT_FALSE(apply_overrides(s->model, {{"share", std::nullopt, 16, {}}}, d3));
  EXPECT_NE(messages(d3).find("16 / 100 = 0.16"), std::string::npos) << messages(d3);
}

// --set on dimensioned parameters and levers: the whole item sets every element, x[e] one.
TEST(Override, AppliesToElementsOfDimensionedItems) {
  testing::TempDir dir;
  Diagnostics d;
  auto s = load_scenario(dir.write("m.toml", R"toml([model]
name = "m"
base_year = 2023
end_year = 2030
[dims]
region = ["north", "south"]
[params]
k = { dist = "normal", mean = { north = 1, south = 2 }, sd = 0.1, dims = ["region"] }
c = { dist = "constant", value = 3, dims = ["region"] }
[vars.share]
lever = true
dims = ["region"]
range = [0, 1]
path = { 2023 = 0.5 }
[vars.y]
dims = ["region"]
unit = "x"
eq = "share * k * c"
)toml"),
                         d);
  ASSERT_TRUE(s && d.empty()) << messages(d);
  auto applied = apply_overrides(s->model,
                                 {{"k", std::nullopt, 2.0, {}},
                                  {"c[south]", std::nullopt, 4.0, {}},
                                  {"share[north]", 2027, 0.25, {}}},
                                 d);
  ASSERT_TRUE(applied) << messages(d);
  const Model& m = applied->model;
  EXPECT_EQ(m.find_param("k")->marginal.kind, random::DistKind::constant);
  EXPECT_TRUE(m.find_param("k")->fields_by_element.empty());
  const auto& c = m.find_param("c")->fields_by_element.at("value").values;
  EXPECT_EQ(c.at("north"), 3.0);
  EXPECT_EQ(c.at("south"), 4.0);
  const VarSpec& share = *m.find_var("share");
  EXPECT_EQ(path_value(share.path_by.values.at("north"), 2027), 0.25);
  EXPECT_EQ(path_value(share.path_by.values.at("south"), 2027), 0.5);

  const auto error_of = [&](const std::string& name, double value) {
    Diagnostics e;
    EXPECT_FALSE(
        apply_overrides(s->model, {{name, std::nullopt, value, {"--set " + name, 0, 0}}}, e));
    return messages(e);
  };
  EXPECT_NE(error_of("k[north]", 1).find("its elements share one distribution"), std::string::npos);
  EXPECT_NE(error_of("c[west]", 1).find("'west' is not an element of dimension 'region'"),
            std::string::npos);
  EXPECT_NE(error_of("shrae[north]", 1).find("did you mean 'share'?"), std::string::npos);
  EXPECT_NE(error_of("share[south]", 16).find("16 / 100 = 0.16"), std::string::npos);
  EXPECT_NE(error_of("y[north]", 1).find("'y' is not a lever"), std::string::npos);
}

}  // namespace
}  // namespace tamnhin::analysis
