#include "engine/io/workbook.hpp"

#include <fcntl.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>

#include "engine/core/diagnostics.hpp"
#include "engine/io/human_text.hpp"

namespace tamnhin::io {

namespace {

struct Formats {
  lxw_format* title = nullptr;
  lxw_format* head = nullptr;
  lxw_format* head_centre = nullptr;
  lxw_format* wrap = nullptr;
  lxw_format* percent = nullptr;
  lxw_format* points = nullptr;           // signed percentage points
  std::array<lxw_format*, 5> decimals{};  // 0..4 decimals, thousands separated
};

// Decimals that show three significant digits of the indicator's typical size: 25.4%,
// 0.734, 102,345 (not 102,345.21).
int decimals_for(const stats::VariableForecast& v) {
  double typical = 0;
  for (const auto& s : v.by_year) typical = std::max(typical, std::fabs(s.p50));
  if (typical == 0 || !std::isfinite(typical)) return 2;
  const int magnitude = static_cast<int>(std::floor(std::log10(typical)));
  return std::clamp(2 - magnitude, 0, 4);
}

void write_text(lxw_worksheet* ws, int row, int col, std::string_view text,
                lxw_format* format = nullptr) {
  const std::string copy(text);  // NUL-terminated for the C API
  worksheet_write_string(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), copy.c_str(),
                         format);
}

void write_number(lxw_worksheet* ws, int row, int col, double x, lxw_format* format) {
  if (std::isfinite(x)) {
    worksheet_write_number(ws, static_cast<lxw_row_t>(row), static_cast<lxw_col_t>(col), x, format);
  }
}

void scenario_sheet(lxw_workbook* wb, const Formats& f, const stats::ScenarioReport& r,
                    const WorkbookInput& input, std::vector<std::string>& taken) {
  const Words& w = words(input.language);
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(r.scenario, taken).c_str());
  std::string title = std::string(w.scenario) + ": " + r.scenario + " \u2014 " + r.model;
  if (!r.region.empty()) title += " (" + r.region + ")";
  write_text(ws, 0, 0, title, f.title);
  if (!r.description.empty()) write_text(ws, 1, 0, r.description);
  constexpr int head = 3;  // two header rows, then a row per indicator
  write_text(ws, head, 0, w.indicator, f.head);
  write_text(ws, head, 1, w.variable, f.head);
  write_text(ws, head, 2, w.unit, f.head);
  write_text(ws, head + 1, 0, "", f.head);
  write_text(ws, head + 1, 1, "", f.head);
  write_text(ws, head + 1, 2, "", f.head);
  for (std::size_t y = 0; y < input.years.size(); ++y) {
    const int col = 3 + 3 * static_cast<int>(y);
    worksheet_merge_range(ws, head, static_cast<lxw_col_t>(col), head,
                          static_cast<lxw_col_t>(col + 2), std::to_string(input.years[y]).c_str(),
                          f.head_centre);
    write_text(ws, head + 1, col, w.median, f.head_centre);
    write_text(ws, head + 1, col + 1, w.p05, f.head_centre);
    write_text(ws, head + 1, col + 2, w.p95, f.head_centre);
  }
  int row = head + 2;
  for (const auto& v : r.variables) {
    write_text(ws, row, 0, v.labels.full(input.language, v.name), f.wrap);
    write_text(ws, row, 1, v.name);
    write_text(ws, row, 2, v.unit);
    lxw_format* number = f.decimals[static_cast<std::size_t>(decimals_for(v))];
    for (std::size_t y = 0; y < input.years.size(); ++y) {
      const int index = input.years[y] - r.base_year;
      if (index < 0 || index >= static_cast<int>(v.by_year.size())) continue;
      const stats::Summary& s = v.by_year[static_cast<std::size_t>(index)];
      const int col = 3 + 3 * static_cast<int>(y);
      write_number(ws, row, col, s.p50, number);
      write_number(ws, row, col + 1, s.p05, number);
      write_number(ws, row, col + 2, s.p95, number);
    }
    ++row;
  }
  worksheet_set_column(ws, 0, 0, 42, nullptr);
  worksheet_set_column(ws, 1, 1, 20, nullptr);
  worksheet_set_column(ws, 2, 2, 16, nullptr);
  worksheet_set_column(ws, 3, static_cast<lxw_col_t>(2 + 3 * input.years.size()), 10, nullptr);
  worksheet_freeze_panes(ws, head + 2, 1);
}

