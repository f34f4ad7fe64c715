// tables.xlsx (libxlsxwriter): the wide tables planners paste into reports. A sheet per
// scenario (a row per indicator: label, variable, unit; for each chosen year the median
// and the 90% interval), a scorecard sheet, a comparison sheet when a reference scenario
// is named, and a sheet describing the run. Numbers are numbers with a display format
// chosen per indicator; the cells keep every digit.
#pragma once

#include <ctime>
#include <filesystem>
#include <span>
#include <string>
#include <vector>

#include "engine/core/labels.hpp"
#include "engine/io/run_info.hpp"
#include "engine/stats/report.hpp"

namespace tamnhin::io {

inline const std::vector<int> kDefaultTableYears = {2025, 2030, 2035, 2040, 2045};

// What the CLI decides for every human output: --lang, --years, the date shown.
struct HumanOptions {
  Language language = Language::en;
  std::vector<int> years = kDefaultTableYears;
  std::time_t created = 0;
  std::string created_text;  // "2026-11-29 10:58 UTC"
};

struct WorkbookInput {
  std::span<const stats::ScenarioReport> reports;
  const RunInfo* run = nullptr;  // required
  Language language = Language::en;
  std::vector<int> years = kDefaultTableYears;
  std::string reference;    // scenario name; empty: no comparison sheet
  std::time_t created = 0;  // the document's date; fixed so equal runs give equal bytes
  std::string created_text;
};

// The workbook's bytes. libxlsxwriter writes only to a file, so it builds one in
// `scratch_dir` (hidden, removed before returning); the caller writes the bytes with the
// other outputs, atomically. Throws InputError if the scratch file cannot be written.
std::string render_workbook(const WorkbookInput& input, const std::filesystem::path& scratch_dir);

// A valid, unique worksheet name: at most 31 characters (whole UTF-8 code points), none
// of []:*?/\ , not taken by an earlier one in `taken` (which it joins).
std::string sheet_name(std::string_view wanted, std::vector<std::string>& taken);

}  // namespace tamnhin::io
