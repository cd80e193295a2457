#include "detect/indicator_state.h"

#include <gtest/gtest.h>

namespace stampede::detect {
namespace {

using Change = IndicatorState::Change;

TEST(IndicatorStateTest, RaisesAfterTwoOfThreeTriggeredTicks) {
  IndicatorState s(2, 3, 10);
  EXPECT_EQ(s.Step(true, true, false), Change::kNone);
  EXPECT_EQ(s.Step(false, false, false), Change::kNone);
  EXPECT_EQ(s.Step(true, true, false), Change::kRaised);
  EXPECT_TRUE(s.raised());
}

TEST(IndicatorStateTest, IsolatedTriggersNeverRaise) {
  IndicatorState s(2, 3, 10);
  for (int i = 0; i < 30; ++i) {
    EXPECT_EQ(s.Step(i % 3 == 0, false, false), Change::kNone) << i;
  }
  EXPECT_FALSE(s.raised());
}

TEST(IndicatorStateTest, ImmediateRaisesAtOnce) {
  IndicatorState s(2, 3, 10);
  EXPECT_EQ(s.Step(false, false, true), Change::kRaised);
}

TEST(IndicatorStateTest, HoldsWhileAboveHalfAndClearsAfterQuietTicks) {
  IndicatorState s(1, 1, 3);
  ASSERT_EQ(s.Step(true, true, false), Change::kRaised);
  for (int i = 0; i < 20; ++i) {
    EXPECT_EQ(s.Step(false, true, false), Change::kNone);  // holding: hysteresis
  }
  EXPECT_EQ(s.Step(false, false, false), Change::kNone);
  EXPECT_EQ(s.Step(false, false, false), Change::kNone);
  EXPECT_EQ(s.Step(false, false, false), Change::kCleared);
  EXPECT_FALSE(s.raised());
}

TEST(IndicatorStateTest, AQuietRunIsResetByATrigger) {
  IndicatorState s(1, 1, 3);
  ASSERT_EQ(s.Step(true, true, false), Change::kRaised);
  s.Step(false, false, false);
  s.Step(false, false, false);
  EXPECT_EQ(s.Step(true, true, false), Change::kNone);
  s.Step(false, false, false);
  s.Step(false, false, false);
  EXPECT_TRUE(s.raised());
  EXPECT_EQ(s.Step(false, false, false), Change::kCleared);
}

TEST(IndicatorStateTest, OutOfRangeSettingsAreClamped) {
  IndicatorState s(0, 0, 0);  // need 1 of 1, clear after 1
  EXPECT_EQ(s.Step(true, false, false), Change::kRaised);
  EXPECT_EQ(s.Step(false, false, false), Change::kCleared);
}

}  // namespace
}  // namespace stampede::detect
