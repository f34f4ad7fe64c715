#include "engine/io/number_format.hpp"

#include <gtest/gtest.h>

#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>

namespace tamnhin::io {
namespace {

double read_back(const std::string& text) {
  double value = 0;
  const auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  EXPECT_EQ(error, std::errc{}) << text;
  EXPECT_EQ(end, text.data() + text.size()) << text;
  return value;
}

TEST(FormatNumber, ShortestForms) {
  EXPECT_EQ(format_number(0.1), "0.1");
  EXPECT_EQ(format_number(2.5), "2.5");
  EXPECT_EQ(format_number(-3), "-3");
  EXPECT_EQ(format_number(150000), "150000");  // not "1.5e+05"
  EXPECT_EQ(format_number(1e20), "100000000000000000000");
  EXPECT_EQ(format_number(1e21), "1e+21");
  EXPECT_EQ(format_number(1e-7), "0.0000001");
  EXPECT_EQ(format_number(1.5e-8), "1.5e-08");
  EXPECT_EQ(format_number(5e-324), "5e-324");
  EXPECT_EQ(format_number(std::numeric_limits<double>::max()), "1.7976931348623157e+308");
  EXPECT_EQ(format_number(0.1 + 0.2), "0.30000000000000004");
}

TEST(FormatNumber, ZeroAndNonFinite) {
  EXPECT_EQ(format_number(0.0), "0");
  EXPECT_EQ(format_number(-0.0), "0");  // a table never shows "-0"
  EXPECT_EQ(format_number(std::numeric_limits<double>::quiet_NaN()), "nan");
  EXPECT_EQ(format_number(INFINITY), "inf");
  EXPECT_EQ(format_number(-INFINITY), "-inf");
}

TEST(FormatNumber, RoundTripsRandomBitPatterns) {
  std::uint64_t state = 0x9E3779B97F4A7C15u;
  int checked = 0;
  for (int i = 0; i < 100000; ++i) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;  // xorshift64
    const double value = std::bit_cast<double>(state);
    if (!std::isfinite(value) || value == 0) continue;
    const std::string text = format_number(value);
    ASSERT_EQ(std::bit_cast<std::uint64_t>(read_back(text)), state) << text;
    ++checked;
  }
  EXPECT_GT(checked, 99000);
}

TEST(FormatNumber, RoundTripsTableSizedValues) {
  // Bit patterns are mostly huge or tiny; values like those in tables take the fixed path.
  std::uint64_t state = 12345;
  for (int i = 0; i < 100000; ++i) {
    state ^= state << 13, state ^= state >> 7, state ^= state << 17;
    const double value = (static_cast<double>(state >> 11) * 0x1.0p-53 - 0.5) * 2e6;
    const std::string text = format_number(value);
    ASSERT_EQ(read_back(text), value) << text;
    ASSERT_EQ(text.find('e'), std::string::npos) << text;
  }
}

}  // namespace
}  // namespace tamnhin::io
