#include "engine/model/load_model.hpp"

#include <gtest/gtest.h>

#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin {
namespace {

using testing::TempDir;

using testing::messages;

constexpr const char* kHeader = R"toml([model]
name = "m"
base_year = 2023
end_year = 2030
)toml";

TEST(LoadModel, ReadsEverySectionInFileOrder) {
  TempDir dir;
  const auto file = dir.write("m.toml", std::string(kHeader) + R"toml(
[params]
zeta = { dist = "normal", mean = 0.3, sd = 0.05, note = "n" }
alpha = 0.5
b = { dist = "beta", alpha = 2.0, beta = 3.0 }
[tables.resp]
points = [[0.0, 0.0], [1.0, 0.5]]
[shocks.macro]
names = ["gz", "pz"]
matrix = [[1.0, 0.4], [0.4, 1.0]]
[[correlations]]
params = ["zeta", "b"]
matrix = [[1.0, 0.2], [0.2, 1.0]]
[vars.zz]
unit = "%"
lever = true
path = { 2024 = 1.0, 2030 = 2 }
[vars.aa]
base = 2.0
eq = "prev(aa) + zeta"
min = 0
max = 10
targets = [ { year = 2030, below = 3.0, source = "s" } ]
)toml");
  Diagnostics d;
  auto model = load_model(file, d);
  ASSERT_TRUE(model.has_value());
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_EQ(model->name, "m");
  EXPECT_EQ(model->base_year, 2023);
  EXPECT_EQ(model->end_year, 2030);
  ASSERT_EQ(model->params.size(), 3u);
  EXPECT_EQ(model->params[0].name, "zeta");  // file order, not alphabetical
  EXPECT_EQ(model->params[0].marginal.kind, random::DistKind::normal);
  EXPECT_EQ(model->params[0].marginal.b, 0.05);
  EXPECT_EQ(model->params[1].marginal.kind, random::DistKind::constant);
  EXPECT_EQ(model->params[1].marginal.a, 0.5);
  EXPECT_EQ(model->params[2].marginal.c, 0.0);  // beta defaults to [0, 1]
  EXPECT_EQ(model->params[2].marginal.d, 1.0);
  ASSERT_EQ(model->vars.size(), 2u);
  EXPECT_EQ(model->vars[0].name, "zz");
  EXPECT_TRUE(model->vars[0].lever);
  EXPECT_EQ(model->vars[0].path.at(2030), 2.0);
  EXPECT_EQ(model->vars[1].targets.at(0).comparator, Comparator::below);
  EXPECT_EQ(model->vars[1].eq->text, "prev(aa) + zeta");
  EXPECT_EQ(model->vars[1].eq->where.line, 24);
  EXPECT_EQ(model->vars[1].eq->where.column, 7);  // first character inside the quotes
  EXPECT_EQ(model->shocks.at(0).names.size(), 2u);
  EXPECT_EQ(model->correlations.at(0).params.at(1), "b");
}

