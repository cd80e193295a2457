#include "collectors/text_exposition.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "support/exposition.h"

namespace stampede::collectors {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

std::string Spell(double v) {
  std::string out;
  AppendSampleValue(v, out);
  return out;
}

TEST(TextExpositionTest, SpellsNumbers) {
  struct Case {
    double value;
    const char* want;
  };
  const Case cases[] = {
      {0, "0"},
      {1, "1"},
      {-3, "-3"},
      {1e6, "1000000"},
      {9007199254740992.0, "9007199254740992"},  // 2^53: still exact
      {1e17, "1e+17"},                           // beyond 2^53: shortest round trip
      {0.1, "0.1"},
      {0.005, "0.005"},
      {2.5e-9, "2.5e-09"},
      {1234.5678, "1234.5678"},
      {-0.25, "-0.25"},
      {std::numeric_limits<double>::infinity(), "+Inf"},
      {-std::numeric_limits<double>::infinity(), "-Inf"},
      {std::nan(""), "NaN"},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(Spell(c.value), c.want) << c.want;
  }
}

TEST(TextExpositionTest, EveryFiniteValueReadsBackExactly) {
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mantissa(-1, 1);
  std::uniform_int_distribution<int> exponent(-300, 300);
  for (int i = 0; i < 20000; ++i) {
    const double v = std::ldexp(mantissa(rng), exponent(rng));
    EXPECT_EQ(std::strtod(Spell(v).c_str(), nullptr), v) << Spell(v);
  }
}

ClientMetric Labelled(std::vector<std::pair<std::string, std::string>> labels) {
  ClientMetric m;
  for (auto& [name, value] : labels) {
    m.label.push_back({name, value});
  }
  return m;
}

std::vector<MetricFamily> Families() {
  std::vector<MetricFamily> out;
  MetricFamily counter{
      "stampede_test_events_total", "Events, by \\kind\\.\nSecond line.", MetricType::Counter, {}};
  ClientMetric c1 = Labelled({{"kind", "a\"quoted\""}, {"node", "x\\y\nz"}});
  c1.counter.value = 12;
  ClientMetric c2;
  c2.counter.value = 3.5;
  c2.timestamp_ms = 1700000000123;
  counter.metric = {c1, c2};
  out.push_back(counter);

  MetricFamily gauge{"stampede_test_ratio", "A ratio.", MetricType::Gauge, {}};
  ClientMetric g = Labelled({{"class", "user"}});
  g.gauge.value = 0.25;
  gauge.metric = {g};
  out.push_back(gauge);

  MetricFamily untyped{"stampede_test_untyped", "Untyped.", MetricType::Untyped, {}};
  ClientMetric u;
  u.untyped.value = -2;
  untyped.metric = {u};
  out.push_back(untyped);

  MetricFamily summary{"stampede_test_latency_seconds", "A summary.", MetricType::Summary, {}};
  ClientMetric s = Labelled({{"class", "user"}});
  s.summary.sample_count = 7;
  s.summary.sample_sum = 1.75;
  s.summary.quantile = {{0.5, 0.125}, {0.99, 0.5}};
  summary.metric = {s};
  out.push_back(summary);

  MetricFamily histogram{
      "stampede_test_duration_seconds", "A histogram.", MetricType::Histogram, {}};
  ClientMetric h = Labelled({{"tier", "l1"}});
  h.histogram.sample_count = 9;
  h.histogram.sample_sum = 0.75;
  h.histogram.bucket = {{2, 0.005}, {5, 0.25}, {9, 1}};
  ClientMetric h_inf;
  h_inf.histogram.sample_count = 1;
  h_inf.histogram.bucket = {{1, std::numeric_limits<double>::infinity()}};
  histogram.metric = {h, h_inf};
  out.push_back(histogram);
  return out;
}

TEST(TextExpositionTest, WritesEveryTypeExactly) {
  std::string out;
  AppendTextExposition(Families(), out);
  EXPECT_EQ(out,
            "# HELP stampede_test_events_total Events, by \\\\kind\\\\.\\nSecond line.\n"
            "# TYPE stampede_test_events_total counter\n"
            "stampede_test_events_total{kind=\"a\\\"quoted\\\"\",node=\"x\\\\y\\nz\"} 12\n"
            "stampede_test_events_total 3.5 1700000000123\n"
            "# HELP stampede_test_ratio A ratio.\n"
            "# TYPE stampede_test_ratio gauge\n"
            "stampede_test_ratio{class=\"user\"} 0.25\n"
            "# HELP stampede_test_untyped Untyped.\n"
            "# TYPE stampede_test_untyped untyped\n"
            "stampede_test_untyped -2\n"
            "# HELP stampede_test_latency_seconds A summary.\n"
            "# TYPE stampede_test_latency_seconds summary\n"
            "stampede_test_latency_seconds_count{class=\"user\"} 7\n"
            "stampede_test_latency_seconds_sum{class=\"user\"} 1.75\n"
            "stampede_test_latency_seconds{class=\"user\",quantile=\"0.5\"} 0.125\n"
            "stampede_test_latency_seconds{class=\"user\",quantile=\"0.99\"} 0.5\n"
            "# HELP stampede_test_duration_seconds A histogram.\n"
            "# TYPE stampede_test_duration_seconds histogram\n"
            "stampede_test_duration_seconds_count{tier=\"l1\"} 9\n"
            "stampede_test_duration_seconds_sum{tier=\"l1\"} 0.75\n"
            "stampede_test_duration_seconds_bucket{tier=\"l1\",le=\"0.005\"} 2\n"
            "stampede_test_duration_seconds_bucket{tier=\"l1\",le=\"0.25\"} 5\n"
            "stampede_test_duration_seconds_bucket{tier=\"l1\",le=\"1\"} 9\n"
            "stampede_test_duration_seconds_bucket{tier=\"l1\",le=\"+Inf\"} 9\n"
            "stampede_test_duration_seconds_count 1\n"
            "stampede_test_duration_seconds_sum 0\n"
            "stampede_test_duration_seconds_bucket{le=\"+Inf\"} 1\n");
}

// The sample lines of an exposition: (name with labels up to the value, value).
std::vector<std::pair<std::string, double>> Samples(const std::string& text) {
  std::vector<std::pair<std::string, double>> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') {
      continue;
    }
    const auto space = line.rfind(' ');
    out.emplace_back(line.substr(0, line.find('{')),
                     std::strtod(line.c_str() + space + 1, nullptr));
  }
  return out;
}

// Same samples as prometheus-cpp's serializer, in the same order, value for value (only the
// spelling of numbers may differ). Timestamps aside: TextSerializer writes them too.
TEST(TextExpositionTest, SameSamplesAsTextSerializer) {
  auto families = Families();
  families[0].help = "Events.";  // TextSerializer does not escape HELP text
  families[0].metric[1].timestamp_ms = 0;
  std::string ours;
  AppendTextExposition(families, ours);
  std::ostringstream theirs;
  prometheus::TextSerializer().Serialize(theirs, families);
  const auto a = Samples(ours);
  const auto b = Samples(theirs.str());
  ASSERT_EQ(a.size(), b.size()) << ours << "\n---\n" << theirs.str();
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].first, b[i].first);
    EXPECT_DOUBLE_EQ(a[i].second, b[i].second) << a[i].first;
  }
}

TEST(TextExpositionTest, PromtoolAcceptsIt) {
  std::string out;
  AppendTextExposition(Families(), out);
  int code = -1;
  const std::string problems = testing::PromtoolCheckMetrics(out, code);
  EXPECT_EQ(code, 0) << problems;
  EXPECT_EQ(problems, "");
}

}  // namespace
}  // namespace stampede::collectors
