//===- IntegerRulesTest.cpp - Tests of the shared integer rules ----------===//

#include "qnn/Support/IntegerRules.h"

#include <gtest/gtest.h>

using namespace qnn::rules;

namespace {

TEST(RoundingShiftRight, TiesFollowTheRule) {
  // 5 / 2 = 2.5, -5 / 2 = -2.5
  EXPECT_EQ(roundingShiftRight(5, 1, Rounding::HalfUp), 3);
  EXPECT_EQ(roundingShiftRight(-5, 1, Rounding::HalfUp), -2);
  EXPECT_EQ(roundingShiftRight(5, 1, Rounding::HalfEven), 2);
  EXPECT_EQ(roundingShiftRight(-5, 1, Rounding::HalfEven), -2);
  EXPECT_EQ(roundingShiftRight(5, 1, Rounding::HalfAwayFromZero), 3);
  EXPECT_EQ(roundingShiftRight(-5, 1, Rounding::HalfAwayFromZero), -3);
}

} // namespace