const stats::TargetReport* find_same(const stats::ScenarioReport& r, const stats::TargetReport& t) {
  for (const auto& c : r.targets) {
    if (c.variable == t.variable && c.year == t.year && c.comparator == t.comparator &&
        c.threshold == t.threshold)
      return &c;
  }
  return nullptr;
}

const stats::ScenarioReport* reference_for(const WorkbookInput& input,
                                           const stats::ScenarioReport& r) {
  if (input.reference.empty()) return nullptr;
  for (const auto& candidate : input.reports) {
    if (candidate.scenario == input.reference && candidate.model == r.model) return &candidate;
  }
  return nullptr;
}

void scorecard_sheet(lxw_workbook* wb, const Formats& f, const WorkbookInput& input,
                     std::vector<std::string>& taken) {
  const Words& w = words(input.language);
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(w.scorecard_sheet, taken).c_str());
  const std::vector<std::string_view> heads = {w.model,     w.scenario, w.indicator, w.variable,
                                               w.condition, w.year,     w.unit,      w.probability,
                                               w.median,    w.p05,      w.p95,       w.source};
  for (std::size_t c = 0; c < heads.size(); ++c)
    write_text(ws, 0, static_cast<int>(c), heads[c], f.head);
  int row = 1;
  for (const auto& r : input.reports) {
    for (const auto& t : r.targets) {
      const stats::VariableForecast* v = find_variable(r, t.variable);
      lxw_format* number = v ? f.decimals[static_cast<std::size_t>(decimals_for(*v))] : nullptr;
      write_text(ws, row, 0, r.model);
      write_text(ws, row, 1, r.scenario);
      write_text(ws, row, 2, target_label(r, t, input.language, false), f.wrap);
      write_text(ws, row, 3, t.variable);
      write_text(ws, row, 4, condition_text(t, input.language).substr(1));
      write_number(ws, row, 5, t.year, nullptr);
      write_text(ws, row, 6, v ? v->unit : std::string());
      write_number(ws, row, 7, t.odds.probability, f.percent);
      write_number(ws, row, 8, t.odds.p50, number);
      write_number(ws, row, 9, t.odds.p05, number);
      write_number(ws, row, 10, t.odds.p95, number);
      write_text(ws, row, 11, t.source);
      ++row;
    }
  }
  worksheet_set_column(ws, 0, 1, 16, nullptr);
  worksheet_set_column(ws, 2, 2, 42, nullptr);
  worksheet_set_column(ws, 3, 4, 20, nullptr);
  worksheet_set_column(ws, 5, 10, 11, nullptr);
  worksheet_set_column(ws, 11, 11, 50, nullptr);
  worksheet_freeze_panes(ws, 1, 3);
}

