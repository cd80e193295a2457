#include "redis/info_parser.h"

#include <gtest/gtest.h>

#include <charconv>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "support/fixtures.h"

namespace stampede::redis {
namespace {

// The shortest text that reads back as `value`, so expectations can be written as plain text.
std::string Num(double value) {
  char buffer[64];
  const auto result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  return std::string(buffer, result.ptr);
}

// Everything a snapshot holds, one item a line, so a table case can state its whole expected
// outcome (and that nothing else came out) as one string.
std::string Describe(const InfoSnapshot& s) {
  std::string out;
  for (const std::string& section : s.sections) {
    out += "section " + section + "\n";
  }
  for (const auto& [key, value] : s.fields) {
    out += "field " + key + "=" + value + "\n";
  }
  for (const KeyspaceDb& db : s.keyspace) {
    out += "db " + std::to_string(db.db) + " keys=" + Num(db.keys) + " expires=" + Num(db.expires) +
           " avg_ttl_ms=" + Num(db.avg_ttl_ms) + "\n";
  }
  for (const CommandStat& c : s.commands) {
    out += "cmd " + c.command + " calls=" + Num(c.calls) + " usec=" + Num(c.usec) +
           " rejected=" + Num(c.rejected_calls) + " failed=" + Num(c.failed_calls) + "\n";
  }
  for (const ErrorStat& e : s.errors) {
    out += "err " + e.prefix + " count=" + Num(e.count) + "\n";
  }
  for (const LatencyStat& l : s.latencies) {
    out += "lat " + l.command;
    for (const LatencyStat::Percentile& p : l.percentiles) {
      out += " " + p.quantile + "=" + Num(p.usec);
    }
    out += "\n";
  }
  for (const ReplicaLine& r : s.replicas) {
    out += "replica " + std::to_string(r.index) + " ip=" + r.ip +
           " port=" + std::to_string(r.port) + " state=" + r.state + " offset=" + Num(r.offset) +
           " lag=" + Num(r.lag) + "\n";
  }
  for (const ParseIssue& issue : s.issues) {
    out += "issue " + std::to_string(issue.line) + " " + issue.reason + "\n";
  }
  if (s.issue_count != s.issues.size()) {
    out += "issue_count " + std::to_string(s.issue_count) + "\n";
  }
  return out;
}

// Describe() of a snapshot that holds only `items` in `member`.
template <typename T>
std::string DescribeOnly(std::vector<T> InfoSnapshot::*member, std::vector<T> items) {
  InfoSnapshot s;
  s.*member = std::move(items);
  return Describe(s);
}

struct LineCase {
  const char* name;
  std::string input;
  std::string expected;  // Describe() of the parse
};

TEST(ParseInfoTest, SingleLines) {
  const std::vector<LineCase> cases = {
      {"plain field", "redis_version:7.0.15\r\n", "field redis_version=7.0.15\n"},
      {"value with ':'", "executable:/usr/bin/redis-server\r\n",
       "field executable=/usr/bin/redis-server\n"},
      {"value with several ':'", "os:a:b::c\r\n", "field os=a:b::c\n"},
      {"empty value", "config_file:\r\n", "field config_file=\n"},
      {"value of spaces kept", "os:Linux 6.1 x86_64\r\n", "field os=Linux 6.1 x86_64\n"},
      {"keyspace", "db0:keys=48,expires=48,avg_ttl=90149\r\n",
       "db 0 keys=48 expires=48 avg_ttl_ms=90149\n"},
      {"keyspace with subexpiry", "db15:keys=1,expires=0,avg_ttl=0,subexpiry=0\r\n",
       "db 15 keys=1 expires=0 avg_ttl_ms=0\n"},
      {"keyspace unknown sub-field ignored", "db1:keys=2,expires=1,avg_ttl=5,future=x\r\n",
       "db 1 keys=2 expires=1 avg_ttl_ms=5\n"},
      {"keyspace only keys", "db2:keys=7\r\n", "db 2 keys=7 expires=0 avg_ttl_ms=0\n"},
      {"cmdstat 6.0 style", "cmdstat_get:calls=3,usec=9,usec_per_call=3.00\r\n",
       "cmd get calls=3 usec=9 rejected=0 failed=0\n"},
      {"cmdstat 7.0 style",
       "cmdstat_incr:calls=51712,usec=77568,usec_per_call=1.50,rejected_calls=2,failed_calls=6\r\n",
       "cmd incr calls=51712 usec=77568 rejected=2 failed=6\n"},
      {"cmdstat subcommand",
       "cmdstat_config|get:calls=204,usec=9182,usec_per_call=45.01,rejected_calls=0,"
       "failed_calls=0\r\n",
       "cmd config|get calls=204 usec=9182 rejected=0 failed=0\n"},
      {"errorstat", "errorstat_WRONGTYPE:count=6\r\n", "err WRONGTYPE count=6\n"},
      {"latency percentiles", "latency_percentiles_usec_get:p50=2.007,p99=5.023,p99.9=90.111\r\n",
       "lat get 0.5=2.007 0.99=5.023 0.999=90.111\n"},
      {"latency quantile labels",
       "latency_percentiles_usec_set:p0=1,p5=2,p050=3,p99.99=4,p0.1=5,p100=6,p100.0=7\r\n",
       "lat set 0=1 0.05=2 0.5=3 0.9999=4 0.001=5 1=7\n"},
      {"latency subcommand", "latency_percentiles_usec_config|get:p50=41.215\r\n",
       "lat config|get 0.5=41.215\n"},
      {"latency without percentiles", "latency_percentiles_usec_get:\r\n", "lat get\n"},
      {"replica line", "slave0:ip=127.0.0.1,port=16380,state=online,offset=3171,lag=0\r\n",
       "replica 0 ip=127.0.0.1 port=16380 state=online offset=3171 lag=0\n"},
      {"replica with IPv6 address",
       "slave12:ip=fd00::7,port=6380,state=wait_bgsave,offset=0,lag=1\r\n",
       "replica 12 ip=fd00::7 port=6380 state=wait_bgsave offset=0 lag=1\n"},
      {"slave_ fields are plain", "slave_repl_offset:3171\r\nslave_read_only:1\r\nslave:x\r\n",
       "field slave=x\nfield slave_read_only=1\nfield slave_repl_offset=3171\n"},
      {"listener is plain", "listener0:name=tcp,bind=*,bind=-::*,port=6379\r\n",
       "field listener0=name=tcp,bind=*,bind=-::*,port=6379\n"},
      {"db-prefixed non-keyspace key is plain", "db0_distrib_strings_sizes:2=1,4=1\r\n",
       "field db0_distrib_strings_sizes=2=1,4=1\n"},
      {"section header", "# Server\r\nredis_version:7.0.15\r\n",
       "section server\nfield redis_version=7.0.15\n"},
      {"unknown section accepted", "# Fancystuff\r\nfancy_thing:1\r\n",
       "section fancystuff\nfield fancy_thing=1\n"},
      {"header spacing and case", "#  KeySpace  \r\n#Stats\r\n",
       "section keyspace\nsection stats\n"},
      {"repeated section recorded once", "# Stats\r\n# stats\r\n# STATS\r\n", "section stats\n"},
      {"empty header ignored", "#\r\n# \r\n", ""},
      {"blank lines ignored", "\r\n\n\r\n", ""},
      {"duplicate plain field: last wins", "k:1\r\nk:2\r\n", "field k=2\n"},
      {"duplicate keyspace line: last wins", "db0:keys=1\r\ndb1:keys=5\r\ndb0:keys=2\r\n",
       "db 0 keys=2 expires=0 avg_ttl_ms=0\ndb 1 keys=5 expires=0 avg_ttl_ms=0\n"},
      {"duplicate cmdstat: last wins", "cmdstat_get:calls=1\r\ncmdstat_get:calls=9\r\n",
       "cmd get calls=9 usec=0 rejected=0 failed=0\n"},
      {"duplicate quantile: last wins", "latency_percentiles_usec_get:p50=1,p50.0=2\r\n",
       "lat get 0.5=2\n"},
      {"truncated last line that is complete", "a:1\r\nb:2", "field a=1\nfield b=2\n"},
      {"truncated last line cut in the key", "a:1\r\nbb", "field a=1\nissue 2 missing ':'\n"},
      {"bare LF", "a:1\nb:2\n", "field a=1\nfield b=2\n"},
      {"only one CR stripped", "a:1\r\r\n", "field a=1\r\n"},
      {"huge integer accepted", "db0:keys=18446744073709551615\r\n",
       "db 0 keys=18446744073709551616 expires=0 avg_ttl_ms=0\n"},
      // Malformed lines.
      {"no colon", "no colon here\r\n", "issue 1 missing ':'\n"},
      {"empty key", ":value\r\n", "issue 1 empty key\n"},
      {"keyspace keys not a number", "db0:keys=abc,expires=0,avg_ttl=0\r\n",
       "issue 1 db0: keys is not a number\n"},
      {"keyspace bad index", "dbx:keys=1\r\n", "issue 1 dbx: bad database index\n"},
      {"keyspace negative index", "db-1:keys=1\r\n", "issue 1 db-1: bad database index\n"},
      {"keyspace index overflow", "db99999999999:keys=1\r\n",
       "issue 1 db99999999999: bad database index\n"},
      {"keyspace without keys", "db0:expires=1,avg_ttl=0\r\n", "issue 1 db0: keys missing\n"},
      {"keyspace huge number rejected", "db0:keys=1e999\r\n",
       "issue 1 db0: keys is not a number\n"},
      {"keyspace bad subexpiry", "db0:keys=1,subexpiry=x\r\n",
       "issue 1 db0: subexpiry is not a number\n"},
      {"errorstat empty count", "errorstat_ERR:count=\r\n",
       "issue 1 errorstat_ERR: count is not a number\n"},
      {"errorstat without count", "errorstat_ERR:\r\n", "issue 1 errorstat_ERR: count missing\n"},
      {"errorstat empty prefix", "errorstat_:count=1\r\n",
       "issue 1 errorstat_: empty error prefix\n"},
      {"cmdstat empty command", "cmdstat_:calls=1\r\n", "issue 1 cmdstat_: empty command name\n"},
      {"cmdstat without calls", "cmdstat_get:usec=1\r\n", "issue 1 cmdstat_get: calls missing\n"},
      {"cmdstat bad usec", "cmdstat_get:calls=1,usec=x\r\n",
       "issue 1 cmdstat_get: usec is not a number\n"},
      {"latency value not a number", "latency_percentiles_usec_get:p50=fast\r\n",
       "issue 1 latency_percentiles_usec_get: p50 is not a number\n"},
      {"latency percentile above 100", "latency_percentiles_usec_get:p150=1\r\n",
       "issue 1 latency_percentiles_usec_get: bad percentile p150\n"},
      {"latency percentile garbled", "latency_percentiles_usec_get:p99.9.9=1\r\n",
       "issue 1 latency_percentiles_usec_get: bad percentile p99.9.9\n"},
      {"latency empty command", "latency_percentiles_usec_:p50=1\r\n",
       "issue 1 latency_percentiles_usec_: empty command name\n"},
      {"replica bad port", "slave0:ip=a,port=http,state=online,offset=0,lag=0\r\n",
       "issue 1 slave0: bad port\n"},
      {"replica port out of range", "slave0:ip=a,port=65536,state=online\r\n",
       "issue 1 slave0: bad port\n"},
      {"replica without state", "slave0:ip=a,port=1\r\n",
       "issue 1 slave0: ip, port or state missing\n"},
      {"replica without anything", "slave0:\r\n", "issue 1 slave0: ip, port or state missing\n"},
      {"replica of separators", "slave0:,=,\r\n", "issue 1 slave0: ip, port or state missing\n"},
      {"replica bad offset", "slave0:ip=a,port=1,state=online,offset=-,lag=0\r\n",
       "issue 1 slave0: offset is not a number\n"},
      {"replica index overflow", "slave99999999999:ip=a\r\n",
       "issue 1 slave99999999999: bad replica index\n"},
      {"issue line numbers count blank lines", "a:1\r\n\r\n# S\r\nbad\r\nb:2\r\n",
       "section s\nfield a=1\nfield b=2\nissue 4 missing ':'\n"},
      {"lone colon", ":\r\n", "issue 1 empty key\n"},
      {"two colons", "::\r\n", "issue 1 empty key\n"},
      {"lone CRs", "\r\r\r\n", "issue 1 missing ':'\n"},
      {"db with empty value is plain", "db:\r\n", "field db=\n"},
      {"db without index", "db:keys\r\n", "issue 1 db: bad database index\n"},
      {"keyspace with empty sub-field", "db0:=\r\n", "issue 1 db0: keys missing\n"},
      {"keyspace of commas", "db0:,,,,\r\n", "issue 1 db0: keys missing\n"},
      {"keyspace trailing comma", "db0:keys=1,\r\n", "db 0 keys=1 expires=0 avg_ttl_ms=0\n"},
      {"cmdstat calls without value", "cmdstat_x:calls\r\n",
       "issue 1 cmdstat_x: calls is not a number\n"},
      {"latency bare p ignored", "latency_percentiles_usec_x:p\r\n", "lat x\n"},
      {"latency percentile without digits", "latency_percentiles_usec_x:p.=1\r\n",
       "issue 1 latency_percentiles_usec_x: bad percentile p.\n"},
      {"latency percentile ending in dot", "latency_percentiles_usec_x:p1.=1\r\n",
       "issue 1 latency_percentiles_usec_x: bad percentile p1.\n"},
      {"errorstat nan count", "errorstat_E:count=nan\r\n",
       "issue 1 errorstat_E: count is not a number\n"},
      {"NUL bytes without colon", std::string(3, '\0'), "issue 1 missing ':'\n"},
      {"non-UTF-8 bytes are data", "\xff\xfe:\xff", "field \xff\xfe=\xff\n"},
      {"non-printable key is masked in the reason", std::string("db\x01:keys=1\r\n", 12),
       "issue 1 db?: bad database index\n"},
      {"NUL bytes are data", std::string("k\0:v\0\r\n", 7), std::string("field k\0=v\0\n", 12)},
  };
  for (const LineCase& c : cases) {
    SCOPED_TRACE(c.name);
    EXPECT_EQ(Describe(ParseInfo(c.input)), c.expected);
  }
}

TEST(ParseInfoTest, EmptyInputGivesEmptySnapshot) {
  const InfoSnapshot s = ParseInfo("");
  EXPECT_EQ(Describe(s), "");
  EXPECT_EQ(s.issue_count, 0u);
}

TEST(ParseInfoTest, LineLengthLimit) {
  const std::string at_limit = "k:" + std::string(kMaxLineBytes - 2, 'v');
  const std::string over_limit = "k:" + std::string(kMaxLineBytes - 1, 'v');

  InfoSnapshot s = ParseInfo(at_limit + "\r\n");
  EXPECT_EQ(s.issue_count, 0u);
  ASSERT_TRUE(s.Text("k").has_value());
  EXPECT_EQ(s.Text("k")->size(), kMaxLineBytes - 2);

  s = ParseInfo("a:1\r\n" + over_limit + "\r\nb:2\r\n");
  EXPECT_FALSE(s.Text("k").has_value());
  EXPECT_EQ(s.Text("a"), "1");
  EXPECT_EQ(s.Text("b"), "2");
  ASSERT_EQ(s.issues.size(), 1u);
  EXPECT_EQ(s.issues[0].line, 2u);
  EXPECT_EQ(s.issues[0].reason, "line too long");

  // An over-long header is malformed too, and starts no section.
  s = ParseInfo("# " + std::string(kMaxLineBytes, 'S'));
  EXPECT_TRUE(s.sections.empty());
  EXPECT_EQ(s.issue_count, 1u);
}

TEST(ParseInfoTest, IssuesAreCappedButCounted) {
  std::string text = "# Server\r\n";
  for (int i = 0; i < 40; ++i) {
    text += "bad line " + std::to_string(i) + "\r\n";
  }
  text += "good:1\r\n";
  const InfoSnapshot s = ParseInfo(text);
  EXPECT_EQ(s.issue_count, 40u);
  ASSERT_EQ(s.issues.size(), InfoSnapshot::kMaxIssues);
  EXPECT_EQ(s.issues.front().line, 2u);
  EXPECT_EQ(s.issues.back().line, InfoSnapshot::kMaxIssues + 1);
  EXPECT_EQ(s.Number("good"), 1.0);
}

TEST(ParseInfoTest, RepeatedKeysReplaceInPlaceAmongMany) {
  std::string text = "# Commandstats\r\n";
  for (int i = 0; i < 1000; ++i) {
    text += "cmdstat_c" + std::to_string(i) + ":calls=" + std::to_string(i) + "\r\n";
  }
  text += "# Commandstats\r\ncmdstat_c0:calls=42\r\n";
  const InfoSnapshot s = ParseInfo(text);
  EXPECT_EQ(s.issue_count, 0u);
  EXPECT_EQ(s.sections, std::vector<std::string>{"commandstats"});
  ASSERT_EQ(s.commands.size(), 1000u);
  EXPECT_EQ(s.commands[0].command, "c0");
  EXPECT_EQ(s.commands[0].calls, 42.0);
  EXPECT_EQ(s.commands[999].command, "c999");
  EXPECT_EQ(s.commands[999].calls, 999.0);
}

TEST(ParseInfoTest, ReasonQuotesAtMost64BytesOfKey) {
  const std::string key = "db" + std::string(100, 'x');
  const InfoSnapshot s = ParseInfo(key + ":keys=1\r\n");
  ASSERT_EQ(s.issues.size(), 1u);
  EXPECT_EQ(s.issues[0].reason, key.substr(0, 64) + "...: bad database index");
}

TEST(ParseInfoTest, LfAndCrlfGiveIdenticalSnapshots) {
  const std::string crlf = testing::ReadTestFile("fixtures/info/redis-7.0-standalone.txt");
  ASSERT_NE(crlf.find("\r\n"), std::string::npos);
  std::string lf;
  for (char c : crlf) {
    if (c != '\r') {
      lf += c;
    }
  }
  const std::string from_crlf = Describe(ParseInfo(crlf));
  EXPECT_GT(from_crlf.size(), 1000u);
  EXPECT_EQ(from_crlf, Describe(ParseInfo(lf)));
}

TEST(InfoSnapshotTest, Accessors) {
  const InfoSnapshot s = ParseInfo(
      "# Memory\r\nused_memory:1188968\r\nused_memory_human:1.13M\r\nconfig_file:\r\n"
      "mem_fragmentation_ratio:6.32\r\nbig:1e999\r\n");
  EXPECT_EQ(s.Number("used_memory"), 1188968.0);
  EXPECT_EQ(s.Number("mem_fragmentation_ratio"), 6.32);
  EXPECT_EQ(s.Number("used_memory_human"), std::nullopt);
  EXPECT_EQ(s.Number("big"), std::nullopt);
  EXPECT_EQ(s.Number("config_file"), std::nullopt);
  EXPECT_EQ(s.Number("absent"), std::nullopt);
  EXPECT_EQ(s.Text("used_memory_human"), "1.13M");
  EXPECT_EQ(s.Text("config_file"), "");
  EXPECT_TRUE(s.Text("config_file").has_value());
  EXPECT_EQ(s.Text("absent"), std::nullopt);
  EXPECT_EQ(s.Text("used_memory_human")->data(), s.fields.at("used_memory_human").data());
  EXPECT_TRUE(s.HasSection("memory"));
  EXPECT_TRUE(s.HasSection("Memory"));
  EXPECT_TRUE(s.HasSection("MEMORY"));
  EXPECT_FALSE(s.HasSection("mem"));
  EXPECT_FALSE(s.HasSection("memoryx"));
  EXPECT_FALSE(s.HasSection(""));
  EXPECT_EQ(s.sections, std::vector<std::string>{"memory"});
}

struct NumberCase {
  const char* input;
  std::optional<double> expected;
};

TEST(ParseNumberTest, Table) {
  const std::vector<NumberCase> cases = {
      {"0", 0.0},
      {"-1", -1.0},
      {"1.5", 1.5},
      {"3.47", 3.47},
      {"-0.25", -0.25},
      {"90149", 90149.0},
      {"1e3", 1000.0},
      {"18446744073709551615", 18446744073709551615.0},
      {"+1", std::nullopt},
      {"", std::nullopt},
      {" 1", std::nullopt},
      {"1 ", std::nullopt},
      {"nan", std::nullopt},
      {"NaN", std::nullopt},
      {"inf", std::nullopt},
      {"-inf", std::nullopt},
      {"infinity", std::nullopt},
      {"1e999", std::nullopt},
      {"-1e999", std::nullopt},
      {"0x10", std::nullopt},
      {"1.0.0", std::nullopt},
      {"1.13M", std::nullopt},
      {"92.05%", std::nullopt},
      {"1e", std::nullopt},
      {"-", std::nullopt},
      {"abc", std::nullopt},
  };
  for (const NumberCase& c : cases) {
    SCOPED_TRACE(c.input);
    EXPECT_EQ(ParseNumber(c.input), c.expected);
  }
  // Not NUL-terminated: the parse must stop at the view's end.
  const std::string_view prefix = std::string_view("12345").substr(0, 2);
  EXPECT_EQ(ParseNumber(prefix), 12.0);
}

// Real captures. The expected values below were read from the fixture files, which never change.

TEST(ParseInfoFixtureTest, Standalone70) {
  const InfoSnapshot s = ParseInfo(testing::ReadTestFile("fixtures/info/redis-7.0-standalone.txt"));
  EXPECT_EQ(s.issue_count, 0u);
  EXPECT_EQ(s.sections,
            (std::vector<std::string>{"server", "clients", "memory", "stats", "replication",
                                      "commandstats", "errorstats", "latencystats", "keyspace"}));
  EXPECT_EQ(s.Text("role"), "master");
  EXPECT_EQ(s.Text("redis_version"), "7.0.15");
  EXPECT_EQ(s.Text("executable"), "/tmp/cap/redis-server");
  EXPECT_EQ(s.Text("config_file"), "");
  EXPECT_EQ(s.Number("used_memory"), 1188968.0);
  EXPECT_EQ(s.Number("mem_fragmentation_ratio"), 6.32);
  EXPECT_EQ(s.Number("keyspace_hits"), 50.0);
  EXPECT_EQ(s.Number("total_error_replies"), 2.0);
  EXPECT_EQ(s.Number("connected_slaves"), 1.0);
  EXPECT_EQ(s.Number("master_repl_offset"), 3171.0);
  EXPECT_EQ(s.Number("second_repl_offset"), -1.0);
  EXPECT_EQ(s.fields.count("slave0"), 0u);
  EXPECT_EQ(s.fields.count("cmdstat_get"), 0u);

  EXPECT_EQ(DescribeOnly(&InfoSnapshot::keyspace, s.keyspace),
            "db 0 keys=48 expires=48 avg_ttl_ms=90149\n"
            "db 3 keys=1 expires=0 avg_ttl_ms=0\n");

  ASSERT_EQ(s.commands.size(), 9u);
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::commands, {s.commands[0]}),
            "cmd get calls=100 usec=347 rejected=0 failed=0\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::commands, {s.commands[5]}),
            "cmd incr calls=1 usec=4 rejected=0 failed=1\n");

