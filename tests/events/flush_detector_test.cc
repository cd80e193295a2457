#include "events/flush_detector.h"

#include <gtest/gtest.h>

#include <sstream>

#include "redis/info_parser.h"
#include "support/fake_clock.h"

namespace stampede::events {
namespace {

std::string Info(const std::string& run_id, int flushdb, int flushall, const std::string& keyspace,
                 bool commandstats = true) {
  std::string text = "# Server\r\nrun_id:" + run_id + "\r\n";
  if (commandstats) {
    text += "# Commandstats\r\ncmdstat_get:calls=5,usec=1,usec_per_call=0.2\r\n";
    if (flushdb > 0) {
      text += "cmdstat_flushdb:calls=" + std::to_string(flushdb) + ",usec=1,usec_per_call=1\r\n";
    }
    if (flushall > 0) {
      text += "cmdstat_flushall:calls=" + std::to_string(flushall) + ",usec=1,usec_per_call=1\r\n";
    }
  }
  return text + "# Keyspace\r\n" + keyspace;
}

class FlushDetectorTest : public ::testing::Test {
 protected:
  void Sample(const std::string& text) {
    detector_.OnInfo(redis::ParseInfo(text), std::chrono::duration<double>(0));
  }
  std::ostringstream log_stream_;
  Logger log_{&log_stream_};
  testing::FakeClock clock_;
  KeyTracker tracker_{TrackerOptions{}, 1};
  FlushDetector detector_{&tracker_, clock_, log_};
};

TEST_F(FlushDetectorTest, FlushDbOfTheDatabaseThatEmptied) {
  Sample(Info("r1", 0, 0, "db0:keys=10,expires=0,avg_ttl=0\r\ndb2:keys=5,expires=0,avg_ttl=0\r\n"));
  Sample(Info("r1", 1, 0, "db0:keys=10,expires=0,avg_ttl=0\r\n"));
  EXPECT_EQ(detector_.flushes(FlushDetector::kFlushDb), 1u);
  EXPECT_EQ(detector_.flushes(FlushDetector::kFlushAll), 0u);
  const auto flushes = tracker_.RecentFlushes(clock_.Now());
  ASSERT_EQ(flushes.size(), 1u);
  EXPECT_EQ(flushes[0].db, 2);
  EXPECT_EQ(tracker_.RecentInvalidation(1234, 2, clock_.Now())->cause, sketch::Cause::kFlush);
  EXPECT_FALSE(tracker_.RecentInvalidation(1234, 0, clock_.Now()).has_value());
  EXPECT_NE(log_stream_.str().find("flush seen in INFO"), std::string::npos);
}

TEST_F(FlushDetectorTest, FlushAllCoversEveryDatabase) {
  Sample(Info("r1", 0, 2, "db0:keys=10,expires=0,avg_ttl=0\r\n"));
  Sample(Info("r1", 0, 3, ""));
  EXPECT_EQ(detector_.flushes(FlushDetector::kFlushAll), 1u);
  const auto flushes = tracker_.RecentFlushes(clock_.Now());
  ASSERT_EQ(flushes.size(), 1u);
  EXPECT_EQ(flushes[0].db, -1);
}

TEST_F(FlushDetectorTest, NoFlushWithoutEvidence) {
  Sample(Info("r1", 1, 1, "db0:keys=10,expires=0,avg_ttl=0\r\n"));
  // Keys fell (DELs, expiry) but no flush command ran.
  Sample(Info("r1", 1, 1, "db0:keys=3,expires=0,avg_ttl=0\r\n"));
  // Redis restarted: counters and keys start over; not a flush.
  Sample(Info("r2", 0, 0, ""));
  // CONFIG RESETSTAT: calls fell.
  Sample(Info("r2", 0, 0, "db0:keys=3,expires=0,avg_ttl=0\r\n"));
  for (int c = 0; c < FlushDetector::kCommands; ++c) {
    EXPECT_EQ(detector_.flushes(c), 0u) << FlushDetector::CommandName(c);
  }
  EXPECT_TRUE(tracker_.RecentFlushes(clock_.Now()).empty());
}

TEST_F(FlushDetectorTest, WithoutCommandstatsAVanishedDatabaseIsAFlush) {
  Sample(Info("r1", 0, 0, "db0:keys=10,expires=0,avg_ttl=0\r\ndb1:keys=1,expires=0,avg_ttl=0\r\n",
              false));
  Sample(Info("r1", 0, 0, "db0:keys=4,expires=0,avg_ttl=0\r\n", false));
  EXPECT_EQ(detector_.flushes(FlushDetector::kUnknown), 1u);
  const auto flushes = tracker_.RecentFlushes(clock_.Now());
  ASSERT_EQ(flushes.size(), 1u);
  EXPECT_EQ(flushes[0].db, 1);
}

TEST_F(FlushDetectorTest, FirstSampleIsOnlyABaseline) {
  Sample(Info("r1", 9, 9, ""));
  EXPECT_EQ(detector_.flushes(FlushDetector::kFlushDb), 0u);
  EXPECT_EQ(detector_.flushes(FlushDetector::kFlushAll), 0u);
}

}  // namespace
}  // namespace stampede::events
