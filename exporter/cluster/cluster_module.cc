#include "cluster/cluster_module.h"

#include <algorithm>
#include <exception>
#include <map>
#include <set>
#include <utility>

#include "collectors/metric_builder.h"

namespace stampede::cluster {

namespace {

using collectors::FamilyBuilder;
using prometheus::MetricType;

}  // namespace

/// Every master's InfoCollector output in one set of families, each sample labelled with its
/// node (one family per name, as the exposition format requires).
class ClusterModule::InfoMerger : public collectors::Collector {
 public:
  explicit InfoMerger(const ClusterModule& cluster) : cluster_(cluster) {}
  std::string_view Name() const override { return "info"; }

  Status Collect(collectors::Families& out) const override {
    const auto nodes = cluster_.Snapshot();
    if (nodes.empty()) {
      return Status::Error("no cluster master known yet");
    }
    std::map<std::string, std::size_t> index;  // family name → position in out
    std::string down;
    for (const auto& node : nodes) {
      collectors::Families own;
      if (Status s = node->info->Collect(own); !s.ok()) {
        down += (down.empty() ? "" : ", ") + node->label;
      }
      for (prometheus::MetricFamily& f : own) {
        for (prometheus::ClientMetric& m : f.metric) {
          m.label.push_back({"node", node->label});
        }
        const auto [it, fresh] = index.try_emplace(f.name, out.size());
        if (fresh) {
          out.push_back(std::move(f));
        } else {
          auto& into = out[it->second].metric;
          into.insert(into.end(), std::make_move_iterator(f.metric.begin()),
                      std::make_move_iterator(f.metric.end()));
        }
      }
    }
    if (!down.empty()) {
      return Status::Error("not answering INFO: " + down);
    }
    return Status::Ok();
  }

 private:
  const ClusterModule& cluster_;
};

/// Health of the topology refresh.
class ClusterModule::TopologyCollector : public collectors::Collector {
 public:
  explicit TopologyCollector(const ClusterModule& cluster) : cluster_(cluster) {}
  std::string_view Name() const override { return "cluster"; }

  Status Collect(collectors::Families& out) const override {
    const auto nodes = cluster_.Snapshot();
    out.push_back(
        collectors::GaugeFamily("stampede_cluster_masters",
                                "Cluster masters watched (an INFO sampler and a subscriber each).",
                                static_cast<double>(nodes.size())));
    out.push_back(collectors::GaugeFamily(
        "stampede_cluster_masters_over_limit",
        "Masters in the last topology beyond the watch limit (64): not watched.",
        static_cast<double>(cluster_.over_limit_.load(std::memory_order_relaxed))));
    out.push_back(FamilyBuilder("stampede_cluster_topology_refreshes_total",
                                "Reads of the cluster topology (CLUSTER SLOTS), by result.",
                                MetricType::Counter)
                      .Add({{"result", "ok"}},
                           static_cast<double>(cluster_.refreshes_.load(std::memory_order_relaxed)))
                      .Add({{"result", "error"}}, static_cast<double>(cluster_.refresh_errors_.load(
                                                      std::memory_order_relaxed)))
                      .Build());
    out.push_back(collectors::CounterFamily(
        "stampede_cluster_topology_changes_total",
        "Refreshes that changed the set of masters (start-up, failover, resharding).",
        static_cast<double>(cluster_.changes_.load(std::memory_order_relaxed))));
    if (!cluster_.known_.load(std::memory_order_acquire)) {
      return Status::Error("cluster topology not known yet");
    }
    return Status::Ok();
  }

