#include "ingest/markers.h"

#include <gtest/gtest.h>

#include "support/fake_clock.h"

namespace stampede::ingest {
namespace {

using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(MarkerTable, ExpiresByTheInjectedClock) {
  testing::FakeClock clock;
  MarkerTable table(clock);
  ASSERT_TRUE(table.Add(MarkerKind::kDeploy, "user", minutes(10)).ok());
  ASSERT_TRUE(table.Add(MarkerKind::kPurge, "all", minutes(1)).ok());
  EXPECT_EQ(table.Active().size(), 2u);
  EXPECT_TRUE(table.Covers("orders"));  // via "all"
  clock.Advance(minutes(1));
  ASSERT_EQ(table.Active().size(), 1u);  // the end is exclusive
  EXPECT_EQ(table.Active()[0].kind, MarkerKind::kDeploy);
  EXPECT_FALSE(table.Covers("orders"));
  EXPECT_TRUE(table.Covers("user"));
  clock.Advance(minutes(9) - milliseconds(1));
  EXPECT_TRUE(table.Covers("user"));
  clock.Advance(milliseconds(1));
  EXPECT_TRUE(table.Active().empty());
}

TEST(MarkerTable, BoundedNumberOfActiveMarkers) {
  testing::FakeClock clock;
  MarkerTable table(clock);
  for (std::size_t i = 0; i < kMaxActiveMarkers; ++i) {
    ASSERT_TRUE(table.Add(MarkerKind::kWarmup, "c", seconds(10)).ok());
  }
  EXPECT_FALSE(table.Add(MarkerKind::kWarmup, "c", seconds(10)).ok());
  clock.Advance(seconds(10));
  EXPECT_TRUE(table.Add(MarkerKind::kWarmup, "c", seconds(10)).ok());  // room again
}

TEST(MarkerCollector, OneSeriesPerActiveKindAndClass) {
  testing::FakeClock clock;
  auto table = std::make_shared<MarkerTable>(clock);
  ASSERT_TRUE(table->Add(MarkerKind::kDeploy, "user", minutes(10)).ok());
  ASSERT_TRUE(table->Add(MarkerKind::kDeploy, "user", minutes(5)).ok());
  ASSERT_TRUE(table->Add(MarkerKind::kMaintenance, "all", minutes(1)).ok());
  MarkerCollector collector(table);
  collectors::Families out;
  ASSERT_TRUE(collector.Collect(out).ok());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].name, "stampede_marker_active");
  EXPECT_EQ(out[0].metric.size(), 2u);
  clock.Advance(minutes(1));
  out.clear();
  ASSERT_TRUE(collector.Collect(out).ok());
  ASSERT_EQ(out[0].metric.size(), 1u);
  EXPECT_EQ(out[0].metric[0].label[0].value, "deploy");
  EXPECT_EQ(out[0].metric[0].label[1].value, "user");
}

TEST(MarkerKinds, RoundTrip) {
  for (const auto kind :
       {MarkerKind::kDeploy, MarkerKind::kWarmup, MarkerKind::kPurge, MarkerKind::kMaintenance}) {
    EXPECT_EQ(ParseMarkerKind(MarkerKindName(kind)), kind);
  }
  EXPECT_FALSE(ParseMarkerKind("Deploy"));
}

}  // namespace
}  // namespace stampede::ingest