TEST(LoadModel, DefaultsEndYearTo2045AndShockMatrixToIdentity) {
  TempDir dir;
  const auto file = dir.write("m.toml", R"toml([model]
name = "m"
base_year = 2023
[shocks.g]
names = ["a", "b"]
[vars.x]
eq = "a + b"
)toml");
  Diagnostics d;
  auto model = load_model(file, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_EQ(model->end_year, 2045);
  EXPECT_EQ(model->shocks[0].matrix, (std::vector<double>{1, 0, 0, 1}));
}

struct BadCase {
  const char* name;
  const char* body;      // appended to kHeader unless it starts with '!'
  const char* expected;  // substring of the messages
};

class LoadModelRejects : public ::testing::TestWithParam<BadCase> {};

TEST_P(LoadModelRejects, WithAClearMessage) {
  const BadCase& c = GetParam();
  TempDir dir;
  const std::string body =
      c.body[0] == '!' ? std::string(c.body + 1) : kHeader + std::string(c.body);
  const auto file = dir.write("bad.toml", body);
  Diagnostics d;
  load_model(file, d);
  ASSERT_FALSE(d.empty()) << c.name;
  EXPECT_NE(messages(d).find(c.expected), std::string::npos) << messages(d);
  EXPECT_NE(messages(d).find("bad.toml:"), std::string::npos) << messages(d);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LoadModelRejects,
    ::testing::Values(
        BadCase{"syntax", "[vars.x\n", "TOML syntax error"},
        BadCase{"wrong_type", "[vars.x]\nbase = \"ten\"\neq = \"1\"\n",
                "expected a number, got a string"},
        BadCase{"unknown_key", "[vars.x]\nuint = \"%\"\neq = \"1\"\n", "did you mean 'unit'?"},
        BadCase{"unknown_top", "[varz.x]\neq = \"1\"\n", "did you mean 'vars'?"},
        BadCase{"missing_model", "![vars.x]\neq = \"1\"\n", "missing the [model] table"},
        BadCase{"missing_base_year", "![model]\nname = \"m\"\n",
                "missing required key 'base_year'"},
        BadCase{"negative_sd", "[params]\np = { dist = \"normal\", mean = 0, sd = -0.05 }\n",
                "params.p.sd: must be positive, got -0.05"},
        BadCase{"min_gt_max", "[params]\np = { dist = \"uniform\", min = 2, max = 1 }\n",
                "min must be less than max"},
        BadCase{"mode_outside",
                "[params]\np = { dist = \"triangular\", min = 0, mode = 3, max = 1 }\n",
                "must lie between min and max"},
        BadCase{"unknown_dist", "[params]\np = { dist = \"normall\", mean = 0, sd = 1 }\n",
                "did you mean 'normal'?"},
        BadCase{"missing_field", "[params]\np = { dist = \"normal\", mean = 0 }\n", "needs 'sd'"},
        BadCase{"foreign_field", "[params]\np = { dist = \"normal\", mean = 0, sd = 1, mu = 2 }\n",
                "is not a field of a normal distribution"},
        BadCase{"end_before_base",
                "!"
                "[model]\nname=\"m\"\nbase_year=2030\nend_year=2020\n",
                "is before base_year"},
        BadCase{"eq_and_path", "[vars.x]\neq = \"1\"\npath = { 2024 = 1 }\n",
                "has both 'eq' and 'path'"},
        BadCase{"history_not_year", "[vars.x]\neq = \"1\"\nhistory = { last = 3 }\n",
                "history keys must be years, got 'last'"},
        BadCase{"label_not_string", "[vars.x]\neq = \"1\"\nlabel = 3\n",
                "vars.x.label: expected a string"},
        BadCase{"short_too_long",
                "[vars.x]\neq = \"1\"\nshort = \"Tỷ lệ hộ nghèo đa chiều theo chuẩn mới\"\n",
                "vars.x.short: is 38 characters long; at most 32"},
        BadCase{"neither", "[vars.x]\nunit = \"%\"\n", "needs an 'eq' or a 'path'"},
        BadCase{"var_min_gt_max", "[vars.x]\neq = \"1\"\nmin = 3\nmax = 1\n",
                "min must not exceed max"},
        BadCase{"base_outside", "[vars.x]\nbase = 20\neq = \"prev(x)\"\nmax = 10\n",
                "lies outside"},
        BadCase{"target_year", "[vars.x]\neq = \"1\"\ntargets = [{ year = 2050, below = 1 }]\n",
                "outside the simulated years"},
        BadCase{"two_thresholds",
                "[vars.x]\neq = \"1\"\ntargets = [{ year = 2030, below = 1, above = 0 }]\n",
                "exactly one threshold"},
        BadCase{"path_key", "[vars.x]\npath = { abc = 1 }\n", "path keys must be years"},
        BadCase{"invalid_name", "[vars.GDP]\neq = \"1\"\n", "invalid name 'GDP'"},
        BadCase{"duplicate_name", "[params]\nx = 1\n[vars.x]\neq = \"1\"\n",
                "already used by params"},
        BadCase{"table_order", "[tables.t]\npoints = [[1.0, 0.0], [0.5, 1.0]]\n",
                "must increase strictly"},
        BadCase{"not_psd",
                "[params]\na = { dist = \"normal\", mean = 0, sd = 1 }\nb = { dist = \"normal\", "
                "mean = 0, sd = 1 }\n"
                "c = { dist = \"normal\", mean = 0, sd = 1 }\n[[correlations]]\nparams = [\"a\", "
                "\"b\", \"c\"]\n"
                "matrix = [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]\n",
                "not positive semi-definite"},
        BadCase{"asymmetric",
                "[shocks.g]\nnames = [\"a\", \"b\"]\nmatrix = [[1.0, 0.3], [0.2, 1.0]]\n",
                "not symmetric"},
        BadCase{"matrix_shape", "[shocks.g]\nnames = [\"a\", \"b\"]\nmatrix = [[1.0, 0.3]]\n",
                "expected 2 rows, got 1"},
        BadCase{"constant_correlated",
                "[params]\na = 1\nb = { dist = \"normal\", mean = 0, sd = 1 }\n[[correlations]]\n"
                "params = [\"a\", \"b\"]\nmatrix = [[1.0, 0.2], [0.2, 1.0]]\n",
                "is a constant"},
        BadCase{"duplicate_key", "[vars.x]\neq = \"1\"\neq = \"2\"\n", "TOML syntax error"},
        BadCase{"empty", "!   \n", "file is empty"}),
    [](const ::testing::TestParamInfo<BadCase>& param_info) {
      return std::string(param_info.param.name);
    });

TEST(LoadModel, ReportsEveryProblemOfAFileAtOnce) {
  TempDir dir;
  const auto file = dir.write("m.toml", std::string(kHeader) + R"toml(
[params]
p = { dist = "normal", mean = 0, sd = -1 }
[vars.x]
uint = "%"
eq = "1"
[vars.y]
eq = "1"
path = { 2024 = 1 }
)toml");
  Diagnostics d;
  load_model(file, d);
  EXPECT_EQ(d.size(), 3u) << messages(d);
}

TEST(LoadModel, MissingFileAndDirectoryAreReportedByName) {
  TempDir dir;
  Diagnostics d;
  EXPECT_FALSE(load_model((dir.path() / "nope.toml").string(), d).has_value());
  EXPECT_FALSE(load_model(dir.path().string(), d).has_value());
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NE(d.all()[0].to_string().find("nope.toml: file not found"), std::string::npos);
  EXPECT_NE(d.all()[1].message.find("is a directory"), std::string::npos);
}

TEST(LoadModel, RejectsBinaryAndInvalidUtf8) {
  TempDir dir;
  Diagnostics d;
  load_model(dir.write("bin.toml", std::string("\x7f"
                                               "ELF\0\0\x01",
                                               7)),
             d);
  load_model(dir.write("latin1.toml", std::string(kHeader) + "[vars.x]\neq = \"1\" # caf\xe9\n"),
             d);
  ASSERT_EQ(d.size(), 2u) << messages(d);
  EXPECT_NE(d.all()[0].message.find("binary"), std::string::npos);
  EXPECT_NE(d.all()[1].message.find("not valid UTF-8"), std::string::npos);
  EXPECT_EQ(d.all()[1].where.line, 6);
}

TEST(PathValue, InterpolatesLinearlyAndIsFlatOutside) {
  const std::map<int, double> path = {{2024, 0.065}, {2030, 0.08}, {2045, 0.06}};
  EXPECT_EQ(path_value(path, 2020), 0.065);
  EXPECT_EQ(path_value(path, 2024), 0.065);
  EXPECT_DOUBLE_EQ(path_value(path, 2027), 0.0725);
  EXPECT_EQ(path_value(path, 2030), 0.08);
  EXPECT_EQ(path_value(path, 2050), 0.06);
}

}  // namespace
}  // namespace tamnhin

