#include "engine/sim/memory_estimate.hpp"

#include <gtest/gtest.h>

#include <string>

#include "tests/unit/sim/sim_test_util.hpp"

namespace tamnhin {
namespace {

constexpr const char* kModel = R"toml([model]
name = "m"
base_year = 2021
end_year = 2030
[params]
a = { dist = "normal", mean = 0, sd = 1 }
b = { dist = "normal", mean = 0, sd = 1 }
[vars.x]
unit = "u"
eq = "a + b"
[vars.y]
eq = "x * 2"
targets = [ { year = 2030, below = 1 } ]
[vars.hidden]
eq = "y + 1"
)toml";

TEST(MemoryEstimate, CountsRecordedDrawsAndParametersOfTheLargestGroup) {
  const Program program = test::compile_text(kModel);
  // 2 recorded variables x 10 years x draws doubles, and 2 parameters x draws doubles.
  std::vector<StudyScenario> scenarios;
  for (std::size_t draws : {1000u, 4000u, 2000u}) {
    // Appended rather than "s" + std::to_string(draws), which trips GCC 12's
    // -Wstringop-overflow false positive in libstdc++'s insert.
    std::string name = "s";
    name += std::to_string(draws);
    scenarios.push_back(test::study_scenario(name, program, draws, 1, random::SamplingDesign::mc));
  }
  StudySettings settings;
  settings.group_size = 2;  // groups {1000, 4000} and {2000}
  const MemoryEstimate e = estimate_study_memory(scenarios, settings);
  EXPECT_EQ(e.cube_bytes, 2u * 10u * 5000u * 8u);
  EXPECT_EQ(e.param_bytes, 2u * 5000u * 8u);
  EXPECT_EQ(e.bytes, (e.cube_bytes + e.param_bytes) * 5 / 4);
  EXPECT_EQ(e.largest_scenario, "s4000");
}

// check_memory's message for a run that does not fit (empty, and a failure, if it fits).
std::string refusal(const MemoryEstimate& e, std::uint64_t available, std::size_t draws) {
  try {
    check_memory(e, available, draws);
  } catch (const InputError& error) {
    return error.what();
  }
  ADD_FAILURE() << "expected InputError";
  return {};
}

TEST(MemoryEstimate, TooLargeARunFailsWithFiguresAndAHint) {
  MemoryEstimate e;
  e.bytes = 10ull << 30;
  e.cube_bytes = 7ull << 30;
  e.param_bytes = 1ull << 30;
  e.largest_scenario = "big";
  EXPECT_NO_THROW(check_memory(e, 11ull << 30, 1'000'000));
  const std::string m = refusal(e, 2ull << 30, 1'000'000);
  EXPECT_NE(m.find("needs about 10 GiB"), std::string::npos) << m;
  EXPECT_NE(m.find("only 2 GiB is available"), std::string::npos) << m;
  EXPECT_NE(m.find("largest scenario 'big'"), std::string::npos) << m;
  EXPECT_NE(m.find("--draws 180000"), std::string::npos) << m;  // 1e6 * 0.2 * 0.9
}

TEST(MemoryEstimate, TheComparisonsHeldDrawsAreNamedAndLargeFiguresStayReadable) {
  MemoryEstimate e;
  e.cube_bytes = 5ull << 30;
  e.held_bytes = 1100ull << 30;
  e.bytes = e.cube_bytes + e.held_bytes + (3ull << 28);  // 1105.75 GiB
  e.largest_scenario = "big";
  const std::string m = refusal(e, 23ull << 30, 100'000'000);
  EXPECT_NE(m.find("needs about 1106 GiB (5 GiB for the draws"), std::string::npos) << m;
  EXPECT_NE(m.find("1100 GiB for the reference scenario's draws, held for the paired "
                   "comparisons"),
            std::string::npos)
      << m;
  EXPECT_NE(m.find("one at a time"), std::string::npos) << m;
  EXPECT_EQ(m.find("e+"), std::string::npos) << m;  // no 1.1e+03
  e.held_bytes = 0;                                 // not compared: neither the figure nor the hint
  const std::string plain = refusal(e, 23ull << 30, 100'000'000);
  EXPECT_NE(plain.find("needs about"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("reference"), std::string::npos) << plain;
  EXPECT_EQ(plain.find("one at a time"), std::string::npos) << plain;
}

TEST(MemoryEstimate, AvailableMemoryIsKnownOnLinux) {
  const auto bytes = available_memory_bytes();
  ASSERT_TRUE(bytes.has_value());
  EXPECT_GT(*bytes, 0u);
}

}  // namespace
}  // namespace tamnhin
