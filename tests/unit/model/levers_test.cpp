#include "engine/model/levers.hpp"

#include <gtest/gtest.h>

#include "engine/model/load_model.hpp"
#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin {
namespace {

using testing::messages;
using testing::TempDir;

// Three shares of one budget with the status quo 0.2 / 0.3 / 0.5, and a growth lever.
constexpr const char* kModel = R"toml([model]
name = "m"
base_year = 2023
end_year = 2030
[shares.budget]
members = ["sa", "sb", "sc"]
[vars.sa]
lever = true
range = [0.0, 0.6]
path = { 2023 = 0.2 }
[vars.sb]
lever = true
range = [0.0, 1.0]
path = { 2023 = 0.3 }
[vars.sc]
lever = true
range = [0.0, 1.0]
path = { 2023 = 0.5, 2030 = 0.4 }
[vars.growth]
lever = true
unit = "%"
range = [2.0, 15.0]
path = { 2023 = 6.0 }
[vars.y]
unit = "x"
eq = "sa + sb + sc + growth"
)toml";

Model load(const std::string& text, Diagnostics& d) {
  TempDir dir;
  auto model = load_model(dir.write("m.toml", text), d);
  EXPECT_TRUE(model.has_value());
  return *model;
}

TEST(Levers, AModelWhoseSharesDoNotSumToOneNamesTheYearAndTheSum) {
  Diagnostics d;
  load(std::string(kModel) + "", d);
  // sc goes from 0.5 to 0.4 by 2030 while the others stay: 2024 already sums to 0.9857...
  ASSERT_EQ(d.size(), 1u) << messages(d);
  EXPECT_NE(messages(d).find("shares.budget: the shares sum to 0.9857142857 in 2024, not 1"),
            std::string::npos)
      << messages(d);
}

std::string balanced() {
  std::string text = kModel;
  text.replace(text.find("path = { 2023 = 0.5, 2030 = 0.4 }"), 33, "path = { 2023 = 0.5 }");
  return text;
}

TEST(Levers, RangeErrorsGiveThePercentageHint) {
  std::string text = balanced();
  text.replace(text.find("path = { 2023 = 6.0 }"), 21, "path = { 2023 = 0.06 }");
  Diagnostics d;
  load(text, d);
  EXPECT_NE(messages(d).find("vars.growth.path.2023: 0.06 is outside the lever's range [2, 15]"),
            std::string::npos)
      << messages(d);
  EXPECT_NE(messages(d).find("0.06 * 100 = 6 lies in [2, 15]"), std::string::npos) << messages(d);
}

TEST(Levers, RangeOnANonLeverAndBadGroupsAreErrors) {
  std::string text = balanced() + R"toml(
[vars.z]
range = [0, 1]
path = { 2023 = 0.5 }
[shares.other]
members = ["sa", "nope", "y"]
)toml";
  Diagnostics d;
  load(text, d);
  const std::string m = messages(d);
  EXPECT_NE(m.find("vars.z.range: a range is declared on levers only"), std::string::npos) << m;
  EXPECT_NE(m.find("shares.other.members: unknown variable 'nope'"), std::string::npos) << m;
  EXPECT_NE(m.find("'y' is not a lever"), std::string::npos) << m;
  EXPECT_NE(m.find("'sa' is already a member of shares.budget"), std::string::npos) << m;
}