namespace tamnhin {
namespace {

TEST(LoadModel, ExtendsAnotherModelAndOverridesItEntryByEntry) {
  testing::TempDir dir;
  dir.write("shared/base.toml", R"toml([model]
name = "shared"
base_year = 2020
end_year = 2030
[params]
okun = { dist = "normal", mean = 0.3, sd = 0.05 }
[tables.t]
points = [[0.0, 0.0], [1.0, 1.0]]
[shocks.g]
names = ["z"]
[vars.share]
lever = true
path = { 2020 = 0.2 }
[vars.x]
unit = "%"
base = 1.0
eq = "prev(x) + share"
targets = [ { year = 2030, at_least = 2.0, source = "shared" } ]
)toml");
  const auto file = dir.write("province/model.toml", R"toml([model]
extends = "../shared/base.toml"
name = "Province"
base_year = 2023
[params]
okun = { sd = 0.1 }
extra = 2.0
[tables.t]
points = [[0.0, 1.0]]
[vars.x]
base = 5.0
targets = [ { year = 2030, at_least = 9.0, source = "province" } ]
[vars.y]
unit = "u"
eq = "x * extra"
)toml");
  Diagnostics d;
  auto model = load_model(file, d);
  ASSERT_TRUE(model.has_value());
  ASSERT_TRUE(d.empty()) << messages(d);
  EXPECT_EQ(model->name, "Province");
  EXPECT_EQ(model->base_year, 2023);
  EXPECT_EQ(model->end_year, 2030);  // inherited
  EXPECT_EQ(model->find_param("okun")->marginal.a, 0.3);
  EXPECT_EQ(model->find_param("okun")->marginal.b, 0.1);
  EXPECT_EQ(model->params.size(), 2u);
  EXPECT_EQ(model->tables.size(), 1u);
  EXPECT_EQ(model->tables[0].points.size(), 1u);
  const VarSpec* x = model->find_var("x");
  EXPECT_EQ(*x->base, 5.0);
  EXPECT_EQ(x->eq->text, "prev(x) + share");
  EXPECT_EQ(x->targets.size(), 2u);
  EXPECT_EQ(model->vars.size(), 3u);
  ASSERT_EQ(model->files.size(), 2u);
  EXPECT_NE(model->files[1].find("shared/base.toml"), std::string::npos);
}

TEST(LoadModel, ReportsModelExtendsCyclesAndMissingParents) {
  testing::TempDir dir;
  const auto a = dir.write("a.toml", "[model]\nextends = \"b.toml\"\n");
  dir.write("b.toml", "[model]\nextends = \"a.toml\"\n");
  const auto c = dir.write("c.toml", "[model]\nextends = \"gone.toml\"\n");
  Diagnostics d;
  EXPECT_FALSE(load_model(a, d).has_value());
  EXPECT_FALSE(load_model(c, d).has_value());
  ASSERT_EQ(d.size(), 2u) << messages(d);
  EXPECT_NE(d.all()[0].message.find("extends cycle"), std::string::npos);
  EXPECT_NE(d.all()[1].to_string().find("gone.toml: file not found"), std::string::npos);
  EXPECT_NE(d.all()[1].hint.find("named by 'extends' at"), std::string::npos);
}

TEST(LoadModel, ReadsLabelsOfVariablesAndTargets) {
  TempDir dir;
  const auto file = dir.write("m.toml", std::string(kHeader) + R"toml(
[vars.poverty]
unit = "%"
label = "Poverty rate"
label_vi = "Tỷ lệ hộ nghèo"
short = "Nghèo"
eq = "1"
targets = [{ year = 2030, below = 3, label = "Halve poverty", label_vi = "Giảm một nửa" }]
history = { 2019 = 7.5, 2021 = 6.25 }
[vars.plain]
unit = "%"
eq = "2"
)toml");
  Diagnostics d;
  auto model = load_model(file, d);
  ASSERT_TRUE(d.empty()) << messages(d);
  const VarSpec& poverty = *model->find_var("poverty");
  EXPECT_EQ(poverty.labels.en, "Poverty rate");
  EXPECT_EQ(poverty.labels.vi, "Tỷ lệ hộ nghèo");
  EXPECT_EQ(poverty.labels.short_form, "Nghèo");
  ASSERT_EQ(poverty.targets.size(), 1u);
  EXPECT_EQ(poverty.targets[0].labels.en, "Halve poverty");
  EXPECT_EQ(poverty.targets[0].labels.vi, "Giảm một nửa");
  EXPECT_TRUE(poverty.targets[0].labels.short_form.empty());
  EXPECT_TRUE(model->find_var("plain")->labels.empty());
  EXPECT_EQ(poverty.history, (std::map<int, double>{{2019, 7.5}, {2021, 6.25}}));
}

TEST(Labels, FallBackToTheOtherLanguageThenToTheName) {
  const Labels both{"Poverty rate", "Tỷ lệ hộ nghèo", "Nghèo"};
  EXPECT_EQ(both.full(Language::en, "poverty"), "Poverty rate");
  EXPECT_EQ(both.full(Language::vi, "poverty"), "Tỷ lệ hộ nghèo");
  EXPECT_EQ(both.brief(Language::en, "poverty"), "Nghèo");
  const Labels english{"Poverty rate", "", ""};
  EXPECT_EQ(english.full(Language::vi, "poverty"), "Poverty rate");
  EXPECT_EQ(english.brief(Language::vi, "poverty"), "Poverty rate");
  EXPECT_EQ(Labels{}.full(Language::en, "poverty"), "poverty");
  EXPECT_EQ(Labels{}.brief(Language::vi, "poverty"), "poverty");
}

}  // namespace
}  // namespace tamnhin
