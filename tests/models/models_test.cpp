// Tests of the shipped provincial models (scenarios/long_an, scenarios/bac_giang):
// provenance (every cited base value and target matches the in-repo reference CSVs) and
// properties checked draw by draw with common random numbers (same seed, same draws):
// more money for a sector never lowers its indicators, shares stay in [0, 100], and with
// no extra money the spending effects vanish exactly.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "engine/compile/compile.hpp"
#include "engine/scenario/scenario.hpp"
#include "engine/sim/simulate.hpp"

namespace tamnhin {
namespace {

const std::string kRoot = TAMNHIN_SOURCE_DIR;
const std::vector<std::string> kProvinces = {"long_an", "bac_giang"};

// ---- CSV ------------------------------------------------------------------------------------
std::vector<std::string> split_csv_line(const std::string& line) {
  std::vector<std::string> out;
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.push_back(cell);
      cell.clear();
    } else if (c != '\r') {
      cell += c;
    }
  }
  out.push_back(cell);
  return out;
}

std::vector<std::map<std::string, std::string>> read_csv(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in) << "cannot read " << path;
  std::string line;
  std::getline(in, line);
  const auto header = split_csv_line(line);
  std::vector<std::map<std::string, std::string>> rows;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const auto cells = split_csv_line(line);
    std::map<std::string, std::string> row;
    for (std::size_t i = 0; i < header.size() && i < cells.size(); ++i) row[header[i]] = cells[i];
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string trim(std::string s) {
  while (!s.empty() && s.front() == ' ') s.erase(s.begin());
  while (!s.empty() && s.back() == ' ') s.pop_back();
  return s;
}

struct Citation {
  std::string region, indicator, year;
};

// Every "[csv: REGION | INDICATOR | YEAR]" in a text, in order.
std::vector<Citation> citations(const std::string& text) {
  static const std::regex re(R"(\[csv:([^|\]]*)\|([^|\]]*)\|([^\]]*)\])");
  std::vector<Citation> out;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), re); it != std::sregex_iterator();
       ++it) {
    out.push_back({trim((*it)[1]), trim((*it)[2]), trim((*it)[3])});
  }
  return out;
}

const std::map<std::string, std::string>* find_row(
    const std::vector<std::map<std::string, std::string>>& rows, const Citation& c) {
  for (const auto& row : rows) {
    if (row.at("region") == c.region && row.at("indicator") == c.indicator &&
        row.at("year") == c.year)
      return &row;
  }
  return nullptr;
}

std::string describe(const Citation& c) {
  return c.region + " | " + c.indicator + " | " + c.year;
}

// ---- loading and simulating ---------------------------------------------------------------
Scenario load(const std::string& relative) {
  Diagnostics diagnostics;
  auto scenario = load_scenario(kRoot + "/" + relative, diagnostics);
  std::string problems;
  for (const auto& d : diagnostics.all()) problems += d.to_string() + "\n";
  EXPECT_TRUE(scenario.has_value() && diagnostics.empty()) << problems;
  if (!scenario) throw std::runtime_error("cannot load " + relative);
  return std::move(*scenario);
}

struct SimRun {
  Program program;
  Cube cube;
  std::map<std::string, std::size_t> index;  // recorded variable -> cube variable
  double at(const std::string& var, std::size_t year, std::size_t draw) const {
    return cube.column(index.at(var), year)[draw];
  }
};

constexpr std::size_t kDraws = 256;
constexpr std::uint64_t kSeed = 20240322;

SimRun simulate(const Model& model) {
  Diagnostics diagnostics;
  auto program = compile(model, diagnostics);
  std::string problems;
  for (const auto& d : diagnostics.all()) problems += d.to_string() + "\n";
  if (!program) throw std::runtime_error("compile failed:\n" + problems);
  SimRun run{std::move(*program), {}, {}};
  const auto prepared = prepare_scenario(run.program, kDraws, kSeed, random::SamplingDesign::mc);
  run.cube = simulate_serial(prepared, 64).cube;
  for (std::size_t i = 0; i < run.program.recorded.size(); ++i)
    run.index[run.program.recorded[i].name] = i;
  return run;
}

