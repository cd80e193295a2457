#include "detect/engine.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <sstream>
#include <string>

#include "detect/format.h"
#include "support/fake_clock.h"

namespace stampede::detect {
namespace {

using ::testing::HasSubstr;

class FakeWallClock : public WallClock {
 public:
  time_point Now() const override { return now; }
  time_point now = time_point(std::chrono::seconds(1'800'000'000));
};

constexpr std::uint64_t kHot = 0x0123456789abcdef;

// Drives an Engine tick by tick with a class user_profile whose app reports ~1,000 lookups/s
// at a 95% hit ratio.
class EngineTest : public ::testing::Test {
 protected:
  void Make(Engine::Options options = {}) {
    options.classes["user_profile"].expected_hit_ratio = 0.95;
    engine_ = std::make_unique<Engine>(
        std::move(options), [this](std::string_view c) { return marker_ && c == "user_profile"; },
        wall_, log_);
  }

  TickInput Normal() {
    TickInput in;
    ClassSecond& c = in.classes["user_profile"];
    c.app_reported = true;
    c.app_hits = 950;
    c.app_misses = 50;
    c.app_loads = 50;
    c.keymiss = 50;
    ClassSecond& all = in.classes[std::string(kAllClass)];
    all.info_ok = true;
    all.info_hits = 950;
    all.info_misses = 50;
    KeyEvidence& k = in.keys["user_profile"];
    k.window_seconds = 10;
    k.window_misses = 500;
    k.distinct_missed = 500;
    return in;
  }

  // The celebrity's key was deleted and 800 callers/s miss it; `loads_per_key` of them load it.
  TickInput Herd(double loads_per_key) {
    TickInput in = Normal();
    ClassSecond& c = in.classes["user_profile"];
    c.app_hits = 200;
    c.app_misses = 850;
    c.app_loads = 50 + loads_per_key;
    KeyEvidence& k = in.keys["user_profile"];
    HerdKey herd;
    herd.hash = kHot;
    herd.key = "user:42";
    herd_size_ += 800;
    herd.herd_size = herd_size_;
    herd.misses = herd_size_;
    herd.cause = Cause::kDel;
    herd.invalidated_at = deleted_at_;
    k.herd_keys = {herd};
    k.window_misses = 500 + herd_size_;
    k.app_keys = true;
    k.keyed_loads = loads_per_key * 10;
    k.distinct_loaded_keys = 1;
    k.max_loads_per_key = loads_per_key * 10;
    k.max_loads_key_hash = kHot;
    return in;
  }

  void Tick(TickInput in) {
    clock_.Advance(std::chrono::seconds(1));
    wall_.now += std::chrono::seconds(1);
    in.now = clock_.Now();
    engine_->Tick(in);
  }

  const ClassView& View(std::string_view name) {
    views_ = engine_->Classes();
    for (const ClassView& v : views_) {
      if (v.name == name) {
        return v;
      }
    }
    ADD_FAILURE() << "no class " << name;
    return views_.front();
  }

  void Warm(int seconds) {
    for (int i = 0; i < seconds; ++i) {
      Tick(Normal());
    }
  }

  // Ticks until `pred` or `max` ticks; the ticks taken (max + 1 when it never held).
  template <typename Pred>
  int TicksUntil(Pred pred, int max, const std::function<TickInput()>& input) {
    for (int i = 1; i <= max; ++i) {
      Tick(input());
      if (pred()) {
        return i;
      }
    }
    return max + 1;
  }

  testing::FakeClock clock_;
  FakeWallClock wall_;
  std::ostringstream log_text_;
  Logger log_{&log_text_};
  std::unique_ptr<Engine> engine_;
  std::vector<ClassView> views_;
  bool marker_ = false;
  std::uint32_t herd_size_ = 0;
  Clock::time_point deleted_at_;
};

TEST_F(EngineTest, ACelebrityHerdWithAmplificationIsAStampedeCausedByItsDel) {
  Make();
  Warm(30);
  EXPECT_EQ(View("user_profile").level, Level::kNone);
  deleted_at_ = clock_.Now();
  const int ticks = TicksUntil([&] { return View("user_profile").level == Level::kStampede; }, 10,
                               [&] { return Herd(200); });
  EXPECT_LE(ticks, 3);
  const ClassView& v = View("user_profile");
  EXPECT_EQ(v.verdict_rises.at({Level::kStampede, false}), 1u);
  EXPECT_EQ(v.verdict_rises.count({Level::kStampede, true}), 0u);
  const std::vector<Incident> incidents = engine_->Incidents(10);
  ASSERT_EQ(incidents.size(), 1u);
  const Incident& i = incidents[0];
  EXPECT_EQ(i.class_name, "user_profile");
  EXPECT_EQ(i.level, Level::kStampede);
  EXPECT_EQ(i.cause, Cause::kDel);
  EXPECT_EQ(i.cause_key_hash, kHot);
  EXPECT_EQ(i.cause_key, "") << "raw keys only with show_keys";
  EXPECT_TRUE(i.open);
  ASSERT_FALSE(i.timeline.empty());
  EXPECT_THAT(i.timeline.front().text,
              HasSubstr("DEL of key#" + HashHex(kHot) + " (user_profile)"));
  EXPECT_THAT(log_text_.str(), HasSubstr("msg=\"incident opened\""));
  EXPECT_THAT(log_text_.str(), ::testing::Not(HasSubstr("user:42")));
}

TEST_F(EngineTest, TheIncidentResolvesWithPeaksOnceTrafficRecovers) {
  Engine::Options options;
  options.show_keys = true;
  Make(options);
  Warm(30);
  deleted_at_ = clock_.Now();
  for (int i = 0; i < 5; ++i) {
    Tick(Herd(200));
  }
  Warm(40);
  const std::vector<Incident> incidents = engine_->Incidents(10);
  ASSERT_EQ(incidents.size(), 1u);
  const Incident& i = incidents[0];
  EXPECT_FALSE(i.open);
  ASSERT_TRUE(i.resolved.has_value());
  EXPECT_EQ(i.cause_key, "user:42");
  EXPECT_GE(i.peak_key_misses_per_second, 800);
  EXPECT_GE(i.peak_origin_loads_per_second, 250);
  ASSERT_TRUE(i.lowest_hit_ratio.has_value());
  EXPECT_LT(*i.lowest_hit_ratio, 0.5);
  EXPECT_THAT(i.timeline.back().text, HasSubstr("recovered after"));
  EXPECT_THAT(i.timeline.front().text, HasSubstr("DEL of user:42"));
  EXPECT_EQ(View("user_profile").level, Level::kNone);
}

TEST_F(EngineTest, AHerdWithOneLoadPerKeyIsOnlyAHerdRisk) {
  Make();
  Warm(30);
  deleted_at_ = clock_.Now();
  for (int i = 0; i < 6; ++i) {
    Tick(Herd(0.1));  // the callers wait on one load: coalesced
  }
  EXPECT_EQ(View("user_profile").level, Level::kHerdRisk);
  EXPECT_EQ(View("user_profile").verdict_rises.at({Level::kHerdRisk, false}), 1u);
  EXPECT_EQ(View("user_profile").verdict_rises.count({Level::kStampede, false}), 0u);
  EXPECT_TRUE(View("user_profile").raised[static_cast<std::size_t>(Indicator::kHotKeyHerd)]);
  EXPECT_FALSE(
      View("user_profile").raised[static_cast<std::size_t>(Indicator::kOriginAmplification)]);
}

TEST_F(EngineTest, BlindDemotesAStampedeToAHerdRisk) {
  Make();
  Warm(30);
  deleted_at_ = clock_.Now();
  for (int i = 0; i < 6; ++i) {
    TickInput in = Herd(200);
    in.health.counter_reset = true;  // e.g. Redis restarted under the herd
    Tick(in);
  }
  EXPECT_TRUE(View("all").raised[static_cast<std::size_t>(Indicator::kBlind)]);
  EXPECT_EQ(View("user_profile").level, Level::kHerdRisk);
}

TEST_F(EngineTest, DetectionsInsideAMarkerAreCountedAsExpected) {
  Make();
  Warm(30);
  marker_ = true;
  deleted_at_ = clock_.Now();
  for (int i = 0; i < 4; ++i) {
    Tick(Herd(200));
  }
  const ClassView& v = View("user_profile");
  EXPECT_EQ(v.detections.count({Indicator::kHotKeyHerd, Cause::kDel, true}), 1u);
  EXPECT_EQ(v.detections.count({Indicator::kHotKeyHerd, Cause::kDel, false}), 0u);
  EXPECT_EQ(v.verdict_rises.at({Level::kStampede, true}), 1u);
  EXPECT_EQ(v.verdict_rises.count({Level::kStampede, false}), 0u);
  EXPECT_TRUE(engine_->Incidents(1).at(0).expected);
}

TEST_F(EngineTest, TheAllClassSpeaksOnlyForACliffNoNamedClassExplains) {
  Make();
  Warm(30);
  // INFO's hit ratio collapses while no app class sees anything.
  for (int i = 0; i < 5; ++i) {
    TickInput in = Normal();
    ClassSecond& all = in.classes[std::string(kAllClass)];
    all.info_hits = 50;
    all.info_misses = 950;
    Tick(in);
  }
  EXPECT_EQ(View("all").level, Level::kHerdRisk);
  EXPECT_EQ(View("user_profile").level, Level::kNone);
}

TEST_F(EngineTest, ClassesPastTheBoundAreCountedNotTracked) {
  Engine::Options options;
  options.max_classes = 2;
  Make(options);
  TickInput in = Normal();
  in.classes["b"];
  in.classes["c"];
  Tick(in);
  EXPECT_EQ(engine_->Classes().size(), 3u);  // `all` and the first two named classes
  EXPECT_EQ(engine_->stats().class_overflow, 1u);
}

TEST_F(EngineTest, TheIncidentLogKeepsItsBound) {
  Engine::Options options;
  options.max_incidents = 1;
  Make(options);
  for (int round = 0; round < 2; ++round) {
    Warm(40);
    deleted_at_ = clock_.Now();
    herd_size_ = 0;
    for (int i = 0; i < 4; ++i) {
      Tick(Herd(200));
    }
  }
  Warm(40);
  EXPECT_EQ(engine_->Incidents(10).size(), 1u);
  EXPECT_EQ(engine_->stats().incidents_opened, 2u);
  EXPECT_EQ(engine_->stats().incidents_evicted, 1u);
  EXPECT_FALSE(engine_->FindIncident(1).has_value());
  EXPECT_TRUE(engine_->FindIncident(2).has_value());
}

TEST(EngineCheckTest, UnknownOptionsAreRefusedWithTheirClass) {
  Engine::Options options;
  options.classes["user_profile"].overrides = {{"d5.min_lods", 3}};
  const Status s = Engine::Check(options);
  ASSERT_FALSE(s.ok());
  EXPECT_THAT(s.message(),
              HasSubstr("class user_profile: unknown detector option \"d5.min_lods\""));
  options.classes.clear();
  options.global = {{"d1.min_lookups", 10}};
  EXPECT_TRUE(Engine::Check(options).ok());
}

}  // namespace
}  // namespace stampede::detect

namespace stampede::detect {
namespace {

// After a restart the cache is cold: every hot key misses and reloads at once. The episode
// began blind, so it stays a herd_risk even once the counters look sane again.
TEST_F(EngineTest, AnEpisodeThatBeganBlindNeverBecomesAStampede) {
  Make();
  Warm(30);
  deleted_at_ = clock_.Now();
  TickInput first = Herd(200);
  first.health.counter_reset = true;
  Tick(first);
  for (int i = 0; i < 20; ++i) {
    Tick(Herd(200));
  }
  EXPECT_FALSE(View("all").raised[static_cast<std::size_t>(Indicator::kBlind)]);
  EXPECT_EQ(View("user_profile").level, Level::kHerdRisk);
  // A later, separate episode is judged on its own.
  Warm(40);
  EXPECT_EQ(View("user_profile").level, Level::kNone);
  herd_size_ = 0;
  deleted_at_ = clock_.Now();
  for (int i = 0; i < 4; ++i) {
    Tick(Herd(200));
  }
  EXPECT_EQ(View("user_profile").level, Level::kStampede);
}

}  // namespace
}  // namespace stampede::detect

namespace stampede::detect {
namespace {

// The herd's DEL is the cause of what follows it (D5 here), and a timeline says what raised
// each indicator, not what it reads later.
TEST_F(EngineTest, AHerdsDelIsTheCauseOfTheAmplificationThatFollows) {
  Make();
  Warm(30);
  deleted_at_ = clock_.Now();
  for (int i = 0; i < 4; ++i) {
    Tick(Herd(200));
  }
  const ClassView& v = View("user_profile");
  EXPECT_EQ(v.detections.count({Indicator::kOriginAmplification, Cause::kDel, false}), 1u);
  EXPECT_EQ(v.detections.count({Indicator::kOriginAmplification, Cause::kUnknown, false}), 0u);
  const Incident i = engine_->Incidents(1).at(0);
  for (std::size_t k = 1; k < i.timeline.size(); ++k) {
    EXPECT_LE(i.timeline[k - 1].at, i.timeline[k].at) << i.timeline[k].text;
  }
}

// A prediction is not something that happened: a cliff after it is not blamed on it.
TEST_F(EngineTest, APredictedExpiryCliffIsNoCause) {
  Make();
  Warm(30);
  TickInput in = Normal();
  TtlSample sample;
  sample.taken = clock_.Now();
  sample.sampled = 200;
  for (int k = 0; k < 100; ++k) {
    sample.expiries.push_back(clock_.Now() + std::chrono::seconds(300));
  }
  in.ttl["user_profile"] = sample;
  Tick(in);
  ASSERT_TRUE(
      View("user_profile").raised[static_cast<std::size_t>(Indicator::kExpiryCliffPredicted)]);
  for (int i = 0; i < 5; ++i) {
    TickInput cliff = Normal();
    cliff.classes["user_profile"].app_hits = 50;
    cliff.classes["user_profile"].app_misses = 950;
    cliff.ttl["user_profile"] = sample;
    Tick(cliff);
  }
  const ClassView& v = View("user_profile");
  EXPECT_EQ(v.detections.count({Indicator::kHitRatioCliff, Cause::kExpiryCliff, false}), 0u);
  EXPECT_EQ(v.detections.count({Indicator::kHitRatioCliff, Cause::kUnknown, false}), 1u);
}

}  // namespace
}  // namespace stampede::detect
