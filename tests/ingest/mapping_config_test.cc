#include "ingest/mapping_config.h"

#include <gtest/gtest.h>

#include <string>

#include "config/config_file.h"

namespace stampede::ingest {
namespace {

Result<StatsdConfig> Parse(const std::string& yaml) {
  Result<config::FileConfig> file = config::ParseConfigText(yaml, "test.yml");
  if (!file.ok()) {
    return file.status();
  }
  return file->statsd;
}

TEST(StatsdSection, AbsentOrNullGivesDefaults) {
  Result<StatsdConfig> absent = Parse("classes: []\n");
  Result<StatsdConfig> null = Parse("statsd:\n");
  for (const auto* r : {&absent, &null}) {
    ASSERT_TRUE(r->ok()) << r->status().message();
    EXPECT_TRUE((*r)->metrics.empty());
    EXPECT_TRUE((*r)->class_tags.empty());
  }
}

TEST(StatsdSection, FullExample) {
  Result<StatsdConfig> c = Parse(R"(statsd:
  metrics:
    - {match: "myapp.cache.*.hits", name: cache.hit, tier: l1}
    - match: "myapp.db.query_time"
      name: cache.load.time
      class: users
  tags:
    class: [cache_name, "klass*"]
    tier: layer
    key: [cache_key]
)");
  ASSERT_TRUE(c.ok()) << c.status().message();
  ASSERT_EQ(c->metrics.size(), 2u);
  EXPECT_EQ(c->metrics[0].match, "myapp.cache.*.hits");
  EXPECT_EQ(c->metrics[0].signal, Signal::kHit);
  EXPECT_EQ(c->metrics[0].tier, "l1");
  EXPECT_EQ(c->metrics[0].class_name, "");
  EXPECT_EQ(c->metrics[1].signal, Signal::kLoadTime);
  EXPECT_EQ(c->metrics[1].class_name, "users");
  EXPECT_EQ(c->class_tags, (std::vector<std::string>{"cache_name", "klass*"}));
  EXPECT_EQ(c->tier_tags, (std::vector<std::string>{"layer"}));
  EXPECT_EQ(c->key_tags, (std::vector<std::string>{"cache_key"}));
}

TEST(StatsdSection, ExampleFileParses) {
  Result<config::FileConfig> file =
      config::LoadConfigFile(std::string(STAMPEDE_SOURCE_DIR) + "/examples/stampede.yml");
  ASSERT_TRUE(file.ok()) << file.status().message();
  EXPECT_FALSE(file->statsd.metrics.empty());
}

struct BadCase {
  std::string yaml;
  std::string error;  // expected substring, with line:col
};

class StatsdSectionErrorTest : public ::testing::TestWithParam<BadCase> {};

TEST_P(StatsdSectionErrorTest, NamesLineAndReason) {
  Result<StatsdConfig> c = Parse(GetParam().yaml);
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.status().message().find(GetParam().error), std::string::npos) << c.status().message();
}

std::string ManyRules(std::size_t n) {
  std::string yaml = "statsd:\n  metrics:\n";
  for (std::size_t i = 0; i < n; ++i) {
    yaml += "    - {match: a" + std::to_string(i) + ", name: cache.hit}\n";
  }
  return yaml;
}

INSTANTIATE_TEST_SUITE_P(
    Malformed, StatsdSectionErrorTest,
    ::testing::Values(
        BadCase{"statsd: 3\n", "test.yml:1:9: statsd: want a map"},
        BadCase{"statsd: [a]\n", "statsd: want a map"},
        BadCase{"statsd:\n  metric: []\n", "test.yml:2:3: statsd: unknown key \"metric\""},
        BadCase{"statsd:\n  metrics: {}\n", "statsd.metrics: want a list"},
        BadCase{"statsd:\n  metrics: [x]\n", "each rule is a map"},
        BadCase{"statsd:\n  metrics:\n    - {name: cache.hit}\n", "rule without match"},
        BadCase{"statsd:\n  metrics:\n    - {match: x}\n", "rule without name"},
        BadCase{"statsd:\n  metrics:\n    - {match: x, name: cache.hits}\n",
                "test.yml:3:24: statsd.metrics: unknown name \"cache.hits\""},
        BadCase{"statsd:\n  metrics:\n    - {match: x, name: [a]}\n", "want a string"},
        BadCase{"statsd:\n  metrics:\n    - {match: \"\", name: cache.hit}\n",
                "statsd.metrics.match: want a non-empty string"},
        BadCase{"statsd:\n  metrics:\n    - {match: x, name: cache.hit, tiers: l1}\n",
                "unknown key \"tiers\""},
        BadCase{"statsd:\n  metrics:\n    - {match: x, name: cache.hit, class: " +
                    std::string(200, 'c') + "}\n",
                "statsd.metrics.class: longer than 128 bytes"},
        BadCase{ManyRules(kMaxMetricRules + 1), "at most 256 rules"},
        BadCase{"statsd:\n  tags: [class]\n", "statsd.tags: want a map"},
        BadCase{"statsd:\n  tags: {klass: [a]}\n", "unknown key \"klass\""},
        BadCase{"statsd:\n  tags: {class: {a: b}}\n", "statsd.tags.class: want a tag name glob"},
        BadCase{"statsd:\n  tags: {class: [a, [b]]}\n", "statsd.tags.class: want a non-empty"},
        BadCase{"statsd:\n  tags: {class: [a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p,q]}\n",
                "statsd.tags.class: at most 16"}));

}  // namespace
}  // namespace stampede::ingest
