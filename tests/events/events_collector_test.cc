#include "events/events_collector.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>

#include "config/config_file.h"
#include "support/exposition.h"
#include "support/fake_clock.h"

namespace stampede::events {
namespace {

TEST(EventsCollectorTest, ExportsEveryClassAndEventAndIsPromtoolClean) {
  const auto file =
      config::ParseConfigText("classes:\n  - {name: user, patterns: \"user:*\"}\n", "c");
  ASSERT_TRUE(file.ok());
  const classify::Classifier classifier(file->classes);
  KeyTracker tracker(TrackerOptions{}, classifier.size());
  EventTally tally(classifier, &tracker);
  testing::FakeClock clock;
  std::ostringstream log_stream;
  Logger log(&log_stream);
  FlushDetector flushes(&tracker, clock, log);
  Subscriber::Options options;  // never started: disconnected, states unknown
  Subscriber subscriber(options, tally, clock, log);
  tally.OnEvent(0, EventKind::kKeymiss, "user:1", clock.Now(), false);
  tally.OnEvent(0, EventKind::kKeymiss, "user:2", clock.Now(), true);

  EventsCollector collector(tally, {&subscriber}, flushes, tracker);
  collectors::Families families;
  ASSERT_TRUE(collector.Collect(families).ok());
  const std::string text = prometheus::TextSerializer().Serialize(families);
  EXPECT_EQ(testing::SampleValue(
                text, "stampede_keyspace_events_total{class=\"user\",event=\"keymiss\"}"),
            2);
  EXPECT_EQ(
      testing::SampleValue(text, "stampede_keyspace_events_total{class=\"default\",event=\"new\"}"),
      0);
  EXPECT_EQ(testing::SampleValue(text, "stampede_notifications_events_shed_total"), 1);
  EXPECT_EQ(testing::SampleValue(text, "stampede_notifications_connected"), 0);
  EXPECT_EQ(testing::SampleValue(text, "stampede_keyspace_flushes_total{command=\"flushdb\"}"), 0);
  EXPECT_EQ(text.find("stampede_notifications_enabled{"), std::string::npos)
      << "unknown states are not exported";
  int code = -1;
  EXPECT_EQ(testing::PromtoolCheckMetrics(text, code), "");
  EXPECT_EQ(code, 0);
}

}  // namespace
}  // namespace stampede::events