TEST(Levers, SettingAShareMovesTheOthersInProportionFromTheFirstProjectedYear) {
  Diagnostics d;
  Model m = load(balanced(), d);
  ASSERT_TRUE(d.empty()) << messages(d);
  auto adj = apply_lever_settings(m, {{"sa", std::nullopt, 0.4, {"--set", 0, 0}}}, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  ASSERT_EQ(adj.size(), 1u);
  EXPECT_EQ(adj[0].rescaled, (std::vector<std::string>{"sb", "sc"}));
  // Base year keeps its data; from 2024 sa = 0.4 and sb : sc stays 3 : 5 of the rest 0.6.
  EXPECT_DOUBLE_EQ(path_value(m.find_var("sa")->path, 2023), 0.2);
  for (int year : {2024, 2027, 2030}) {
    EXPECT_DOUBLE_EQ(path_value(m.find_var("sa")->path, year), 0.4);
    EXPECT_DOUBLE_EQ(path_value(m.find_var("sb")->path, year), 0.3 * 0.6 / 0.8);
    EXPECT_DOUBLE_EQ(path_value(m.find_var("sc")->path, year), 0.5 * 0.6 / 0.8);
  }
  validate_levers(m, d);
  EXPECT_TRUE(d.empty()) << messages(d);
}

TEST(Levers, AKeyframeSettingKeepsEveryYearSummingToTheTotal) {
  Diagnostics d;
  Model m = load(balanced(), d);
  apply_lever_settings(m, {{"sa", 2027, 0.5, {"--set", 0, 0}}, {"sb", 2027, 0.1, {"--set", 0, 0}}},
                       d);
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_DOUBLE_EQ(path_value(m.find_var("sa")->path, 2027), 0.5);
  EXPECT_DOUBLE_EQ(path_value(m.find_var("sb")->path, 2027), 0.1);
  EXPECT_NEAR(path_value(m.find_var("sc")->path, 2027), 0.4, 1e-15);
  validate_levers(m, d);  // 2024..2026 interpolate between sums of 1
  EXPECT_TRUE(d.empty()) << messages(d);
}

TEST(Levers, SettingsOutsideRangesOrTotalsAreErrors) {
  Diagnostics d;
  Model m = load(balanced(), d);
  apply_lever_settings(m, {{"sa", std::nullopt, 16, {"--set", 0, 0}}}, d);
  EXPECT_NE(messages(d).find("sa: 16 is outside the lever's range [0, 0.6]"), std::string::npos)
      << messages(d);
  Diagnostics d2;
  apply_lever_settings(
      m, {{"sb", std::nullopt, 0.9, {"--set", 0, 0}}, {"sc", std::nullopt, 0.9, {"--set", 0, 0}}},
      d2);
  EXPECT_NE(messages(d2).find("the members set sum to 1.8"), std::string::npos) << messages(d2);
  Diagnostics d3;
  apply_lever_settings(m, {{"gorwth", std::nullopt, 6, {"--set", 0, 0}}}, d3);
  EXPECT_NE(messages(d3).find("did you mean 'growth'?"), std::string::npos) << messages(d3);
  Diagnostics d4;
  apply_lever_settings(m, {{"y", std::nullopt, 6, {"--set", 0, 0}}}, d4);
  EXPECT_NE(messages(d4).find("'y' is not a lever"), std::string::npos) << messages(d4);
}

TEST(Levers, MovingOthersOutOfTheirRangeIsAnError) {
  Diagnostics d;
  Model m = load(balanced(), d);
  // sb + sc must fall to 0.4 in total; sb would be 0.15, fine; now force sa's range edge.
  apply_lever_settings(m, {{"sb", std::nullopt, 0.0, {"--set", 0, 0}}}, d);
  // sa : sc = 2 : 5 of 1.0 -> sa = 0.2857, inside [0, 0.6]: no error.
  EXPECT_TRUE(d.empty()) << messages(d);
  Diagnostics d2;
  Model m2 = load(balanced(), d2);
  apply_lever_settings(m2, {{"sc", std::nullopt, 0.0, {"--set", 0, 0}}}, d2);
  // sa : sb = 2 : 3 of 1.0 -> sa = 0.4: fine. Now sc = 0 and sb = 0: sa would be 1.0.
  Diagnostics d3;
  Model m3 = load(balanced(), d3);
  apply_lever_settings(
      m3, {{"sb", std::nullopt, 0.0, {"--set", 0, 0}}, {"sc", std::nullopt, 0.0, {"--set", 0, 0}}},
      d3);
  EXPECT_NE(messages(d3).find("would move sa to 1 in 2024, outside its range [0, 0.6]"),
            std::string::npos)
      << messages(d3);
}

// Dimensioned levers: two regions, each with its own budget a + b = 1, and a growth
// lever defined by an equation.
constexpr const char* kRegions = R"toml([model]
name = "m"
base_year = 2023
end_year = 2030
[dims]
region = ["north", "south"]
[shares.budget]
members = ["sa", "sb"]
[vars.sa]
lever = true
dims = ["region"]
range = [0.0, 0.8]
path = { north = { 2023 = 0.2 }, south = { 2023 = 0.4 } }
[vars.sb]
lever = true
dims = ["region"]
range = [0.0, 1.0]
path = { north = { 2023 = 0.8 }, south = { 2023 = 0.6 } }
[vars.growth]
lever = true
dims = ["region"]
range = [0.0, 0.2]
base = { north = 0.05, south = 0.07 }
eq = "prev(growth)"
)toml";

void replace(std::string& text, const std::string& from, const std::string& to) {
  const auto where = text.find(from);
  ASSERT_NE(where, std::string::npos) << from;
  text.replace(where, from.size(), to);
}

double at(const Model& m, const std::string& name, const std::string& element, int year) {
  const VarSpec* v = m.find_var(name);
  auto it = v->path_by.values.find(element);
  return path_value(it == v->path_by.values.end() ? v->path : it->second, year);
}