  EXPECT_EQ(DescribeOnly(&InfoSnapshot::errors, s.errors), "err ERR count=2\n");

  ASSERT_EQ(s.latencies.size(), 9u);
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::latencies, {s.latencies[0]}),
            "lat get 0.5=2.007 0.99=5.023 0.999=90.111\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::latencies, {s.latencies[8]}),
            "lat info 0.5=102.399 0.99=208.895 0.999=208.895\n");

  EXPECT_EQ(DescribeOnly(&InfoSnapshot::replicas, s.replicas),
            "replica 0 ip=127.0.0.1 port=16380 state=online offset=3171 lag=0\n");
}

TEST(ParseInfoFixtureTest, Replica70) {
  const InfoSnapshot s = ParseInfo(testing::ReadTestFile("fixtures/info/redis-7.0-replica.txt"));
  EXPECT_EQ(s.issue_count, 0u);
  EXPECT_EQ(s.Text("role"), "slave");
  EXPECT_EQ(s.Text("master_link_status"), "up");
  EXPECT_EQ(s.Text("master_host"), "127.0.0.1");
  EXPECT_EQ(s.Number("master_port"), 16379.0);
  EXPECT_EQ(s.Number("slave_repl_offset"), 3171.0);
  EXPECT_EQ(s.Number("slave_read_only"), 1.0);
  EXPECT_EQ(s.Number("connected_slaves"), 0.0);
  EXPECT_TRUE(s.replicas.empty());
  EXPECT_TRUE(s.HasSection("errorstats"));  // present, and empty on this replica
  EXPECT_TRUE(s.errors.empty());
  EXPECT_EQ(s.commands.size(), 3u);
  EXPECT_EQ(s.latencies.size(), 3u);
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::keyspace, s.keyspace),
            "db 0 keys=48 expires=48 avg_ttl_ms=0\n"
            "db 3 keys=1 expires=0 avg_ttl_ms=0\n");
}

