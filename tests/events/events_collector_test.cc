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
  testing::FakeClock clock;
  std::ostringstream log_stream;
  Logger log(&log_stream);
  // Never started: disconnected, states unknown.
  auto node =
      std::make_shared<NodeEvents>("", Subscriber::Options{}, classifier, &tracker, 0, clock, log);
  node->tally.OnEvent(0, EventKind::kKeymiss, "user:1", clock.Now(), false);
  node->tally.OnEvent(0, EventKind::kKeymiss, "user:2", clock.Now(), true);

  EventsCollector collector([node] { return NodeEventsList{node}; }, classifier, tracker);
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
  EXPECT_EQ(text.find("node=\""), std::string::npos) << "standalone series carry no node label";
  int code = -1;
  EXPECT_EQ(testing::PromtoolCheckMetrics(text, code), "");
  EXPECT_EQ(code, 0);
}

TEST(EventsCollectorTest, ClusterNodesCarryTheirNodeLabel) {
  const classify::Classifier classifier(classify::ClassesConfig{});
  KeyTracker tracker(TrackerOptions{}, classifier.size());
  testing::FakeClock clock;
  std::ostringstream log_stream;
  Logger log(&log_stream);
  auto a = std::make_shared<NodeEvents>("127.0.0.1:7000", Subscriber::Options{}, classifier,
                                        &tracker, 0, clock, log);
  auto b = std::make_shared<NodeEvents>("127.0.0.1:7001", Subscriber::Options{}, classifier,
                                        &tracker, 0, clock, log);
  a->tally.OnEvent(0, EventKind::kDel, "k1", clock.Now(), false);
  b->tally.OnEvent(0, EventKind::kDel, "k2", clock.Now(), false);
  b->tally.OnEvent(0, EventKind::kDel, "k3", clock.Now(), false);

  EventsCollector collector([&] { return NodeEventsList{a, b}; }, classifier, tracker);
  collectors::Families families;
  ASSERT_TRUE(collector.Collect(families).ok());
  const std::string text = prometheus::TextSerializer().Serialize(families);
  EXPECT_EQ(testing::SampleValue(text,
                                 "stampede_keyspace_events_total{class=\"default\","
                                 "event=\"del\",node=\"127.0.0.1:7000\"}"),
            1);
  EXPECT_EQ(testing::SampleValue(text,
                                 "stampede_keyspace_events_total{class=\"default\","
                                 "event=\"del\",node=\"127.0.0.1:7001\"}"),
            2);
  EXPECT_EQ(testing::SampleValue(text, "stampede_notifications_connected{node=\"127.0.0.1:7001\"}"),
            0);
  EXPECT_EQ(
      testing::SampleValue(
          text, "stampede_keyspace_flushes_total{command=\"flushall\",node=\"127.0.0.1:7000\"}"),
      0);
  int code = -1;
  EXPECT_EQ(testing::PromtoolCheckMetrics(text, code), "");
  EXPECT_EQ(code, 0);

  EventsCollector none([] { return NodeEventsList{}; }, classifier, tracker);
  collectors::Families empty;
  ASSERT_TRUE(none.Collect(empty).ok());
  EXPECT_EQ(prometheus::TextSerializer().Serialize(empty).find("stampede_keyspace_events_total"),
            std::string::npos)
      << "no family without samples before the first master is known";
}

}  // namespace
}  // namespace stampede::events