void set_path_from(Model& model, const std::string& var, int from_year, double value) {
  VarSpec* v = model.find_var(var);
  ASSERT_NE(v, nullptr) << var;
  const double before = path_value(v->path, from_year - 1);
  v->path = {{from_year - 1, before}, {from_year, value}};
}

void make_constant(Model& model, const std::string& param, double value) {
  ParamSpec* p = model.find_param(param);
  ASSERT_NE(p, nullptr) << param;
  p->dist = "constant";
  p->fields = {{"value", value}};
  p->marginal = random::Marginal{random::DistKind::constant, value, 0, 0, 0};
}

// The indicators each sector's money acts on, and the direction that is "better".
struct Indicator {
  std::string name;
  bool higher_is_better;
};
const std::map<std::string, std::vector<Indicator>>& sector_indicators() {
  static const std::map<std::string, std::vector<Indicator>> m = {
      {"share_health",
       {{"life_expectancy", true},
        {"healthy_life_years", true},
        {"doctors_per_10k", true},
        {"nurses_per_10k", true},
        {"pharmacists_per_10k", true},
        {"hospital_beds_per_10k", true},
        {"immunisation", true},
        {"stunting_u5", false}}},
      {"share_education", {{"trained_certified", true}}},
      {"share_social",
       {{"si_coverage", true},
        {"ui_coverage", true},
        {"pension_coverage", true},
        {"hi_coverage", true},
        {"poverty_rate", false},
        {"near_poverty_rate", false}}},
      {"share_housing_water",
       {{"housing_m2_pc", true}, {"water_urban", true}, {"water_rural", true}}},
  };
  return m;
}

// ---- provenance -----------------------------------------------------------------------------
TEST(Provenance, EveryCitedBaseValueMatchesItsReferenceRow) {
  const auto rows = read_csv(kRoot + "/scenarios/reference/base_data_sourced.csv");
  ASSERT_GT(rows.size(), 90u);
  for (const auto& province : kProvinces) {
    const Scenario s = load("scenarios/" + province + "/model.toml");
    int checked = 0;
    for (const auto& var : s.model.vars) {
      // A source that starts with a citation is a direct one: the base value (or the path's
      // base-year value) must equal the row's value.
      if (var.source.rfind("[csv:", 0) == 0) {
        const auto c = citations(var.source).front();
        ASSERT_NE(find_row(rows, c), nullptr)
            << province << ": " << var.name << " cites a missing row " << describe(c);
        // A few keys have two rows (two GSO series of life expectancy, two quarters of
        // unemployment): the value must be one of them, and the source says which series.
        const double actual = var.base ? *var.base : path_value(var.path, s.model.base_year);
        bool matched = false;
        std::string candidates;
        for (const auto& row : rows) {
          if (row.at("region") != c.region || row.at("indicator") != c.indicator ||
              row.at("year") != c.year)
            continue;
          const double expected = std::stod(row.at("value"));
          candidates += " " + row.at("value");
          if (std::fabs(actual - expected) <= 1e-9 * std::max(1.0, std::fabs(expected)))
            matched = true;
        }
        EXPECT_TRUE(matched) << province << ": " << var.name << " = " << actual << " but "
                             << describe(c) << " holds" << candidates;
        ++checked;
      }
      // Every citation anywhere (derived values, notes, target sources) names a real row.
      std::string text = var.source + " " + var.note;
      for (const auto& t : var.targets) text += " " + t.source;
      for (const auto& c : citations(text)) {
        EXPECT_NE(find_row(rows, c), nullptr)
            << province << ": " << var.name << " cites a missing row " << describe(c);
      }
    }
    EXPECT_GE(checked, 8) << province;
  }
}

