// Cluster mode against a real 3-master Redis Cluster on loopback (redis-server
// --cluster-enabled yes ×3 + redis-cli --cluster create): every master's events counted under
// its own node label, per-node INFO metrics, and the topology read again after a node fails.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <map>
#include <thread>

#include "app.h"
#include "cluster/topology.h"
#include "support/exposition.h"
#include "support/http_client.h"
#include "support/process.h"
#include "support/redis_server.h"
#include "support/sync_stream.h"

namespace stampede::testing {
namespace {

using std::chrono::milliseconds;
using SteadyTime = std::chrono::steady_clock;

constexpr int kMasters = 3;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

class ClusterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = MakeTempDir("stampede-cluster-");
    std::vector<std::string> create = {"redis-cli", "--cluster", "create"};
    for (int i = 0; i < kMasters; ++i) {
      nodes_.push_back(NewNode());
      ASSERT_TRUE(nodes_.back()->Start());
      create.push_back("127.0.0.1:" + std::to_string(nodes_.back()->port()));
    }
    create.insert(create.end(), {"--cluster-replicas", "0", "--cluster-yes"});
    ChildProcess cli(create, dir_ + "/create.log");
    const int status = cli.Wait(milliseconds(30000));
    ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n"
                                                               << ReadAll(dir_ + "/create.log");
    // Every node must agree: cluster_state:ok and three masters covering all slots.
    const bool formed = Eventually(
        [&] {
          for (const auto& n : nodes_) {
            const redis::Reply info = n->Command({"CLUSTER", "INFO"});
            const auto masters = cluster::ParseClusterSlots(n->Command({"CLUSTER", "SLOTS"}), "");
            if (info.str.find("cluster_state:ok") == std::string::npos || !masters.ok() ||
                masters->size() != kMasters) {
              return false;
            }
          }
          return true;
        },
        milliseconds(20000));
    ASSERT_TRUE(formed) << "the cluster did not form";
    const auto masters = cluster::ParseClusterSlots(nodes_[0]->Command({"CLUSTER", "SLOTS"}), "");
    ASSERT_TRUE(masters.ok());
    masters_ = *masters;
  }

  void TearDown() override {
    if (app_) {
      app_->Stop();
    }
    std::filesystem::remove_all(dir_);
  }

  /// A cluster node in its own temp dir (where nodes.conf goes). The cluster bus port is
  /// chosen too: the default, port + 10000, may be taken, in the ephemeral range or beyond 65535
  /// (FreePort never hands out the node's own port twice).
  static std::unique_ptr<RedisServer> NewNode() {
    return std::make_unique<RedisServer>(std::vector<std::string>{
        "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port",
        std::to_string(FreePort()), "--cluster-node-timeout", "2000", "--notify-keyspace-events",
        "Egxemn"});
  }

  static bool Eventually(const std::function<bool()>& pred, milliseconds deadline) {
    const auto until = SteadyTime::now() + deadline;
    while (!pred()) {
      if (SteadyTime::now() >= until) {
        return false;
      }
      std::this_thread::sleep_for(milliseconds(20));
    }
    return true;
  }

  void StartExporter() {
    config::Config config;
    config.redis_addr = nodes_[0]->address();  // the seed; --redis.cluster stays auto
    config.web_listen_address = "127.0.0.1:0";
    config.info_interval = milliseconds(100);
    config.redis_connect_timeout = milliseconds(500);
    config.events.cluster_refresh = milliseconds(10000);
    app_ = std::make_unique<App>(config, config::FileConfig{}, "", log_);
    ASSERT_TRUE(app_->Start().ok());
  }

  /// Scrapes until `pred(body)` holds or `deadline` passes; the last body.
  std::string ScrapeUntil(const std::function<bool(const std::string&)>& pred,
                          milliseconds deadline = milliseconds(10000)) const {
    std::string body;
    Eventually(
        [&] {
          body = HttpGet(app_->port(), "/metrics", milliseconds(2000)).body;
          return pred(body);
        },
        deadline);
    return body;
  }

  /// The RedisServer serving `master`.
  RedisServer& ServerOf(const cluster::Master& master) {
    for (const auto& n : nodes_) {
      if (n->port() == master.port) {
        return *n;
      }
    }
    ADD_FAILURE() << "no server for " << master.Label();
    return *nodes_[0];
  }

  /// `count` keys whose slot `master` serves (CLUSTER KEYSLOT).
  std::vector<std::string> KeysOn(const cluster::Master& master, std::size_t count) {
    std::vector<std::string> keys;
    for (int i = 0; keys.size() < count && i < 100000; ++i) {
      const std::string key = "user:" + std::to_string(i);
      const redis::Reply slot = nodes_[0]->Command({"CLUSTER", "KEYSLOT", key});
      if (slot.type == redis::Reply::Type::kInteger &&
          master.Serves(static_cast<int>(slot.integer))) {
        keys.push_back(key);
      }
    }
    return keys;
  }