TEST(DimensionedLevers, SettingTheWholeLeverSetsEveryElementAndKeepsEachElementsTotal) {
  Diagnostics d;
  Model m = load(kRegions, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  auto adj = apply_lever_settings(m, {{"sa", std::nullopt, 0.5, {"--set", 0, 0}}}, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  ASSERT_EQ(adj.size(), 1u);
  EXPECT_EQ(adj[0].set, (std::vector<std::string>{"sa[north]", "sa[south]"}));
  EXPECT_EQ(adj[0].rescaled, (std::vector<std::string>{"sb[north]", "sb[south]"}));
  EXPECT_NE(adj[0].message.find("still sums to 1 in each element"), std::string::npos);
  // The base year keeps each element's data.
  EXPECT_DOUBLE_EQ(at(m, "sa", "north", 2023), 0.2);
  EXPECT_DOUBLE_EQ(at(m, "sa", "south", 2023), 0.4);
  for (int year : {2024, 2030}) {
    for (const char* e : {"north", "south"}) {
      EXPECT_DOUBLE_EQ(at(m, "sa", e, year), 0.5) << e << year;
      EXPECT_DOUBLE_EQ(at(m, "sb", e, year), 0.5) << e << year;
    }
  }
  validate_levers(m, d);
  EXPECT_TRUE(d.empty()) << messages(d);
}

TEST(DimensionedLevers, SettingOneElementLeavesTheOthers) {
  Diagnostics d;
  Model m = load(kRegions, d);
  auto adj = apply_lever_settings(m,
                                  {{"sa", std::nullopt, 0.5, {"--set", 0, 0}, "north"},
                                   {"sb", 2027, 0.3, {"--set", 0, 0}, "south"}},
                                  d);
  ASSERT_TRUE(d.empty()) << messages(d);
  ASSERT_EQ(adj.size(), 1u);
  EXPECT_EQ(adj[0].set, (std::vector<std::string>{"sa[north]", "sb[south]"}));
  EXPECT_EQ(adj[0].rescaled, (std::vector<std::string>{"sb[north]", "sa[south]"}));
  for (int year : {2024, 2030}) {
    EXPECT_DOUBLE_EQ(at(m, "sa", "north", year), 0.5);
    EXPECT_DOUBLE_EQ(at(m, "sb", "north", year), 0.5);
  }
  // South: a keyframe in 2027 only, linear from the base year's 0.6 to 0.3 and flat after.
  EXPECT_DOUBLE_EQ(at(m, "sb", "south", 2027), 0.3);
  EXPECT_DOUBLE_EQ(at(m, "sa", "south", 2027), 0.7);
  EXPECT_DOUBLE_EQ(at(m, "sa", "south", 2023), 0.4);
  EXPECT_NEAR(at(m, "sa", "south", 2025) + at(m, "sb", "south", 2025), 1.0, 1e-12);
  validate_levers(m, d);
  EXPECT_TRUE(d.empty()) << messages(d);
  // A lever defined by an equation is set as a whole: every element from 2024, its base
  // year its own.
  apply_lever_settings(m, {{"growth", std::nullopt, 0.1, {"--set", 0, 0}}}, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_FALSE(m.find_var("growth")->eq);
  EXPECT_DOUBLE_EQ(at(m, "growth", "north", 2023), 0.05);
  EXPECT_DOUBLE_EQ(at(m, "growth", "south", 2023), 0.07);
  EXPECT_DOUBLE_EQ(at(m, "growth", "south", 2028), 0.1);
}

TEST(DimensionedLevers, ElementsRangesAndGroupsAreCheckedPerElement) {
  const auto error_of = [](const std::vector<LeverSetting>& settings) {
    Diagnostics d;
    Model m = load(kRegions, d);
    apply_lever_settings(m, settings, d);
    return messages(d);
  };
  const SourceLocation w{"--set", 0, 0};
  EXPECT_NE(error_of({{"sa", std::nullopt, 0.5, w, "nort"}})
                .find("'nort' is not an element of dimension 'region'"),
            std::string::npos);
  EXPECT_NE(error_of({{"sa", std::nullopt, 0.5, w, "nort"}}).find("did you mean 'north'?"),
            std::string::npos);
  EXPECT_NE(error_of({{"sa", std::nullopt, 0.9, w, "south"}})
                .find("sa[south]: 0.9 is outside the lever's range [0, 0.8]"),
            std::string::npos);
  EXPECT_NE(error_of({{"growth", std::nullopt, 0.1, w, "north"}})
                .find("'growth' is defined by an equation, shared by its elements"),
            std::string::npos);
  // Moving sa[south] to 1 - 0.05 = 0.95 would leave its range.
  EXPECT_NE(error_of({{"sb", std::nullopt, 0.05, w, "south"}})
                .find("would move sa[south] to 0.95 in 2024, outside its range [0, 0.8]"),
            std::string::npos);

  // In a model file: a keyframe outside the range and a group missing its total, each
  // named with its element.
  std::string text = kRegions;
  replace(text, "south = { 2023 = 0.6 }", "south = { 2023 = 60 }");
  Diagnostics d;
  load(text, d);
  EXPECT_NE(messages(d).find("vars.sb.path.south.2023: 60 is outside the lever's range [0, 1]"),
            std::string::npos)
      << messages(d);
  EXPECT_NE(messages(d).find("the shares of element south sum to 60.4 in 2023, not 1"),
            std::string::npos)
      << messages(d);
  // Members of a group share their dims.
  text = kRegions;
  replace(text, "dims = [\"region\"]\nrange = [0.0, 1.0]", "range = [0.0, 1.0]");
  replace(text, "path = { north = { 2023 = 0.8 }, south = { 2023 = 0.6 } }",
          "path = { 2023 = 0.7 }");
  Diagnostics d2;
  load(text, d2);
  EXPECT_NE(messages(d2).find("'sb' has no dims but 'sa' has dims (region)"), std::string::npos)
      << messages(d2);
}

}  // namespace
}  // namespace tamnhin
