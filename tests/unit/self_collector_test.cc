#include "collectors/self_collector.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <sstream>
#include <string>

#include "support/exposition.h"

namespace stampede::collectors {
namespace {

using stampede::testing::SampleValue;

// A /proc/PID/stat line of Linux 6.x; its command name holds a space and a ')'.
constexpr const char* kStat =
    "4242 (stampede ex)porter) S 1 4242 4242 0 -1 4194560 1834 0 0 0 250 75 0 0 20 0 20 0 "
    "1234567 123457536 2481 18446744073709551615 1 1 0 0 0 0 0 4096 17003 0 0 0 17 1 0 0 0 0 0\n";

TEST(ParseProcStatTest, ReadsCpuMemoryAfterTheLastParenthesis) {
  const std::optional<ProcStat> s = ParseProcStat(kStat, 100, 4096);
  ASSERT_TRUE(s.has_value());
  EXPECT_DOUBLE_EQ(s->cpu_seconds, 3.25);  // (250 + 75) ticks / 100
  EXPECT_DOUBLE_EQ(s->vsize_bytes, 123457536);
  EXPECT_DOUBLE_EQ(s->rss_bytes, 2481.0 * 4096);
}

class ParseProcStatMalformedTest : public ::testing::TestWithParam<const char*> {};

TEST_P(ParseProcStatMalformedTest, IsRefused) {
  EXPECT_FALSE(ParseProcStat(GetParam(), 100, 4096).has_value()) << GetParam();
}

INSTANTIATE_TEST_SUITE_P(
    Table, ParseProcStatMalformedTest,
    ::testing::Values("", "4242 stampede S 1 2 3",                           // no ')'
                      "4242 (x) S 1 4242 4242 0 -1 4194560 1834 0 0 0 250",  // cut at field 14
                      "4242 (x) S 1 4242 4242 0 -1 4194560 1834 0 0 0 250 75 0 0 20 0 20 0 1 2",
                      "4242 (x) S 1 4242 4242 0 -1 4194560 1834 0 0 0 2x0 75 0 0 20 0 20 0 1 2 3",
                      "4242 (x) S 1 4242 4242 0 -1 4194560 1834 0 0 0 -250 75 0 0 20 0 20 0 1 2 3",
                      "4242 (x) S 1 4242 4242 0 -1 4194560 1834 0 0 0 250 75 0 0 20 0 20 0 1 2 "
                      "9999999999999999999999"));

TEST(SelfCollectorTest, ExportsThisProcessFromProc) {
  Families fams;
  ASSERT_TRUE(SelfCollector().Collect(fams).ok());
  std::ostringstream out;
  prometheus::TextSerializer().Serialize(out, fams);
  const std::string text = out.str();
  EXPECT_GT(SampleValue(text, "process_resident_memory_bytes").value_or(0), 1 << 20);
  EXPECT_GT(SampleValue(text, "process_virtual_memory_bytes").value_or(0), 1 << 20);
  EXPECT_GE(SampleValue(text, "process_cpu_seconds_total").value_or(-1), 0);
  EXPECT_GE(SampleValue(text, "process_open_fds").value_or(0), 3);
}

}  // namespace
}  // namespace stampede::collectors
