// The scorecard lists the targets a model does not project after its blocks, one line
// each with the condition, the status and the latest figure.
#include <gtest/gtest.h>

#include "engine/io/programme_rows.hpp"
#include "engine/io/tables.hpp"

namespace tamnhin::io {
namespace {

ProgrammeTarget target(std::string indicator, std::string comparator, std::optional<double> value,
                       ProgrammeStatus status) {
  ProgrammeTarget t;
  t.indicator = std::move(indicator);
  t.year = 2030;
  t.comparator = std::move(comparator);
  t.value = value;
  t.status = status;
  // std::string, not `= "s"`: assigning a one-letter literal trips GCC 12's
  // -Wstringop-overflow false positive in libstdc++ (as for r.model below).
  t.source = std::string("s");
  return t;
}

TEST(ProgrammeRows, ConditionNamesTheComparatorValueAndYear) {
  EXPECT_EQ(detail::programme_condition(target("tfr", "at_least", 2.1, ProgrammeStatus::no_data)),
            "tfr >= 2.1 in 2030");
  EXPECT_EQ(detail::programme_condition(target("x", "about", 65, ProgrammeStatus::met)),
            "x about 65 in 2030");
  EXPECT_EQ(detail::programme_condition(target("city", "", std::nullopt, ProgrammeStatus::met)),
            "city in 2030");
}

TEST(ProgrammeRows, ScorecardListsThemAfterTheModelsBlocks) {
  stats::ScenarioReport r;
  r.scenario = "base";
  r.model = std::string("M");
  r.draws = 10;
  r.programme_targets.push_back(target("tfr", "at_least", 2.1, ProgrammeStatus::no_data));
  auto urban = target("urbanisation_rate", "about", 65, ProgrammeStatus::not_modelled);
  urban.latest = 43.5;
  urban.latest_year = 2025;
  r.programme_targets.push_back(urban);
  const std::vector<stats::ScenarioReport> reports = {r};
  EXPECT_EQ(render_scorecard(reports),
            "M \u2014 1 scenario, 10 draws each\n"
            "  (no targets)\n"
            "\n"
            "  targets not projected by the model (status; latest figure)\n"
            "  tfr >= 2.1 in 2030                  no data\n"
            "  urbanisation_rate about 65 in 2030  not modelled; 43.5 in 2025\n");
}

TEST(ProgrammeRows, NothingWhenTheModelListsNone) {
  std::string out;
  detail::render_programme_targets({}, out);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace tamnhin::io