TEST(Provenance, EveryIndicatorWithABaseSaysWhereItComesFrom) {
  for (const auto& province : kProvinces) {
    const Scenario s = load("scenarios/" + province + "/model.toml");
    for (const auto& var : s.model.vars) {
      const bool data = (var.base && var.recorded()) || (!var.path.empty() && var.lever) ||
                        var.name == "trained_core" || var.name == "le_core" ||
                        var.name == "stunting_core";
      if (!data) continue;
      EXPECT_FALSE(var.source.empty()) << province << ": " << var.name << " has no source";
    }
  }
}

TEST(Provenance, LongAnTargetsMatchTheProgramme) {
  const auto rows = read_csv(kRoot + "/scenarios/reference/long_an_targets_2030.csv");
  const Scenario s = load("scenarios/long_an/model.toml");
  static const std::regex re(R"(\[target:\s*([a-z0-9_]+)\])");
  std::set<std::string> cited;
  for (const auto& var : s.model.vars) {
    for (const auto& t : var.targets) {
      std::smatch m;
      ASSERT_TRUE(std::regex_search(t.source, m, re)) << var.name << ": target without [target: ]";
      const std::string indicator = m[1];
      cited.insert(indicator);
      const std::map<std::string, std::string>* row = nullptr;
      for (const auto& r : rows) {
        if (r.at("indicator") == indicator && std::stoi(r.at("year")) == t.year) row = &r;
      }
      ASSERT_NE(row, nullptr) << var.name << ": no row " << indicator << " " << t.year;
      EXPECT_EQ(std::string(to_string(t.comparator)), row->at("comparator")) << var.name;
      const double value = std::stod(row->at("value"));
      if (value == 100.0 && t.threshold == 99.5) continue;  // "100%" read as rounded (documented)
      EXPECT_DOUBLE_EQ(t.threshold, value) << var.name;
    }
  }
  // Every target of the programme is either in the model or listed in the model's
  // documentation with the reason it is not projected.
  std::ifstream doc(kRoot + "/docs/models/long_an.md");
  std::stringstream buffer;
  buffer << doc.rdbuf();
  const std::string text = buffer.str();
  for (const auto& r : rows) {
    if (cited.count(r.at("indicator"))) continue;
    EXPECT_NE(text.find(r.at("indicator")), std::string::npos)
        << r.at("indicator") << " is neither projected nor explained in docs/models/long_an.md";
  }
  EXPECT_GE(cited.size(), 19u);
}

TEST(Provenance, BothProvincesShareOneSetOfEquations) {
  const Scenario la = load("scenarios/long_an/model.toml");
  const Scenario bg = load("scenarios/bac_giang/model.toml");
  ASSERT_EQ(la.model.vars.size(), bg.model.vars.size());
  for (std::size_t i = 0; i < la.model.vars.size(); ++i) {
    const auto& a = la.model.vars[i];
    const auto& b = bg.model.vars[i];
    EXPECT_EQ(a.name, b.name);
    if (a.eq && b.eq) {
      EXPECT_EQ(a.eq->text, b.eq->text) << a.name;
    }
  }
}

// ---- properties with common random numbers --------------------------------------------------
TEST(Properties, MoreMoneyForASectorNeverLowersItsIndicators) {
  for (const auto& province : kProvinces) {
    const Scenario base = load("scenarios/" + province + "/baseline.toml");
    const SimRun reference = simulate(base.model);
    for (const auto& [share, indicators] : sector_indicators()) {
      Model more = base.model;
      const double now = path_value(more.find_var(share)->path, 2025);
      set_path_from(more, share, 2025, now * 1.5);  // the others unchanged: the total rises
      const SimRun richer = simulate(more);
      std::size_t strictly_better = 0;
      for (const auto& ind : indicators) {
        for (std::size_t y = 0; y < reference.cube.years; ++y) {
          for (std::size_t d = 0; d < kDraws; ++d) {
            const double a = reference.at(ind.name, y, d), b = richer.at(ind.name, y, d);
            const double gain = ind.higher_is_better ? b - a : a - b;
            ASSERT_GE(gain, -1e-9 * std::max(1.0, std::fabs(a)))
                << province << ": more " << share << " lowered " << ind.name << " in year " << y
                << ", draw " << d << ": " << a << " -> " << b;
            if (gain > 1e-9) ++strictly_better;
          }
        }
      }
      EXPECT_GT(strictly_better, 0u) << province << ": " << share << " has no effect at all";
    }
  }
}

