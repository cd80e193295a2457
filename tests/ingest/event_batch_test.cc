#include "ingest/event_batch.h"

#include <gtest/gtest.h>

#include <string>

#include "ingest/marker_request.h"
#include "ingest/statsd_mapper.h"

namespace stampede::ingest {
namespace {

constexpr std::uint64_t kSeed = 7;

TEST(EventBatch, FullExampleParses) {
  const std::string body = R"({
    "version": 1,
    "events": [
      {"class": "user_profile", "tier": "l1", "hits": 120, "misses": 8, "loads": 3,
       "coalesced": 5, "stale": 1, "lock_waits": 2, "load_seconds": [0.012, 0.03, 0.25],
       "missed_keys": ["user:42", "user:43"], "loaded_keys": ["user:42"]},
      {"misses": 1}
    ]})";
  EventBatch batch;
  BatchError error;
  ASSERT_TRUE(ParseEventBatch(body, {}, kSeed, batch, error)) << error.message;
  EXPECT_EQ(batch.totals.events, 2u);
  EXPECT_EQ(batch.totals.counts[static_cast<std::size_t>(Signal::kHit)], 120u);
  EXPECT_EQ(batch.totals.counts[static_cast<std::size_t>(Signal::kMiss)], 9u);
  EXPECT_EQ(batch.totals.counts[static_cast<std::size_t>(Signal::kLoadTime)], 3u);
  EXPECT_EQ(batch.totals.keys, 3u);
  // 6 counts + 3 durations + 3 keys + 1 miss.
  ASSERT_EQ(batch.events.size(), 13u);
  EXPECT_EQ(batch.events[0].class_name, "user_profile");
  EXPECT_EQ(batch.events[0].tier, "l1");
  EXPECT_EQ(batch.events.back().class_name, kDefaultClass);
  bool saw_key = false;
  for (const AppEvent& e : batch.events) {
    if (e.key_only && e.signal == Signal::kLoad) {
      saw_key = true;
      EXPECT_EQ(*e.key_hash, HashKey("user:42", kSeed));
    }
  }
  EXPECT_TRUE(saw_key);
}

TEST(EventBatch, EmptyEventsListIsAccepted) {
  EventBatch batch;
  BatchError error;
  ASSERT_TRUE(ParseEventBatch(R"({"version":1,"events":[]})", {}, kSeed, batch, error));
  EXPECT_EQ(batch.totals.events, 0u);
}

struct BadCase {
  std::string body;
  Reject reason;
  std::string field;
};

class EventBatchErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(EventBatchErrorTest, RefusedWholeNamingTheField) {
  const BadCase& c = GetParam();
  EventBatch batch;
  BatchError error;
  ASSERT_FALSE(ParseEventBatch(c.body, {}, kSeed, batch, error)) << c.body;
  EXPECT_EQ(RejectName(error.reason), RejectName(c.reason)) << error.message;
  EXPECT_EQ(error.field, c.field) << error.message;
  EXPECT_FALSE(error.message.empty());
  EXPECT_EQ(error.message.find('\n'), std::string::npos);
  EXPECT_TRUE(batch.events.empty());
}

std::string Events(std::size_t n) {
  std::string body = R"({"version":1,"events":[)";
  for (std::size_t i = 0; i < n; ++i) {
    body += (i ? ",{\"hits\":1}" : "{\"hits\":1}");
  }
  return body + "]}";
}