  static std::string Series(const std::string& name, const std::string& labels,
                            const cluster::Master& m) {
    return name + "{" + labels + (labels.empty() ? "" : ",") + "node=\"" + m.Label() + "\"}";
  }

  std::string dir_;
  std::vector<std::unique_ptr<RedisServer>> nodes_;
  std::vector<cluster::Master> masters_;
  SyncStringStream log_stream_;
  Logger log_{&log_stream_, LogLevel::kDebug};
  std::unique_ptr<App> app_;
};

TEST_F(ClusterTest, EventsOfEveryMasterCountedUnderItsOwnNode) {
  ASSERT_EQ(masters_.size(), static_cast<std::size_t>(kMasters));
  StartExporter();
  // The module starts a master's subscriber before it lists the master among those watched,
  // so wait for both (under TSan the gap between them is visible).
  const auto all_subscribed = [&](const std::string& body) {
    if (SampleValue(body, "stampede_cluster_masters") != kMasters) {
      return false;
    }
    for (const auto& m : masters_) {
      if (SampleValue(body, Series("stampede_notifications_connected", "", m)) != 1) {
        return false;
      }
    }
    return true;
  };
  std::string body = ScrapeUntil(all_subscribed);
  ASSERT_TRUE(all_subscribed(body)) << body << log_stream_.str();
  EXPECT_EQ(SampleValue(body, "stampede_cluster_masters"), kMasters);

  // Master k gets k+1 keys: SET (new), DEL (del), GET twice (keymiss) each, sent to the node
  // that owns the key. Different counts per master show whose events went where.
  std::map<std::string, int> expected;  // series → count
  for (std::size_t k = 0; k < masters_.size(); ++k) {
    const cluster::Master& m = masters_[k];
    RedisServer& server = ServerOf(m);
    const std::vector<std::string> keys = KeysOn(m, k + 1);
    ASSERT_EQ(keys.size(), k + 1);
    for (const std::string& key : keys) {
      ASSERT_EQ(server.Command({"SET", key, "v"}).str, "OK") << key << " on " << m.Label();
      ASSERT_EQ(server.Command({"DEL", key}).integer, 1);
      ASSERT_EQ(server.Command({"GET", key}).type, redis::Reply::Type::kNil);
      ASSERT_EQ(server.Command({"GET", key}).type, redis::Reply::Type::kNil);
    }
    const int n = static_cast<int>(k + 1);
    expected[Series("stampede_keyspace_events_total", "class=\"default\",event=\"new\"", m)] = n;
    expected[Series("stampede_keyspace_events_total", "class=\"default\",event=\"del\"", m)] = n;
    expected[Series("stampede_keyspace_events_total", "class=\"default\",event=\"keymiss\"", m)] =
        2 * n;
    expected[Series("stampede_keyspace_events_total", "class=\"default\",event=\"expired\"", m)] =
        0;
  }
  const auto all_counted = [&](const std::string& b) {
    for (const auto& [series, n] : expected) {
      if (SampleValue(b, series) != n) {
        return false;
      }
    }
    return true;
  };
  body = ScrapeUntil(all_counted);
  for (const auto& [series, n] : expected) {
    EXPECT_EQ(SampleValue(body, series), n) << series;
  }
  // Per-node INFO and notification config; nothing unlabelled in cluster mode.
  body = ScrapeUntil([&](const std::string& b) {
    return SampleValue(b, "stampede_scrape_collector_success{collector=\"info\"}") == 1;
  });
  for (const auto& m : masters_) {
    EXPECT_EQ(SampleValue(body, Series("stampede_redis_up", "", m)), 1) << m.Label();
    EXPECT_EQ(SampleValue(body, Series("stampede_notifications_enabled", "event=\"keymiss\"", m)),
              1)
        << m.Label();
    EXPECT_EQ(
        SampleValue(body, Series("stampede_keyspace_flushes_total", "command=\"flushdb\"", m)), 0)
        << m.Label();
  }
  EXPECT_FALSE(SampleValue(body, "stampede_redis_up").has_value());
  EXPECT_FALSE(SampleValue(body, "stampede_notifications_connected").has_value());
  EXPECT_EQ(SampleValue(body, "stampede_scrape_collector_success{collector=\"cluster\"}"), 1);
  EXPECT_EQ(SampleValue(body, "stampede_cluster_topology_changes_total"), 1);
  EXPECT_EQ(HttpGet(app_->port(), "/-/ready", milliseconds(2000)).status, 200);
  int code = -1;
  EXPECT_EQ(PromtoolCheckMetrics(body, code), "");
  EXPECT_EQ(code, 0);
}

