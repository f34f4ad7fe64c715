#include "engine/io/run_info.hpp"

#include <gtest/gtest.h>

#include <boost/json.hpp>

namespace tamnhin::io {
namespace {

namespace json = boost::json;

RunInfo sample() {
  RunInfo info;
  info.version = "0.1.0";
  info.command_line = {"tamnhin", "run", "scenarios/long_an/high.toml", "--seed", "42"};
  info.seed = 18446744073709551557u;  // the largest 64-bit prime: no double holds it
  info.draws = 2000;
  info.sampling = "sobol";
  info.threads = 8;
  info.batch_size = 256;
  info.files = {{"scenarios/long_an/model.toml", std::string(64, 'a')}};
  info.first_year = 2024;
  info.last_year = 2045;
  info.wall_seconds = 1.25;
  ScenarioRunInfo s;
  s.name = "high";
  s.model = "Long An";
  s.files = {"scenarios/long_an/high.toml", "scenarios/long_an/model.toml"};
  s.draws = 2000;
  s.seed = *info.seed;
  s.sampling = "sobol";
  s.base_year = 2024;
  s.end_year = 2045;
  s.clamps = {{"poverty_rate", 12, 0}};
  info.scenarios = {s};
  return info;
}

std::vector<std::string> keys(const json::object& object) {
  std::vector<std::string> out;
  for (const auto& item : object) out.emplace_back(item.key());
  return out;
}

TEST(RunJson, ParsesBackWithKeysInOrder) {
  const json::value v = json::parse(render_run_json(sample()));
  const json::object& root = v.as_object();
  EXPECT_EQ(keys(root), (std::vector<std::string>{"version", "command_line", "seed", "draws",
                                                  "sampling", "threads", "processes", "batch_size",
                                                  "files", "years", "wall_seconds", "settings",
                                                  "share_adjustments", "reference", "scenarios"}));
  EXPECT_EQ(root.at("seed").to_number<std::uint64_t>(), 18446744073709551557u);
  EXPECT_EQ(root.at("wall_seconds").as_double(), 1.25);
  EXPECT_EQ(root.at("command_line").as_array().size(), 5u);
  EXPECT_EQ(keys(root.at("files").as_array()[0].as_object()),
            (std::vector<std::string>{"path", "sha256"}));
  EXPECT_EQ(keys(root.at("years").as_object()), (std::vector<std::string>{"first", "last"}));
  EXPECT_EQ(root.at("years").at("last").to_number<int>(), 2045);
  const json::object& scenario = root.at("scenarios").as_array()[0].as_object();
  EXPECT_EQ(keys(scenario),
            (std::vector<std::string>{"name", "model", "files", "draws", "seed", "sampling",
                                      "base_year", "end_year", "clamps"}));
  EXPECT_EQ(scenario.at("seed").to_number<std::uint64_t>(), 18446744073709551557u);
  const json::object& clamp = scenario.at("clamps").as_array()[0].as_object();
  EXPECT_EQ(keys(clamp), (std::vector<std::string>{"variable", "low", "high"}));
  EXPECT_EQ(clamp.at("low").to_number<int>(), 12);
}

TEST(RunJson, PrettyPrintedWithTwoSpaces) {
  RunInfo info;
  info.version = "0.1.0";
  info.seed = 7;
  const std::string text = render_run_json(info);
  EXPECT_EQ(text.substr(0, 40), "{\n  \"version\": \"0.1.0\",\n  \"command_line\"");
  EXPECT_NE(text.find("\n  \"seed\": 7,\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\"files\": [],"), std::string::npos) << text;
  EXPECT_NE(text.find("\"years\": {\n    \"first\": 0,\n    \"last\": 0\n  },"), std::string::npos)
      << text;
  EXPECT_NE(text.find("\"wall_seconds\": 0,"), std::string::npos) << text;
  EXPECT_EQ(text.back(), '\n');
}

TEST(RunJson, TopLevelSettingsAreNullWhenScenariosDiffer) {
  RunInfo info;  // seed, draws and sampling left unset: scenarios used different ones
  const json::value root = json::parse(render_run_json(info));
  EXPECT_TRUE(root.at("seed").is_null());
  EXPECT_TRUE(root.at("draws").is_null());
  EXPECT_TRUE(root.at("sampling").is_null());
}

TEST(RunJson, EscapesStrings) {
  RunInfo info = sample();
  info.command_line = {"--out", "thư mục \"kết quả\"\\"};
  const json::value v = json::parse(render_run_json(info));
  EXPECT_EQ(v.at("command_line").as_array()[1].as_string(), "thư mục \"kết quả\"\\");
}

}  // namespace
}  // namespace tamnhin::io
