#include "engine/io/run_info.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <boost/json.hpp>

#include "engine/io/json_text.hpp"
#include "engine/io/number_format.hpp"
#include "engine/io/sha256.hpp"

namespace tamnhin::io {
namespace {

namespace json = boost::json;

json::array strings(const std::vector<std::string>& items) {
  json::array out;
  for (const auto& item : items) out.emplace_back(item);
  return out;
}

json::object scenario_json(const ScenarioRunInfo& s) {
  json::array clamps;
  for (const auto& c : s.clamps) {
    clamps.push_back(json::object{{"variable", c.variable}, {"low", c.low}, {"high", c.high}});
  }
  // json::object keeps insertion order, which is the order run_info.hpp documents.
  json::object out;
  out["name"] = s.name;
  out["model"] = s.model;
  out["files"] = strings(s.files);
  out["draws"] = static_cast<std::uint64_t>(s.draws);
  out["seed"] = s.seed;  // stored as uint64, so every bit of the seed survives
  out["sampling"] = s.sampling;
  out["base_year"] = s.base_year;
  out["end_year"] = s.end_year;
  out["clamps"] = std::move(clamps);
  return out;
}

}  // namespace

RunInfo assemble_run_info(RunInfo info, std::vector<ScenarioRunInfo> scenarios) {
  std::set<std::string> seen_files;
  info.files.clear();
  for (std::size_t i = 0; i < scenarios.size(); ++i) {
    const ScenarioRunInfo& s = scenarios[i];
    for (const auto& f : s.files) {
      if (seen_files.insert(f).second) info.files.push_back({f, sha256_file_hex(f)});
    }
    const bool first = i == 0;
    if (first || info.seed != s.seed) info.seed = first ? std::optional(s.seed) : std::nullopt;
    if (first || info.draws != s.draws) info.draws = first ? std::optional(s.draws) : std::nullopt;
    if (first || info.sampling != s.sampling)
      info.sampling = first ? std::optional(s.sampling) : std::nullopt;
    info.first_year = first ? s.base_year : std::min(info.first_year, s.base_year);
    info.last_year = first ? s.end_year : std::max(info.last_year, s.end_year);
  }
  info.scenarios = std::move(scenarios);
  return info;
}

std::string render_run_json(const RunInfo& info) {
  json::array files;
  for (const auto& f : info.files)
    files.push_back(json::object{{"path", f.path}, {"sha256", f.sha256}});
  json::array scenarios;
  for (const auto& s : info.scenarios) scenarios.push_back(scenario_json(s));

  json::object root;
  root["version"] = info.version;
  root["command_line"] = strings(info.command_line);
  root["seed"] = info.seed ? json::value(*info.seed) : json::value(nullptr);
  root["draws"] =
      info.draws ? json::value(static_cast<std::uint64_t>(*info.draws)) : json::value(nullptr);
  root["sampling"] = info.sampling ? json::value(*info.sampling) : json::value(nullptr);
  root["threads"] = info.threads;
  root["processes"] = info.processes;
  root["batch_size"] = static_cast<std::uint64_t>(info.batch_size);
  root["files"] = std::move(files);
  root["years"] = json::object{{"first", info.first_year}, {"last", info.last_year}};
  root["wall_seconds"] = info.wall_seconds;
  root["settings"] = strings(info.settings);
  root["share_adjustments"] = strings(info.share_adjustments);
  root["reference"] = info.reference ? json::value(*info.reference) : json::value(nullptr);
  root["scenarios"] = std::move(scenarios);

  return pretty_json(root);
}

}  // namespace tamnhin::io