std::string Nested(std::size_t depth) {
  return R"({"version":1,"events":[{"hits":)" + std::string(depth, '[') + std::string(depth, ']') +
         "}]}";
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, EventBatchErrorTest,
    ::testing::Values(
        BadCase{"", Reject::kInvalidJson, ""}, BadCase{"{", Reject::kInvalidJson, ""},
        BadCase{R"({"version":1,"events":[{"hits":1})", Reject::kInvalidJson, ""},  // truncated
        BadCase{"\xff", Reject::kInvalidJson, ""},
        BadCase{R"({"version":1,"events":[{"class":"\xff"}]})", Reject::kInvalidJson, ""},
        BadCase{"[]", Reject::kBadField, ""}, BadCase{"42", Reject::kBadField, ""},
        BadCase{R"({"events":[]})", Reject::kBadField, "version"},
        BadCase{R"({"version":2,"events":[]})", Reject::kBadField, "version"},
        BadCase{R"({"version":"1","events":[]})", Reject::kBadField, "version"},
        BadCase{R"({"version":1})", Reject::kBadField, "events"},
        BadCase{R"({"version":1,"events":{}})", Reject::kBadField, "events"},
        BadCase{R"({"version":1,"events":[],"extra":1})", Reject::kBadField, "extra"},
        BadCase{R"({"version":1,"events":[1]})", Reject::kBadField, "events[0]"},
        BadCase{R"({"version":1,"events":[{"hits":1},{"hitz":1}]})", Reject::kBadField,
                "events[1].hitz"},
        BadCase{R"({"version":1,"events":[{"hits":"1"}]})", Reject::kBadField, "events[0].hits"},
        BadCase{R"({"version":1,"events":[{"hits":1.5}]})", Reject::kBadField, "events[0].hits"},
        BadCase{R"({"version":1,"events":[{"hits":true}]})", Reject::kBadField, "events[0].hits"},
        BadCase{R"({"version":1,"events":[{"hits":null}]})", Reject::kBadField, "events[0].hits"},
        BadCase{R"({"version":1,"events":[{"misses":-1}]})", Reject::kNegativeValue,
                "events[0].misses"},
        BadCase{R"({"version":1,"events":[{"loads":1000000000001}]})", Reject::kBadField,
                "events[0].loads"},
        BadCase{R"({"version":1,"events":[{"loads":18446744073709551616}]})", Reject::kBadField,
                "events[0].loads"},  // past uint64: a float
        BadCase{R"({"version":1,"events":[{"loads":1e400}]})", Reject::kInvalidJson, ""},
        BadCase{R"({"version":1,"events":[{"class":7}]})", Reject::kBadField, "events[0].class"},
        BadCase{R"({"version":1,"events":[{"tier":")" + std::string(129, 't') + R"("}]})",
                Reject::kLabelTooLong, "events[0].tier"},
        BadCase{R"({"version":1,"events":[{"load_seconds":0.1}]})", Reject::kBadField,
                "events[0].load_seconds"},
        BadCase{R"({"version":1,"events":[{"load_seconds":[0.1,"x"]}]})", Reject::kBadField,
                "events[0].load_seconds[1]"},
        BadCase{R"({"version":1,"events":[{"load_seconds":[-0.1]}]})", Reject::kNegativeValue,
                "events[0].load_seconds[0]"},
        BadCase{R"({"version":1,"events":[{"load_seconds":[1e9]}]})", Reject::kBadField,
                "events[0].load_seconds[0]"},
        BadCase{R"({"version":1,"events":[{"misses":1,"missed_keys":["a","b"]}]})",
                Reject::kBadField, "events[0].missed_keys"},
        BadCase{R"({"version":1,"events":[{"loads":1,"loaded_keys":[""]}]})", Reject::kBadField,
                "events[0].loaded_keys[0]"},
        BadCase{R"({"version":1,"events":[{"loads":1,"loaded_keys":[1]}]})", Reject::kBadField,
                "events[0].loaded_keys[0]"},
        BadCase{R"({"version":1,"events":[{"loads":1,"loaded_keys":"a"}]})", Reject::kBadField,
                "events[0].loaded_keys"},
        BadCase{Events(1001), Reject::kTooManyEvents, "events"},
        BadCase{Nested(9), Reject::kInvalidJson, ""},
        BadCase{std::string(100000, '['), Reject::kInvalidJson, ""}));

TEST(EventBatch, ABadEventLateInTheBatchRefusesAllOfIt) {
  EventBatch batch;
  BatchError error;
  EXPECT_FALSE(ParseEventBatch(R"({"version":1,"events":[{"hits":5},{"hits":-1}]})", {}, kSeed,
                               batch, error));
  EXPECT_TRUE(batch.events.empty());
}

TEST(EventBatch, LimitsAreConfigurable) {
  BatchLimits limits;
  limits.max_events = 2;
  limits.max_keys = 1;
  EventBatch batch;
  BatchError error;
  EXPECT_TRUE(ParseEventBatch(Events(2), limits, kSeed, batch, error));
  EXPECT_FALSE(ParseEventBatch(Events(3), limits, kSeed, batch, error));
  EXPECT_FALSE(ParseEventBatch(R"({"version":1,"events":[{"misses":2,"missed_keys":["a","b"]}]})",
                               limits, kSeed, batch, error));
  EXPECT_EQ(error.field, "events[0].missed_keys");
}

