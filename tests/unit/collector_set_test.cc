#include "collectors/collector_set.h"

#include <gtest/gtest.h>

#include <stdexcept>

#include "collectors/metric_builder.h"

namespace stampede::collectors {
namespace {

class FakeCollector : public Collector {
 public:
  enum class Mode { kOk, kFail, kThrow };
  FakeCollector(std::string name, Mode mode) : name_(std::move(name)), mode_(mode) {}
  std::string_view Name() const override { return name_; }
  Status Collect(Families& out) const override {
    out.push_back(GaugeFamily("fake_" + name_, "A fake family.", 1));
    if (mode_ == Mode::kThrow) {
      throw std::runtime_error("boom");
    }
    return mode_ == Mode::kOk ? Status::Ok() : Status::Error("failed");
  }

 private:
  std::string name_;
  Mode mode_;
};

const prometheus::MetricFamily* Find(const std::vector<prometheus::MetricFamily>& fams,
                                     const std::string& name) {
  for (const auto& f : fams) {
    if (f.name == name) {
      return &f;
    }
  }
  return nullptr;
}

double LabelledValue(const prometheus::MetricFamily& f, const std::string& collector) {
  for (const auto& m : f.metric) {
    if (!m.label.empty() && m.label[0].value == collector) {
      return m.gauge.value;
    }
  }
  return -1;
}

TEST(CollectorSetTest, ReportsSuccessPerCollectorAndKeepsGoingAfterFailures) {
  CollectorSet set({std::make_shared<FakeCollector>("a", FakeCollector::Mode::kOk),
                    std::make_shared<FakeCollector>("b", FakeCollector::Mode::kFail),
                    std::make_shared<FakeCollector>("c", FakeCollector::Mode::kThrow),
                    std::make_shared<FakeCollector>("d", FakeCollector::Mode::kOk)});
  const auto fams = set.Collect();
  const auto* success = Find(fams, "stampede_scrape_collector_success");
  ASSERT_NE(success, nullptr);
  EXPECT_EQ(LabelledValue(*success, "a"), 1);
  EXPECT_EQ(LabelledValue(*success, "b"), 0);
  EXPECT_EQ(LabelledValue(*success, "c"), 0);
  EXPECT_EQ(LabelledValue(*success, "d"), 1);
  // A failed collector's partial data stays (it is still useful); a throwing one's is dropped.
  EXPECT_NE(Find(fams, "fake_a"), nullptr);
  EXPECT_NE(Find(fams, "fake_b"), nullptr);
  EXPECT_EQ(Find(fams, "fake_c"), nullptr);
  EXPECT_NE(Find(fams, "fake_d"), nullptr);
  const auto* duration = Find(fams, "stampede_scrape_collector_duration_seconds");
  ASSERT_NE(duration, nullptr);
  EXPECT_EQ(duration->metric.size(), 4u);
  for (const auto& m : duration->metric) {
    EXPECT_GE(m.gauge.value, 0);
  }
}

}  // namespace
}  // namespace stampede::collectors