bool comparison_sheet(lxw_workbook* wb, const Formats& f, const WorkbookInput& input,
                      std::vector<std::string>& taken) {
  const Words& w = words(input.language);
  bool any = false;
  for (const auto& r : input.reports) any = any || (reference_for(input, r) != nullptr);
  if (!any) return false;
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(w.comparison_sheet, taken).c_str());
  const std::vector<std::string> heads = {
      std::string(w.model),
      std::string(w.scenario),
      std::string(w.indicator),
      std::string(w.condition),
      std::string(w.probability),
      std::string(w.probability) + " (" + std::string(w.reference) + ")",
      std::string(w.change_vs_reference)};
  for (std::size_t c = 0; c < heads.size(); ++c)
    write_text(ws, 0, static_cast<int>(c), heads[c], f.head);
  int row = 1;
  for (const auto& r : input.reports) {
    const stats::ScenarioReport* ref = reference_for(input, r);
    if (ref == nullptr || ref == &r) continue;
    for (const auto& t : r.targets) {
      const stats::TargetReport* rt = find_same(*ref, t);
      if (rt == nullptr) continue;
      write_text(ws, row, 0, r.model);
      write_text(ws, row, 1, r.scenario);
      write_text(ws, row, 2, target_label(r, t, input.language, false), f.wrap);
      write_text(ws, row, 3, condition_text(t, input.language).substr(1));
      write_number(ws, row, 4, t.odds.probability, f.percent);
      write_number(ws, row, 5, rt->odds.probability, f.percent);
      write_number(ws, row, 6, t.odds.probability - rt->odds.probability, f.points);
      ++row;
    }
  }
  worksheet_set_column(ws, 0, 1, 16, nullptr);
  worksheet_set_column(ws, 2, 2, 42, nullptr);
  worksheet_set_column(ws, 3, 3, 20, nullptr);
  worksheet_set_column(ws, 4, 6, 16, nullptr);
  worksheet_freeze_panes(ws, 1, 3);
  return true;
}

void run_sheet(lxw_workbook* wb, const Formats& f, const WorkbookInput& input,
               std::vector<std::string>& taken) {
  const Words& w = words(input.language);
  const RunInfo& run = *input.run;
  lxw_worksheet* ws = workbook_add_worksheet(wb, sheet_name(w.run_sheet, taken).c_str());
  int row = 0;
  const auto pair = [&](std::string_view key, const std::string& value) {
    write_text(ws, row, 0, key, f.head);
    write_text(ws, row, 1, value);
    ++row;
  };
  pair(w.version, "tamnhin " + run.version);
  pair(w.created, input.created_text);
  std::string command;
  for (const auto& arg : run.command_line) command += (command.empty() ? "" : " ") + arg;
  pair(w.command, command);
  ++row;
  const std::vector<std::string_view> heads = {w.scenario, w.model, w.draws, w.seed, w.sampling};
  for (std::size_t c = 0; c < heads.size(); ++c)
    write_text(ws, row, static_cast<int>(c), heads[c], f.head);
  ++row;
  for (const auto& s : run.scenarios) {
    write_text(ws, row, 0, s.name);
    write_text(ws, row, 1, s.model);
    write_number(ws, row, 2, static_cast<double>(s.draws), nullptr);
    write_text(ws, row, 3, std::to_string(s.seed));  // text: a 64-bit seed exceeds a double
    write_text(ws, row, 4, s.sampling);
    ++row;
  }
  ++row;
  write_text(ws, row, 0, w.files, f.head);
  write_text(ws, row, 1, "SHA-256", f.head);
  ++row;
  for (const auto& file : run.files) {
    write_text(ws, row, 0, file.path);
    write_text(ws, row, 1, file.sha256);
    ++row;
  }
  worksheet_set_column(ws, 0, 0, 44, nullptr);
  worksheet_set_column(ws, 1, 1, 66, nullptr);
  worksheet_set_column(ws, 2, 4, 14, nullptr);
}

}  // namespace

std::string sheet_name(std::string_view wanted, std::vector<std::string>& taken) {
  std::string clean;
  for (char c : wanted)
    clean += std::string_view("[]:*?/\\").find(c) == std::string_view::npos ? c : '_';
  if (clean.empty()) clean = "_";
  // Excel counts UTF-16 units; Vietnamese letters are one each, so code points do.
  const auto cut = [](const std::string& text, std::size_t limit) {
    std::size_t points = 0, i = 0;
    for (; i < text.size(); ++i) {
      if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80 && points++ == limit) break;
    }
    return text.substr(0, i);
  };
  const auto lower = [](std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
  };
  std::string name = cut(clean, 31);
  for (int n = 2; std::any_of(taken.begin(), taken.end(),
                              [&](const std::string& t) { return lower(t) == lower(name); });
       ++n) {
    const std::string suffix = " (" + std::to_string(n) + ")";
    name = cut(clean, 31 - suffix.size()) + suffix;
  }
  taken.push_back(name);
  return name;
}