TEST(Properties, SharesStayWithinZeroAndHundredInEveryScenario) {
  for (const auto& province : kProvinces) {
    for (const char* name : {"baseline", "low_growth", "high_growth", "health_first",
                             "skills_first", "water_first", "protection_first", "budget_plus"}) {
      const Scenario s = load("scenarios/" + province + "/" + name + ".toml");
      const SimRun run = simulate(s.model);
      for (const auto& rec : run.program.recorded) {
        if (rec.unit.empty() || rec.unit[0] != '%' || rec.unit.find("/yr") != std::string::npos)
          continue;  // shares only, not growth rates
        for (std::size_t y = 0; y < run.cube.years; ++y) {
          for (double v : run.cube.column(run.index.at(rec.name), y)) {
            ASSERT_TRUE(v >= 0.0 && v <= 100.0)
                << province << "/" << name << ": " << rec.name << " = " << v;
          }
        }
      }
    }
  }
}

// With the status-quo budget there is no extra money, so switching every spending effect
// off must leave every indicator exactly where it was, draw by draw: the baseline is the
// trend. And a reallocation that changes nothing (shares rewritten with the same values)
// changes nothing.
TEST(Properties, ZeroExtraBudgetLeavesIndicatorsOnTrend) {
  const std::vector<std::string> spending_effects = {
      "edu_elast",         "mort_elast",         "staff_elast",        "si_budget_elast",
      "hi_budget_elast",   "imm_elast",          "stunt_health_elast", "pov_budget_elast",
      "water_urban_elast", "health_capital_part"};
  for (const auto& province : kProvinces) {
    const Scenario base = load("scenarios/" + province + "/baseline.toml");
    const SimRun with_effects = simulate(base.model);
    Model trend = base.model;
    for (const auto& p : spending_effects) make_constant(trend, p, 0.0);
    make_constant(trend, "water_part", 0.0);  // no money to connections or m2 either way
    const SimRun without = simulate(trend);
    std::size_t compared = 0;
    for (const auto& [share, indicators] : sector_indicators()) {
      for (const auto& ind : indicators) {
        if (ind.name == "housing_m2_pc" || ind.name == "water_rural") continue;  // water_part
        for (std::size_t y = 0; y < with_effects.cube.years; ++y) {
          for (std::size_t d = 0; d < kDraws; ++d) {
            ASSERT_NEAR(with_effects.at(ind.name, y, d), without.at(ind.name, y, d),
                        1e-9 * std::max(1.0, std::fabs(without.at(ind.name, y, d))))
                << province << ": " << ind.name << " moved without extra money";
            ++compared;
          }
        }
      }
    }
    EXPECT_GT(compared, 0u);

    // Housing and water: the same check, switching only the cost channels off.
    Model no_cost = base.model;
    make_constant(no_cost, "water_part", 0.0);
    make_constant(no_cost, "housing_cost_m2", 1e12);
    make_constant(no_cost, "water_urban_elast", 0.0);
    const SimRun no_cost_run = simulate(no_cost);
    Model half_cost = base.model;
    make_constant(half_cost, "water_part", 1.0);
    make_constant(half_cost, "water_urban_elast", 0.0);
    const SimRun half_cost_run = simulate(half_cost);
    for (const char* ind : {"water_rural", "water_urban"}) {
      for (std::size_t y = 0; y < no_cost_run.cube.years; ++y) {
        for (std::size_t d = 0; d < kDraws; ++d) {
          ASSERT_NEAR(no_cost_run.at(ind, y, d), half_cost_run.at(ind, y, d), 1e-9)
              << province << ": " << ind;
        }
      }
    }
  }
}

}  // namespace
}  // namespace tamnhin
