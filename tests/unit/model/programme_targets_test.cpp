// [[programme_targets]]: targets of a programme the model does not project, read with
// their status and latest figure, added to by an extending model, and rejected with a
// located message when a status or comparator is unknown or a required key is missing.
#include <gtest/gtest.h>

#include "engine/model/load_model.hpp"
#include "tests/support/messages.hpp"
#include "tests/support/temp_dir.hpp"

namespace tamnhin {
namespace {

using testing::messages;
using testing::TempDir;

constexpr const char* kHeader = R"toml([model]
name = "m"
base_year = 2023
end_year = 2030
[vars.x]
unit = "%"
path = { 2023 = 1.0 }
)toml";

TEST(ProgrammeTargets, ReadsEveryField) {
  TempDir dir;
  const auto file = dir.write("m.toml", std::string(kHeader) + R"toml(
[[programme_targets]]
indicator   = "total_fertility_rate"
year        = 2030
comparator  = "at_least"
value       = 2.1
unit        = "children per woman"
status      = "no_data"
source      = "52-CTr/TU"
note        = "no figure"
label       = "Total fertility rate"
label_vi    = "Tổng tỷ suất sinh"

[[programme_targets]]
indicator   = "new_rural_communes"
year        = 2025
status      = "met"
latest      = 67
latest_year = 2025
source      = "plan"
)toml");
  Diagnostics d;
  auto model = load_model(file, d);
  ASSERT_TRUE(model.has_value()) << messages(d);
  ASSERT_TRUE(d.empty()) << messages(d);
  ASSERT_EQ(model->programme_targets.size(), 2u);
  const auto& a = model->programme_targets[0];
  EXPECT_EQ(a.indicator, "total_fertility_rate");
  EXPECT_EQ(a.year, 2030);
  EXPECT_EQ(a.comparator, "at_least");
  ASSERT_TRUE(a.value.has_value());
  EXPECT_EQ(*a.value, 2.1);
  EXPECT_EQ(a.status, ProgrammeStatus::no_data);
  EXPECT_FALSE(a.latest.has_value());
  EXPECT_EQ(a.labels.vi, "Tổng tỷ suất sinh");
  const auto& b = model->programme_targets[1];
  EXPECT_EQ(b.status, ProgrammeStatus::met);
  EXPECT_TRUE(b.comparator.empty());
  EXPECT_FALSE(b.value.has_value());
  ASSERT_TRUE(b.latest.has_value());
  EXPECT_EQ(*b.latest, 67.0);
  EXPECT_EQ(b.latest_year, 2025);
}

TEST(ProgrammeTargets, AnExtendingModelAddsToTheParentsList) {
  TempDir dir;
  dir.write("parent.toml", std::string(kHeader) + R"toml(
[[programme_targets]]
indicator = "a"
year = 2030
status = "not_modelled"
source = "s"
)toml");
  const auto child = dir.write("child.toml", R"toml([model]
extends = "parent.toml"
[[programme_targets]]
indicator = "b"
year = 2030
status = "on_track"
source = "s"
)toml");
  Diagnostics d;
  auto model = load_model(child, d);
  ASSERT_TRUE(model.has_value()) << messages(d);
  ASSERT_EQ(model->programme_targets.size(), 2u);
  EXPECT_EQ(model->programme_targets[0].indicator, "a");
  EXPECT_EQ(model->programme_targets[1].indicator, "b");
}

TEST(ProgrammeTargets, BadEntriesAreLocatedErrors) {
  TempDir dir;
  // Appended rather than std::string(kHeader) + R"(...)", which trips GCC 12's
  // -Warray-bounds false positive in libstdc++.
  std::string toml = kHeader;
  toml += R"toml(
[[programme_targets]]
indicator  = "a"
year       = 2030
comparator = "roughly"
status     = "done"
latest     = 3.0
statuss    = "met"
)toml";
  const auto file = dir.write("m.toml", toml);
  Diagnostics d;
  (void)load_model(file, d);
  EXPECT_FALSE(d.empty());
  const std::string text = messages(d);
  EXPECT_NE(text.find("programme_targets[0].comparator: unknown comparator 'roughly'"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("programme_targets[0].status: unknown status 'done'"), std::string::npos)
      << text;
  EXPECT_NE(text.find("latest and latest_year go together"), std::string::npos) << text;
  EXPECT_NE(text.find("missing required key 'source'"), std::string::npos) << text;
  EXPECT_NE(text.find("statuss"), std::string::npos) << text;  // unknown key, did-you-mean
  EXPECT_NE(text.find("m.toml:"), std::string::npos) << text;  // file:line:column
}

}  // namespace
}  // namespace tamnhin