// Handwritten after the 6.2 field set, INFO ALL layout.
TEST(ParseInfoFixtureTest, Handwritten62) {
  const InfoSnapshot s =
      ParseInfo(testing::ReadTestFile("fixtures/info/redis-6.2-handwritten.txt"));
  EXPECT_EQ(s.issue_count, 0u);
  EXPECT_EQ(s.sections,
            (std::vector<std::string>{"server", "clients", "memory", "persistence", "stats",
                                      "replication", "cpu", "modules", "commandstats", "errorstats",
                                      "cluster", "keyspace"}));
  EXPECT_EQ(s.Text("redis_version"), "6.2.14");
  EXPECT_EQ(s.Text("maxmemory_policy"), "allkeys-lru");
  EXPECT_EQ(s.Number("evicted_keys"), 17.0);
  EXPECT_EQ(s.Number("total_error_replies"), 9.0);
  EXPECT_EQ(s.Number("rdb_last_cow_size"), 417792.0);
  EXPECT_FALSE(s.Text("evicted_clients").has_value());
  EXPECT_FALSE(s.HasSection("latencystats"));
  EXPECT_TRUE(s.latencies.empty());
  ASSERT_EQ(s.commands.size(), 9u);
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::commands, {s.commands[1], s.commands[4]}),
            "cmd set calls=1190211 usec=3332590 rejected=2 failed=0\n"
            "cmd incr calls=51712 usec=77568 rejected=0 failed=6\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::errors, s.errors),
            "err ERR count=3\nerr WRONGTYPE count=6\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::keyspace, s.keyspace),
            "db 0 keys=15234 expires=3120 avg_ttl_ms=1799321\n"
            "db 1 keys=42 expires=0 avg_ttl_ms=0\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::replicas, s.replicas),
            "replica 0 ip=10.1.4.22 port=6379 state=online offset=734012098 lag=1\n");
}