 private:
  const ClusterModule& cluster_;
};

ClusterModule::ClusterModule(Options options, events::EventsModule& events, Logger& log)
    : options_(std::move(options)),
      events_(events),
      log_(log),
      info_collector_(std::make_shared<InfoMerger>(*this)),
      topology_collector_(std::make_shared<TopologyCollector>(*this)) {}

ClusterModule::~ClusterModule() { Stop(); }

void ClusterModule::Start() {
  {
    std::lock_guard<std::mutex> lock(wait_mu_);
    stop_ = false;
  }
  thread_ = std::thread([this] { Run(); });
}

void ClusterModule::Stop() {
  {
    std::lock_guard<std::mutex> lock(wait_mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) {
    thread_.join();
  }
  std::vector<std::shared_ptr<Node>> nodes;
  {
    std::lock_guard<std::mutex> lock(mu_);
    nodes = nodes_;
  }
  for (const auto& n : nodes) {
    n->sampler->Stop();
  }
}

std::vector<std::shared_ptr<const collectors::Collector>> ClusterModule::collectors() const {
  return {topology_collector_, info_collector_};
}

std::vector<std::shared_ptr<const ClusterModule::Node>> ClusterModule::Snapshot() const {
  std::lock_guard<std::mutex> lock(mu_);
  return {nodes_.begin(), nodes_.end()};
}

bool ClusterModule::ready() const {
  const auto nodes = Snapshot();
  return known_.load(std::memory_order_acquire) && !nodes.empty() &&
         std::all_of(nodes.begin(), nodes.end(), [](const auto& n) { return n->sampler->ready(); });
}

bool ClusterModule::connected() const {
  const auto nodes = Snapshot();
  return known_.load(std::memory_order_acquire) && !nodes.empty() &&
         std::all_of(nodes.begin(), nodes.end(),
                     [](const auto& n) { return n->sampler->connected(); });
}

bool ClusterModule::NodeDown() const {
  const auto nodes = Snapshot();
  return std::any_of(nodes.begin(), nodes.end(), [](const auto& n) {
    return !n->events->subscriber.connected() || !n->sampler->connected();
  });
}

void ClusterModule::Run() {
  using SteadyTime = std::chrono::steady_clock;
  constexpr std::chrono::milliseconds kTick{100};
  auto last = SteadyTime::now();
  auto next = last;  // refresh at once
  while (true) {
    {
      std::unique_lock<std::mutex> lock(wait_mu_);
      cv_.wait_for(lock, kTick, [this] { return stop_; });
      if (stop_) {
        return;
      }
    }
    const auto now = SteadyTime::now();
    const bool due = now >= next;
    const bool after_error = now - last >= options_.error_refresh &&
                             (!known_.load(std::memory_order_relaxed) || NodeDown());
    if (!due && !after_error) {
      continue;
    }
    try {
      Refresh();
    } catch (const std::exception& e) {  // e.g. no thread for a new node: retry later
      refresh_errors_.fetch_add(1, std::memory_order_relaxed);
      log_.Warn("cluster topology refresh failed", {{"err", e.what()}});
    }
    last = SteadyTime::now();
    next = last + options_.refresh_interval;
  }
}

void ClusterModule::Refresh() {
  // The seed first, then the known masters: any node that answers knows the whole map.
  std::vector<redis::Connection::Options> ask = {options_.seed};
  for (const auto& n : Snapshot()) {
    redis::Connection::Options o = options_.seed;
    o.address.host = n->address.host;
    o.address.port = n->address.port;
    ask.push_back(o);
  }
  std::string error;
  for (const auto& o : ask) {
    Result<std::vector<Master>> masters = FetchMasters(o);
    if (masters.ok()) {
      refreshes_.fetch_add(1, std::memory_order_relaxed);
      logged_error_ = false;
      Reconcile(std::move(masters).value());
      known_.store(true, std::memory_order_release);
      return;
    }
    error = masters.status().message();
  }
  refresh_errors_.fetch_add(1, std::memory_order_relaxed);
  if (!logged_error_) {
    logged_error_ = true;
    log_.Warn("cannot read the cluster topology; retrying",
              {{"seed", options_.seed.address.Redacted()}, {"err", error}});
  }
}

void ClusterModule::Reconcile(std::vector<Master> masters) {
  // Bounded: the first max_nodes masters by label; the rest are counted, not watched.
  const std::size_t over =
      masters.size() > options_.max_nodes ? masters.size() - options_.max_nodes : 0;
  masters.resize(masters.size() - over);
  if (over != over_limit_.exchange(over, std::memory_order_relaxed) && over > 0) {
    log_.Warn("more cluster masters than the watch limit; the rest are not watched",
              {{"limit", std::to_string(options_.max_nodes)}, {"over", std::to_string(over)}});
  }
  std::set<std::string> wanted;
  for (const Master& m : masters) {
    wanted.insert(m.Label());
  }
  std::vector<std::shared_ptr<Node>> gone;
  std::set<std::string> have;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (auto it = nodes_.begin(); it != nodes_.end();) {
      if (wanted.count((*it)->label) == 0) {
        gone.push_back(*it);
        it = nodes_.erase(it);
      } else {
        have.insert((*it)->label);
        ++it;
      }
    }
  }
  for (const auto& n : gone) {
    n->sampler->Stop();
    events_.RemoveNode(n->label);
  }
  std::vector<std::shared_ptr<Node>> added;
  for (const Master& m : masters) {
    if (have.count(m.Label()) > 0) {
      continue;
    }
    auto node = std::make_shared<Node>();
    node->label = m.Label();
    redis::Connection::Options conn = options_.seed;
    conn.address.kind = redis::Address::Kind::kTcp;
    conn.address.host = m.host;
    conn.address.port = m.port;
    node->address = conn.address;
    node->info = std::make_shared<collectors::InfoCollector>();
    node->events = events_.AddNode(conn.address, node->label);
    redis::InfoSampler::Options sampler;
    sampler.connection = conn;
    sampler.interval = options_.info_interval;
    node->sampler = std::make_unique<redis::InfoSampler>(
        sampler, std::vector<redis::InfoSink*>{node->info.get(), &node->events->flushes}, log_);
    node->sampler->Start();
    added.push_back(std::move(node));
  }
  if (gone.empty() && added.empty()) {
    return;
  }
  {
    std::lock_guard<std::mutex> lock(mu_);
    nodes_.insert(nodes_.end(), added.begin(), added.end());
    std::sort(nodes_.begin(), nodes_.end(),
              [](const auto& a, const auto& b) { return a->label < b->label; });
  }
  changes_.fetch_add(1, std::memory_order_relaxed);
  std::string list;
  for (const std::string& label : wanted) {
    list += (list.empty() ? "" : ",") + label;
  }
  log_.Info("cluster masters", {{"masters", list},
                                {"added", std::to_string(added.size())},
                                {"removed", std::to_string(gone.size())}});
}

}  // namespace stampede::cluster