TEST(JsonDepth, CountsOutsideStringsOnly) {
  EXPECT_EQ(JsonDepth(R"({"a":[1,{"b":2}]})", 10), 3u);
  EXPECT_EQ(JsonDepth(R"({"a":"[[[[\"[["})", 10), 1u);
  EXPECT_EQ(JsonDepth("", 10), 0u);
  EXPECT_EQ(JsonDepth(std::string(1000, '['), 5), 6u);  // stops early past the limit
}

struct MarkerCase {
  std::string body;
  bool ok;
  std::string field;
};

class MarkerRequestTest : public ::testing::TestWithParam<MarkerCase> {};

TEST_P(MarkerRequestTest, ParsesOrNamesTheField) {
  MarkerRequest request;
  BatchError error;
  EXPECT_EQ(ParseMarkerRequest(GetParam().body, request, error), GetParam().ok)
      << GetParam().body << " " << error.message;
  if (!GetParam().ok) {
    EXPECT_EQ(error.field, GetParam().field) << error.message;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, MarkerRequestTest,
    ::testing::Values(MarkerCase{R"({"kind":"deploy","duration":"10m"})", true, ""},
                      MarkerCase{R"({"kind":"purge","class":"user","duration":"90s"})", true, ""},
                      MarkerCase{R"({"kind":"warmup","class":"all","duration":"24h"})", true, ""},
                      MarkerCase{R"({"kind":"maintenance","duration":"1ms"})", true, ""},
                      MarkerCase{R"({"kind":"party","duration":"10m"})", false, "kind"},
                      MarkerCase{R"({"kind":1,"duration":"10m"})", false, "kind"},
                      MarkerCase{R"({"duration":"10m"})", false, "kind"},
                      MarkerCase{R"({"kind":"deploy"})", false, "duration"},
                      MarkerCase{R"({"kind":"deploy","duration":"0s"})", false, "duration"},
                      MarkerCase{R"({"kind":"deploy","duration":"25h"})", false, "duration"},
                      MarkerCase{R"({"kind":"deploy","duration":600})", false, "duration"},
                      MarkerCase{R"({"kind":"deploy","duration":"soon"})", false, "duration"},
                      MarkerCase{R"({"kind":"deploy","duration":"1m","class":""})", false, "class"},
                      MarkerCase{R"({"kind":"deploy","duration":"1m","klass":"a"})", false,
                                 "klass"},
                      MarkerCase{R"({"kind":"deploy","duration":"1m","class":[[]]})", false, ""},
                      MarkerCase{R"({"kind":"deploy")", false, ""}, MarkerCase{"[]", false, ""}));

// Found by fuzzing (corpus regress_unknown_key_control, regress_unknown_event_key_control): an
// unknown key is the client's text, and was echoed raw into the field and the message (which
// are logged), control bytes and all.
TEST(EventBatchTest, UnknownKeysAreEscapedInFieldAndMessage) {
  struct Case {
    std::string body;
    std::string field;
  };
  const Case cases[] = {
      {"{\"\x7f\":[]}", "\\x7f"},
      {"{\"version\":1,\"events\":[{\"hits\":1,\"cl\\u0001ass\\n\":\"x\"}]}",
       "events[0].cl\\x01ass\\x0a"},
      {"{\"version\":1,\"x" + std::string(100, 'y') + "\":1}", "x" + std::string(63, 'y') + "..."},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.body);
    EventBatch batch;
    BatchError error;
    ASSERT_FALSE(ParseEventBatch(c.body, {}, kSeed, batch, error));
    EXPECT_EQ(RejectName(error.reason), RejectName(Reject::kBadField)) << error.message;
    EXPECT_EQ(error.field, c.field);
    EXPECT_EQ(error.message.rfind(c.field + ": unknown field", 0), 0u) << error.message;
    for (const char ch : error.message) {
      EXPECT_FALSE(ch >= 0 && ch < 0x20) << error.message;
      EXPECT_NE(ch, 0x7f) << error.message;
    }
  }
}

// Found by fuzzing (corpus marker/regress_unknown_key_control): as for event batches.
TEST(MarkerRequestEscapeTest, UnknownKeysAreEscapedInFieldAndMessage) {
  MarkerRequest request;
  BatchError error;
  ASSERT_FALSE(ParseMarkerRequest("{\"\x7f\":\"\"}", request, error));
  EXPECT_EQ(error.field, "\\x7f");
  EXPECT_EQ(error.message, "\\x7f: unknown field (want kind, class and duration)");
  ASSERT_FALSE(ParseMarkerRequest("{\"kind\":\"deploy\",\"a\\nb\":1}", request, error));
  EXPECT_EQ(error.field, "a\\x0ab");
  EXPECT_EQ(error.message.find('\n'), std::string::npos) << error.message;
}

}  // namespace
}  // namespace stampede::ingest