// Handwritten after the 7.2+ field set (7.4 fields included).
TEST(ParseInfoFixtureTest, Handwritten72) {
  const InfoSnapshot s =
      ParseInfo(testing::ReadTestFile("fixtures/info/redis-7.2-handwritten.txt"));
  EXPECT_EQ(s.issue_count, 0u);
  EXPECT_EQ(s.sections,
            (std::vector<std::string>{"server", "clients", "memory", "persistence", "stats",
                                      "replication", "cpu", "modules", "commandstats", "errorstats",
                                      "latencystats", "cluster", "keyspace"}));
  EXPECT_EQ(s.Text("redis_version"), "7.4.2");
  EXPECT_EQ(s.Text("listener0"), "name=tcp,bind=*,bind=-::*,port=6379");
  EXPECT_EQ(s.Number("client_output_buffer_limit_disconnections"), 7.0);
  EXPECT_EQ(s.Number("expired_subkeys"), 318.0);
  EXPECT_EQ(s.Number("pubsub_clients"), 3.0);
  EXPECT_EQ(s.Number("evicted_clients"), 4.0);
  EXPECT_EQ(s.Number("total_blocking_keys"), 2.0);
  EXPECT_EQ(s.Number("total_error_replies"), 14.0);
  ASSERT_EQ(s.commands.size(), 10u);
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::commands, {s.commands[8], s.commands[9]}),
            "cmd config|get calls=204 usec=9182 rejected=0 failed=0\n"
            "cmd client|setname calls=88 usec=291 rejected=5 failed=0\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::errors, s.errors),
            "err ERR count=5\nerr WRONGTYPE count=9\n");
  ASSERT_EQ(s.latencies.size(), 10u);
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::latencies, {s.latencies[8]}),
            "lat config|get 0.5=41.215 0.99=98.303 0.999=102.399\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::keyspace, s.keyspace),
            "db 0 keys=5120 expires=1024 avg_ttl_ms=86399912\n"
            "db 2 keys=10 expires=0 avg_ttl_ms=0\n");
  EXPECT_EQ(DescribeOnly(&InfoSnapshot::replicas, s.replicas),
            "replica 0 ip=10.2.0.31 port=6379 state=online offset=51230011 lag=0\n"
            "replica 1 ip=fd00::7 port=6380 state=wait_bgsave offset=0 lag=0\n");
}

}  // namespace
}  // namespace stampede::redis
