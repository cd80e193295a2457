// CLUSTER SLOTS parsing: masters once each, sorted, with their slot ranges; malformed replies.
#include <gtest/gtest.h>

#include "cluster/topology.h"

namespace stampede::cluster {
namespace {

using redis::Reply;

Reply Str(std::string s) {
  Reply r;
  r.type = Reply::Type::kString;
  r.str = std::move(s);
  return r;
}

Reply Int(long long v) {
  Reply r;
  r.type = Reply::Type::kInteger;
  r.integer = v;
  return r;
}

Reply Arr(std::vector<Reply> elements) {
  Reply r;
  r.type = Reply::Type::kArray;
  r.elements = std::move(elements);
  return r;
}

Reply Range(int start, int end, const std::string& ip, int port) {
  return Arr({Int(start), Int(end), Arr({Str(ip), Int(port), Str("id-" + std::to_string(port))}),
              Arr({Str(ip), Int(port + 100), Str("replica")})});
}

TEST(ClusterTopologyTest, MastersOnceEachSortedWithTheirSlots) {
  const Reply reply = Arr({Range(0, 5460, "10.0.0.2", 7001), Range(5461, 10922, "10.0.0.1", 7000),
                           Range(10923, 16383, "", 7002), Range(5460, 5460, "10.0.0.2", 7001)});
  const auto masters = ParseClusterSlots(reply, "seed.local");
  ASSERT_TRUE(masters.ok()) << masters.status().message();
  ASSERT_EQ(masters->size(), 3u);
  EXPECT_EQ((*masters)[0].Label(), "10.0.0.1:7000");
  EXPECT_EQ((*masters)[1].Label(), "10.0.0.2:7001");
  EXPECT_EQ((*masters)[1].slots.size(), 2u);
  EXPECT_EQ((*masters)[2].Label(), "seed.local:7002") << "an empty ip is the host asked";
  EXPECT_TRUE((*masters)[0].Serves(5461));
  EXPECT_TRUE((*masters)[0].Serves(10922));
  EXPECT_FALSE((*masters)[0].Serves(10923));
  EXPECT_TRUE((*masters)[2].Serves(16383));
}

TEST(ClusterTopologyTest, Ipv6LabelsAreBracketed) {
  const auto masters = ParseClusterSlots(Arr({Range(0, 16383, "::1", 7000)}), "x");
  ASSERT_TRUE(masters.ok());
  EXPECT_EQ(masters->at(0).Label(), "[::1]:7000");
}

TEST(ClusterTopologyTest, RejectsErrorsAndMalformedReplies) {
  Reply error;
  error.type = Reply::Type::kError;
  error.str = "ERR This instance has cluster support disabled";
  const auto refused = ParseClusterSlots(error, "h");
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().message(),
            "CLUSTER SLOTS: ERR This instance has cluster support disabled");
  EXPECT_FALSE(ParseClusterSlots(Str("no"), "h").ok());
  EXPECT_FALSE(ParseClusterSlots(Arr({Arr({Int(0), Int(1)})}), "h").ok());
  EXPECT_FALSE(ParseClusterSlots(Arr({Range(0, 1, "h", 0)}), "h").ok()) << "port 0";
  EXPECT_FALSE(ParseClusterSlots(Arr({Arr({Int(0), Int(1), Arr({Int(1), Int(2)})})}), "h").ok());
  const auto none = ParseClusterSlots(Arr({}), "h");
  ASSERT_TRUE(none.ok()) << "a cluster with no slots assigned has no masters yet";
  EXPECT_TRUE(none->empty());
}

}  // namespace
}  // namespace stampede::cluster
