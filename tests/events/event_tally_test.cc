#include "events/event_tally.h"

#include <gtest/gtest.h>

#include "config/config_file.h"
#include "sketch/key_hash.h"
#include "support/fake_clock.h"

namespace stampede::events {
namespace {

classify::ClassesConfig Classes() {
  auto got = config::ParseConfigText("classes:\n  - {name: user, patterns: \"user:*\"}\n", "c");
  EXPECT_TRUE(got.ok());
  return got->classes;
}

TEST(EventTallyTest, CountsPerClassAndFeedsTheTracker) {
  const classify::Classifier classifier(Classes());
  KeyTracker tracker(TrackerOptions{}, classifier.size());
  EventTally tally(classifier, &tracker);
  testing::FakeClock clock;
  tally.OnEvent(0, EventKind::kDel, "user:1", clock.Now(), false);
  tally.OnEvent(0, EventKind::kKeymiss, "user:1", clock.Now(), false);
  tally.OnEvent(0, EventKind::kKeymiss, "user:1", clock.Now(), false);
  tally.OnEvent(0, EventKind::kExpired, "page:1", clock.Now(), false);
  tally.OnEvent(0, EventKind::kNew, "user:1", clock.Now(), false);
  EXPECT_EQ(tally.count(1, EventKind::kDel), 1u);
  EXPECT_EQ(tally.count(1, EventKind::kKeymiss), 2u);
  EXPECT_EQ(tally.count(1, EventKind::kNew), 1u);
  EXPECT_EQ(tally.count(0, EventKind::kExpired), 1u);
  EXPECT_EQ(tally.count(0, EventKind::kDel), 0u);
  EXPECT_EQ(tally.shed(), 0u);
  const auto inv = tracker.RecentInvalidation(sketch::KeyHash("user:1", 0), 0, clock.Now());
  ASSERT_TRUE(inv.has_value());
  EXPECT_EQ(inv->cause, sketch::Cause::kDel);
  EXPECT_EQ(inv->class_id, 1);
  EXPECT_EQ(inv->misses_since, 2u);
  EXPECT_TRUE(inv->refilled);
  EXPECT_EQ(tracker.RecentInvalidation(sketch::KeyHash("page:1", 0), 0, clock.Now())->cause,
            sketch::Cause::kExpired);
}

TEST(EventTallyTest, SheddingKeepsCountingButTracksNothing) {
  const classify::Classifier classifier(Classes());
  KeyTracker tracker(TrackerOptions{}, classifier.size());
  EventTally tally(classifier, &tracker);
  testing::FakeClock clock;
  tally.OnEvent(0, EventKind::kEvicted, "user:1", clock.Now(), true);
  tally.OnEvent(0, EventKind::kKeymiss, "user:1", clock.Now(), true);
  EXPECT_EQ(tally.count(1, EventKind::kEvicted), 1u);
  EXPECT_EQ(tally.count(1, EventKind::kKeymiss), 1u);
  EXPECT_EQ(tally.shed(), 2u);
  EXPECT_FALSE(tracker.RecentInvalidation(sketch::KeyHash("user:1", 0), 0, clock.Now()));
  EXPECT_TRUE(tracker.TopMissed(1, 5, false, clock.Now()).empty());
}

TEST(EventTallyTest, OverflowClassIsCounted) {
  std::string yaml = "classes:\n";
  for (std::size_t i = 0; i <= classify::Classifier::kMaxClasses; ++i) {
    yaml += "  - {name: c" + std::to_string(i) + ", patterns: \"k" + std::to_string(i) + ":*\"}\n";
  }
  const auto file = config::ParseConfigText(yaml, "c");
  ASSERT_TRUE(file.ok());
  const classify::Classifier classifier(file->classes);
  EventTally tally(classifier, nullptr);
  testing::FakeClock clock;
  tally.OnEvent(0, EventKind::kKeymiss, "k64:1", clock.Now(), false);
  tally.OnEvent(0, EventKind::kKeymiss, "k0:1", clock.Now(), false);
  EXPECT_EQ(tally.count(classifier.other(), EventKind::kKeymiss), 1u);
  EXPECT_EQ(tally.class_overflow(), 1u);
}

}  // namespace
}  // namespace stampede::events
