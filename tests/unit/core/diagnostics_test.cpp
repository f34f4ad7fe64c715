#include "engine/core/diagnostics.hpp"

#include <gtest/gtest.h>

namespace tamnhin {
namespace {

TEST(Diagnostic, FormatsFileLineColumnSubjectMessageAndHint) {
  Diagnostic d{{"model.toml", 14, 9},
               "params.okun.sd",
               "must be positive, got -0.05",
               "did you mean 'okun'?"};
  EXPECT_EQ(d.to_string(),
            "model.toml:14:9: params.okun.sd: must be positive, got -0.05\n"
            "  hint: did you mean 'okun'?");
}

TEST(Diagnostic, OmitsUnknownPositionParts) {
  Diagnostic d{{"missing.toml", 0, 0}, "", "cannot open file", ""};
  EXPECT_EQ(d.to_string(), "missing.toml: cannot open file");
}

TEST(Diagnostics, ThrowsAllCollectedProblemsAtOnce) {
  Diagnostics diagnostics;
  EXPECT_NO_THROW(diagnostics.throw_if_any());
  diagnostics.add({"a.toml", 1, 1}, "x", "first");
  diagnostics.add({"b.toml", 2, 3}, "y", "second");
  try {
    diagnostics.throw_if_any();
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    ASSERT_EQ(e.diagnostics().size(), 2u);
    EXPECT_STREQ(e.what(), "a.toml:1:1: x: first\nb.toml:2:3: y: second");
  }
}

TEST(EditDistance, CountsInsertionsDeletionsSubstitutions) {
  EXPECT_EQ(edit_distance("", ""), 0u);
  EXPECT_EQ(edit_distance("okun", "okun"), 0u);
  EXPECT_EQ(edit_distance("okun", "okan"), 1u);
  EXPECT_EQ(edit_distance("okun", "okunn"), 1u);
  EXPECT_EQ(edit_distance("kitten", "sitting"), 3u);
  EXPECT_EQ(edit_distance("uint", "unit"), 1u);  // a transposition is one edit
  EXPECT_EQ(edit_distance("ab", "ba"), 1u);
}

TEST(DidYouMean, SuggestsTheClosestNameWithinReach) {
  const std::vector<std::string> names{"okun", "train_elast", "gdp_growth"};
  EXPECT_EQ(did_you_mean("okan", names), "did you mean 'okun'?");
  EXPECT_EQ(did_you_mean("gdp_grwth", names), "did you mean 'gdp_growth'?");
  EXPECT_EQ(did_you_mean("population", names), "");
  EXPECT_EQ(did_you_mean("x", {}), "");
}

}  // namespace
}  // namespace tamnhin
