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

}  // namespace
}  // namespace tamnhin::analysis