std::string render_workbook(const WorkbookInput& input, const std::filesystem::path& scratch_dir) {
  const std::filesystem::path scratch =
      scratch_dir / (".tables.xlsx.build-" + std::to_string(::getpid()));
  lxw_workbook_options options{};
  options.constant_memory = LXW_FALSE;
  const std::string tmpdir = scratch_dir.string();
  options.tmpdir = const_cast<char*>(tmpdir.c_str());  // the C API is not const-correct
  lxw_workbook* wb = workbook_new_opt(scratch.c_str(), &options);
  if (wb == nullptr) {
    throw InputError(Diagnostic{{scratch_dir.string()}, {}, "cannot create tables.xlsx", {}});
  }
  Formats f;
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 13);
  f.head = workbook_add_format(wb);
  format_set_bold(f.head);
  format_set_bg_color(f.head, 0xEEEEEE);
  format_set_bottom(f.head, LXW_BORDER_THIN);
  f.head_centre = workbook_add_format(wb);
  format_set_bold(f.head_centre);
  format_set_bg_color(f.head_centre, 0xEEEEEE);
  format_set_bottom(f.head_centre, LXW_BORDER_THIN);
  format_set_align(f.head_centre, LXW_ALIGN_CENTER);
  f.wrap = workbook_add_format(wb);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.percent = workbook_add_format(wb);
  format_set_num_format(f.percent, "0.0%");
  f.points = workbook_add_format(wb);
  format_set_num_format(f.points, "+0.0%;-0.0%;0.0%");
  const char* decimal_formats[] = {"#,##0", "#,##0.0", "#,##0.00", "#,##0.000", "#,##0.0000"};
  for (std::size_t d = 0; d < f.decimals.size(); ++d) {
    f.decimals[d] = workbook_add_format(wb);
    format_set_num_format(f.decimals[d], decimal_formats[d]);
  }

  std::vector<std::string> taken;
  // The scorecard first: it is what most readers open the file for.
  scorecard_sheet(wb, f, input, taken);
  comparison_sheet(wb, f, input, taken);
  for (const auto& r : input.reports) scenario_sheet(wb, f, r, input, taken);
  run_sheet(wb, f, input, taken);

  lxw_doc_properties properties{};
  const std::string title = std::string(words(input.language).report_title);
  properties.title = const_cast<char*>(title.c_str());
  properties.author = const_cast<char*>("tamnhin");
  properties.created = input.created;
  workbook_set_properties(wb, &properties);
  // libxlsxwriter prints its own "[ERROR]" lines to stderr when the disk fails it; the
  // user gets one message of ours instead, so stderr is muted while the file is written.
  std::fflush(stderr);
  const int saved_stderr = ::dup(STDERR_FILENO);
  const int null_fd = ::open("/dev/null", O_WRONLY);
  if (saved_stderr >= 0 && null_fd >= 0) ::dup2(null_fd, STDERR_FILENO);
  errno = 0;
  const lxw_error closed = workbook_close(wb);
  const int close_errno = errno;
  if (saved_stderr >= 0 && null_fd >= 0) ::dup2(saved_stderr, STDERR_FILENO);
  if (null_fd >= 0) ::close(null_fd);
  if (saved_stderr >= 0) ::close(saved_stderr);
  if (closed != LXW_NO_ERROR) {
    std::remove(scratch.c_str());
    const std::string reason =
        close_errno != 0 ? std::strerror(close_errno) : std::string(lxw_strerror(closed));
    throw InputError(Diagnostic{{(scratch_dir / "tables.xlsx").string()},
                                {},
                                "cannot write: " + reason,
                                "choose another --out, or free some space"});
  }
  std::ifstream in(scratch, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  std::remove(scratch.c_str());
  if (!in) {
    throw InputError(Diagnostic{
        {(scratch_dir / "tables.xlsx").string()}, {}, "cannot read back the workbook", {}});
  }
  return bytes.str();
}

}  // namespace tamnhin::io
