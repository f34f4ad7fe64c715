#include "engine/io/human_text.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "engine/io/number_format.hpp"

namespace tamnhin::io {

std::optional<Language> language_from_string(std::string_view s) {
  if (s == "en") return Language::en;
  if (s == "vi") return Language::vi;
  return std::nullopt;
}

std::string_view to_string(Language language) {
  return language == Language::vi ? "vi" : "en";
}

namespace {

constexpr Words kEnglish{
    .chance_met = "chance target is met",
    .median_in_year = "median in target year",
    .scenario = "Scenario",
    .scenarios = "Scenarios",
    .model = "Model",
    .region = "Region",
    .variable = "Variable",
    .indicator = "Indicator",
    .unit = "Unit",
    .target = "Target",
    .year = "Year",
    .source = "Source",
    .condition = "Condition",
    .probability = "Chance met",
    .median = "Median",
    .interval90 = "90% interval",
    .band50 = "50% of draws",
    .band90 = "90% of draws",
    .p05 = "p05",
    .p95 = "p95",
    .in_year = "in",
    .draws = "Draws",
    .draws_each = "draws each",
    .seed = "Seed",
    .sampling = "Sampling",
    .version = "Version",
    .files = "Files read (SHA-256)",
    .created = "Created",
    .command = "Command",
    .no_targets = "(no targets)",
    .report_title = "Scenario forecasts",
    .scorecard_title = "Targets: chance of meeting them",
    .charts_title = "Indicators",
    .provenance_title = "How this report was made",
    .base_value = "base year",
    .history = "observed",
    .change_vs_reference = "Change vs reference",
    .reference = "reference",
    .how_to_read =
        "Each chart shows, per scenario, the median (line), the band holding the middle 50% "
        "of the Monte Carlo draws (dark) and the band holding 90% of them, from p05 to p95 "
        "(light). A target is a marker at its year and threshold. \u201cChance met\u201d is the "
        "share of draws that meet the target: 80% means 8 in 10 of the simulated futures meet "
        "it, given the model's assumptions.",
    .run_sheet = "Run",
    .scorecard_sheet = "Scorecard",
    .comparison_sheet = "Comparison",
};

constexpr Words kVietnamese{
    .chance_met = "khả năng đạt mục tiêu",
    .median_in_year = "trung vị năm mục tiêu",
    .scenario = "Kịch bản",
    .scenarios = "Các kịch bản",
    .model = "Mô hình",
    .region = "Địa bàn",
    .variable = "Biến",
    .indicator = "Chỉ tiêu",
    .unit = "Đơn vị",
    .target = "Mục tiêu",
    .year = "Năm",
    .source = "Nguồn",
    .condition = "Điều kiện",
    .probability = "Khả năng đạt",
    .median = "Trung vị",
    .interval90 = "Khoảng 90%",
    .band50 = "50% số lần mô phỏng",
    .band90 = "90% số lần mô phỏng",
    .p05 = "p05",
    .p95 = "p95",
    .in_year = "năm",
    .draws = "Số lần mô phỏng",
    .draws_each = "lần mô phỏng mỗi kịch bản",
    .seed = "Hạt giống ngẫu nhiên",
    .sampling = "Cách lấy mẫu",
    .version = "Phiên bản",
    .files = "Tệp đã đọc (SHA-256)",
    .created = "Thời điểm tạo",
    .command = "Lệnh",
    .no_targets = "(không có mục tiêu)",
    .report_title = "Dự báo theo kịch bản",
    .scorecard_title = "Mục tiêu: khả năng đạt được",
    .charts_title = "Các chỉ tiêu",
    .provenance_title = "Báo cáo này được tạo ra như thế nào",
    .base_value = "năm gốc",
    .history = "số liệu thực tế",
    .change_vs_reference = "Thay đổi so với kịch bản tham chiếu",
    .reference = "tham chiếu",
    .how_to_read =
        "Mỗi biểu đồ cho thấy, với từng kịch bản, trung vị (đường), dải chứa 50% số lần mô "
        "phỏng Monte Carlo ở giữa (đậm) và dải chứa 90% số lần, từ p05 đến p95 (nhạt). Mục "
        "tiêu là một dấu đánh ở năm và ngưỡng của nó. \u201cKhả năng đạt\u201d là tỷ lệ số lần "
        "mô phỏng đạt mục tiêu: 80% nghĩa là 8 trong 10 tương lai được mô phỏng đạt mục tiêu, "
        "với các giả định của mô hình.",
    .run_sheet = "Lần chạy",
    .scorecard_sheet = "Mục tiêu",
    .comparison_sheet = "So sánh",
};

}  // namespace

const Words& words(Language language) {
  return language == Language::vi ? kVietnamese : kEnglish;
}

std::string percent(double p) {
  if (p <= 0) return "0%";
  if (p >= 1) return "100%";
  const long rounded = std::lround(p * 100);
  if (rounded == 0) return "<1%";
  if (rounded == 100) return ">99%";
  return std::to_string(rounded) + "%";
}

std::string compact(double x, Language language) {
  char buffer[64];
  const double magnitude = std::fabs(x);
  if (x == 0 || !std::isfinite(x)) return format_number(x);
  if (magnitude >= 1e6 || magnitude < 1e-3) {
    std::snprintf(buffer, sizeof buffer, "%.3g", x);
  } else {
    const int digits = std::max(0, 2 - static_cast<int>(std::floor(std::log10(magnitude))));
    std::snprintf(buffer, sizeof buffer, "%.*f", digits, x);
  }
  std::string out = buffer;
  if (out == "-0" || out.find_first_not_of("-0.") == std::string::npos) out = "0";
  if (language == Language::vi) std::replace(out.begin(), out.end(), '.', ',');
  return out;
}

const stats::VariableForecast* find_variable(const stats::ScenarioReport& report,
                                             std::string_view name) {
  for (const auto& v : report.variables) {
    if (v.name == name) return &v;
  }
  return nullptr;
}

std::string_view target_label(const stats::ScenarioReport& report, const stats::TargetReport& t,
                              Language language, bool brief) {
  if (!t.labels.empty())
    return brief ? t.labels.brief(language, t.variable) : t.labels.full(language, t.variable);
  const stats::VariableForecast* v = find_variable(report, t.variable);
  if (v == nullptr) return t.variable;
  return brief ? v->labels.brief(language, v->name) : v->labels.full(language, v->name);
}

std::string condition_text(const stats::TargetReport& t, Language language) {
  std::string threshold = format_number(t.threshold);
  if (language == Language::vi) std::replace(threshold.begin(), threshold.end(), '.', ',');
  return ' ' + std::string(to_symbol(t.comparator)) + ' ' + threshold + ' ' +
         std::string(words(language).in_year) + ' ' + std::to_string(t.year);
}

}  // namespace tamnhin::io