TEST_F(ClusterTest, ReadsTheTopologyAgainWhileAMasterIsDown) {
  StartExporter();
  const cluster::Master& victim = masters_.back();
  std::string body = ScrapeUntil([&](const std::string& b) {
    return SampleValue(b, Series("stampede_redis_up", "", victim)) == 1;
  });
  ASSERT_EQ(SampleValue(body, Series("stampede_redis_up", "", victim)), 1) << body;
  const double before =
      SampleValue(body, "stampede_cluster_topology_refreshes_total{result=\"ok\"}").value_or(-1);
  ServerOf(victim).Kill();
  // The periodic refresh is 10 s away: refreshes within a few seconds are error-driven.
  body = ScrapeUntil(
      [&](const std::string& b) {
        return SampleValue(b, "stampede_cluster_topology_refreshes_total{result=\"ok\"}")
                   .value_or(0) >= before + 2;
      },
      milliseconds(6000));
  EXPECT_GE(SampleValue(body, "stampede_cluster_topology_refreshes_total{result=\"ok\"}"),
            before + 2)
      << body;
  EXPECT_EQ(SampleValue(body, Series("stampede_notifications_connected", "", victim)), 0);
  EXPECT_EQ(SampleValue(body, Series("stampede_redis_up", "", victim)), 0);
  EXPECT_EQ(SampleValue(body, "stampede_scrape_collector_success{collector=\"info\"}"), 0);
  EXPECT_EQ(SampleValue(body, Series("stampede_redis_up", "", masters_.front())), 1)
      << "the other masters keep being sampled";
}

TEST_F(ClusterTest, FollowsAFailoverToThePromotedReplica) {
  // A replica for the seed's master; the seed then dies, so the exporter must also find the
  // topology through the other masters.
  const auto seed = std::find_if(masters_.begin(), masters_.end(),
                                 [&](const auto& m) { return m.port == nodes_[0]->port(); });
  ASSERT_NE(seed, masters_.end());
  const cluster::Master old_master = *seed;
  const std::string master_id = nodes_[0]->Command({"CLUSTER", "MYID"}).str;
  nodes_.push_back(NewNode());
  RedisServer& replica = *nodes_.back();
  ASSERT_TRUE(replica.Start());
  ChildProcess cli(
      {"redis-cli", "--cluster", "add-node", "127.0.0.1:" + std::to_string(replica.port()),
       "127.0.0.1:" + std::to_string(nodes_[0]->port()), "--cluster-slave", "--cluster-master-id",
       master_id},
      dir_ + "/add-node.log");
  const int status = cli.Wait(milliseconds(30000));
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << status << "\n"
                                                             << ReadAll(dir_ + "/add-node.log");
  ASSERT_TRUE(Eventually(
      [&] {
        return replica.Command({"INFO", "replication"}).str.find("master_link_status:up") !=
               std::string::npos;
      },
      milliseconds(20000)))
      << "the replica did not sync";

  StartExporter();
  std::string body = ScrapeUntil([&](const std::string& b) {
    return SampleValue(b, Series("stampede_notifications_connected", "", old_master)) == 1;
  });
  ASSERT_EQ(SampleValue(body, Series("stampede_notifications_connected", "", old_master)), 1)
      << body;
  cluster::Master promoted = old_master;
  promoted.port = replica.port();
  EXPECT_FALSE(SampleValue(body, Series("stampede_redis_up", "", promoted)).has_value())
      << "a replica is not watched";

  const std::vector<std::string> keys = KeysOn(old_master, 1);  // asks nodes_[0]: before
  ASSERT_EQ(keys.size(), 1u);
  nodes_[0]->Kill();
  // The replica wins the election after the node timeout (2 s); the exporter, reading the
  // topology again while a master is down, swaps the old master for it.
  body = ScrapeUntil(
      [&](const std::string& b) {
        // The topology may converge in steps (the dead master dropped, then the promoted
        // one added): wait for the end state, not the first sign of it.
        return SampleValue(b, Series("stampede_notifications_connected", "", promoted)) == 1 &&
               !SampleValue(b, Series("stampede_redis_up", "", old_master)).has_value() &&
               SampleValue(b, "stampede_cluster_masters") == kMasters;
      },
      milliseconds(20000));
  ASSERT_EQ(SampleValue(body, Series("stampede_notifications_connected", "", promoted)), 1)
      << body << log_stream_.str();
  EXPECT_FALSE(SampleValue(body, Series("stampede_redis_up", "", old_master)).has_value());
  EXPECT_EQ(SampleValue(body, "stampede_cluster_masters"), kMasters);
  // The initial discovery, then the failover in one step or two (dropped, then added).
  const double changes = SampleValue(body, "stampede_cluster_topology_changes_total").value_or(0);
  EXPECT_GE(changes, 2);
  EXPECT_LE(changes, 3);

  // The promoted node's keys now carry its label.
  ASSERT_EQ(replica.Command({"SET", keys[0], "v"}).str, "OK");
  const std::string created =
      Series("stampede_keyspace_events_total", "class=\"default\",event=\"new\"", promoted);
  body = ScrapeUntil([&](const std::string& b) { return SampleValue(b, created) == 1; });
  EXPECT_EQ(SampleValue(body, created), 1) << body;
  for (const auto& m : masters_) {
    if (m.port != old_master.port) {
      EXPECT_EQ(SampleValue(body, Series("stampede_keyspace_events_total",
                                         "class=\"default\",event=\"new\"", m)),
                0)
          << m.Label();
    }
  }
}

}  // namespace
}  // namespace stampede::testing
