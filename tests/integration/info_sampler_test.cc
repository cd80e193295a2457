// The sampler against a real redis-server: multi-section INFO, sinks, reconnects.
#include "redis/info_sampler.h"

#include <gtest/gtest.h>

#include <mutex>
#include <sstream>
#include <thread>

#include "support/redis_server.h"
#include "support/sync_stream.h"
#include "support/wait_for.h"

namespace stampede::redis {
namespace {

using stampede::testing::WaitFor;

using std::chrono::milliseconds;

class RecordingSink : public InfoSink {
 public:
  void OnInfo(const InfoSnapshot& info, std::chrono::duration<double> /*took*/) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++ok_;
    last_ = info;
  }
  void OnInfoError(SampleError error, std::chrono::duration<double> /*took*/) override {
    std::lock_guard<std::mutex> lock(mu_);
    ++errors_;
    last_error_ = error;
  }
  int ok() {
    std::lock_guard<std::mutex> lock(mu_);
    return ok_;
  }
  int errors() {
    std::lock_guard<std::mutex> lock(mu_);
    return errors_;
  }
  InfoSnapshot last() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  std::mutex mu_;
  int ok_ = 0;
  int errors_ = 0;
  InfoSnapshot last_;
  SampleError last_error_ = SampleError::kConnect;
};

TEST(InfoSamplerTest, AsksForEverySectionTheProductNeeds) {
  stampede::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  redis.Command({"SET", "a", "1"});
  redis.Command({"NOSUCHCOMMAND"});
  RecordingSink sink;
  stampede::testing::SyncStringStream log_out;
  Logger log(&log_out);
  InfoSampler::Options o;
  o.connection.address = redis.address();
  o.interval = milliseconds(100);
  InfoSampler sampler(o, {&sink}, log);
  EXPECT_FALSE(sampler.ready());
  sampler.Start();
  ASSERT_TRUE(WaitFor([&] { return sink.ok() >= 2; }, milliseconds(5000))) << log_out.str();
  EXPECT_TRUE(sampler.ready());
  EXPECT_TRUE(sampler.connected());
  const InfoSnapshot info = sink.last();
  for (const std::string& section : InfoSampler::Sections()) {
    EXPECT_TRUE(info.HasSection(section)) << section;
  }
  EXPECT_FALSE(info.HasSection("cpu")) << "asked for more than needed";
  EXPECT_EQ(info.issue_count, 0u);
  EXPECT_FALSE(info.commands.empty());
  EXPECT_FALSE(info.errors.empty());
  EXPECT_FALSE(info.latencies.empty());
  sampler.Stop();
  const int after_stop = sink.ok();
  std::this_thread::sleep_for(milliseconds(300));
  EXPECT_EQ(sink.ok(), after_stop) << "sampled after Stop()";
}

TEST(InfoSamplerTest, ReconnectsQuicklyAfterRedisReturns) {
  stampede::testing::RedisServer redis;
  ASSERT_TRUE(redis.Start());
  RecordingSink sink;
  stampede::testing::SyncStringStream log_out;
  Logger log(&log_out);
  InfoSampler::Options o;
  o.connection.address = redis.address();
  o.connection.connect_timeout = milliseconds(300);
  o.connection.command_timeout = milliseconds(300);
  o.interval = milliseconds(1000);
  InfoSampler sampler(o, {&sink}, log);
  sampler.Start();
  ASSERT_TRUE(WaitFor([&] { return sampler.connected(); }, milliseconds(5000)));
  redis.Kill();
  ASSERT_TRUE(WaitFor([&] { return !sampler.connected(); }, milliseconds(3000)));
  EXPECT_GE(sink.errors(), 1);
  ASSERT_TRUE(redis.Start());
  const auto back = std::chrono::steady_clock::now();
  ASSERT_TRUE(WaitFor([&] { return sampler.connected(); }, milliseconds(5000)));
  EXPECT_LE(std::chrono::steady_clock::now() - back, milliseconds(1500));
  // One "redis down" and two "redis up" lines: logged per state change, not per attempt.
  const std::string text = log_out.str();
  EXPECT_NE(text.find("msg=\"redis down\""), std::string::npos) << text;
  EXPECT_EQ(text.find("msg=\"redis down\""), text.rfind("msg=\"redis down\"")) << text;
}

}  // namespace
}  // namespace stampede::redis
