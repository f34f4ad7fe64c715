// The sampling design registry: every design parses from its printed name, names are
// unique, and the joint flag matches what the samplers do.
#include "engine/random/designs.hpp"

#include <gtest/gtest.h>

#include <set>

namespace tamnhin::random {
namespace {

TEST(Designs, EveryDesignRoundTripsThroughItsName) {
  std::set<std::string> names;
  for (const DesignInfo& d : sampling_designs()) {
    EXPECT_TRUE(names.insert(d.name).second) << d.name;
    ASSERT_TRUE(parse_sampling_design(d.name).has_value());
    EXPECT_EQ(*parse_sampling_design(d.name), d.design);
    EXPECT_STREQ(to_string(d.design), d.name);
    EXPECT_EQ(&design_info(d.design), &d);
  }
  for (SamplingDesign d : {SamplingDesign::mc, SamplingDesign::lhs, SamplingDesign::sobol})
    EXPECT_NO_THROW(design_info(d));
}

TEST(Designs, UnknownNamesAreRejected) {
  EXPECT_FALSE(parse_sampling_design("random").has_value());
  EXPECT_FALSE(parse_sampling_design("LHS").has_value());
  EXPECT_FALSE(parse_sampling_design("").has_value());
}

TEST(Designs, ListsAndJointness) {
  EXPECT_EQ(sampling_design_list(), "mc, lhs, sobol");
  EXPECT_EQ(sampling_design_names(), (std::vector<std::string>{"mc", "lhs", "sobol"}));
  EXPECT_FALSE(design_info(SamplingDesign::mc).joint);
  EXPECT_FALSE(design_info(SamplingDesign::lhs).joint);
  EXPECT_TRUE(design_info(SamplingDesign::sobol).joint);
  // A window of draws can be sampled alone except where strata span the run (lhs).
  EXPECT_TRUE(design_info(SamplingDesign::mc).per_draw);
  EXPECT_FALSE(design_info(SamplingDesign::lhs).per_draw);
  EXPECT_TRUE(design_info(SamplingDesign::sobol).per_draw);
}

}  // namespace
}  // namespace tamnhin::random
