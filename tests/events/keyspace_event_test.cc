#include "events/keyspace_event.h"

#include <gtest/gtest.h>

namespace stampede::events {
namespace {

TEST(ParseChannelTest, ReadsDatabaseAndEvent) {
  for (const EventKind kind : kAllEventKinds) {
    for (const int db : {0, 7, 15, 123}) {
      const auto got = ParseChannel(ChannelName(db, kind));
      ASSERT_TRUE(got.has_value()) << ChannelName(db, kind);
      EXPECT_EQ(got->db, db);
      EXPECT_EQ(got->kind, kind);
    }
  }
  EXPECT_EQ(ChannelName(3, EventKind::kKeymiss), "__keyevent@3__:keymiss");
}

TEST(ParseChannelTest, RejectsOtherChannels) {
  for (const char* channel : {"", "__keyevent@0__:set", "__keyspace@0__:del", "__keyevent@__:del",
                              "__keyevent@x__:del", "__keyevent@0__del", "__keyevent@0__:",
                              "__keyevent@0__:dell", "news", "__keyevent@12345678__:del"}) {
    EXPECT_FALSE(ParseChannel(channel).has_value()) << channel;
  }
}

TEST(EnabledEventsTest, NeedsKeyeventAndEachClassFlag) {
  using Flags = std::array<bool, kEventKinds>;  // del, expired, evicted, keymiss, new
  struct Case {
    const char* flags;
    Flags on;
  };
  const Case cases[] = {
      {"", {false, false, false, false, false}},
      {"KA", {false, false, false, false, false}},  // keyspace channels only
      {"Ex", {false, true, false, false, false}},
      {"AE", {true, true, true, false, false}},  // A has no m or n
      {"EAmn", {true, true, true, true, true}},
      {"gxemnE", {true, true, true, true, true}},
      {"Km", {false, false, false, false, false}},
      {"Em", {false, false, false, true, false}},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(EnabledEvents(c.flags), c.on) << c.flags;
  }
}

TEST(WithNeededFlagsTest, AddsOnlyWhatIsMissing) {
  EXPECT_EQ(WithNeededFlags(""), "Egxemn");
  EXPECT_EQ(WithNeededFlags("Kl"), "KlEgxemn");
  EXPECT_EQ(WithNeededFlags("xE"), "xEgemn");
  for (const char* flags : {"", "K", "AKE", "$lsh"}) {
    const auto on = EnabledEvents(WithNeededFlags(flags));
    for (const bool b : on) {
      EXPECT_TRUE(b) << flags;
    }
  }
}

}  // namespace
}  // namespace stampede::events
