#include "collectors/info_collector.h"

#include <cmath>
#include <limits>
#include <string_view>

#include "collectors/metric_builder.h"
#include "collectors/text_exposition.h"

namespace stampede::collectors {

namespace {

using prometheus::MetricType;

/// One plain INFO field exported as one unlabelled metric, converted to base units by `scale`.
/// Fields an older Redis does not print are skipped quietly.
struct FieldRow {
  std::string_view info_key;
  std::string_view metric;
  MetricType type;
  double scale;
  std::string_view help;
};

// clang-format off
constexpr FieldRow kFields[] = {
  // stats
  {"keyspace_hits", "stampede_redis_keyspace_hits_total", MetricType::Counter, 1,
   "Successful key lookups (INFO stats keyspace_hits), summed across Redis counter resets."},
  {"keyspace_misses", "stampede_redis_keyspace_misses_total", MetricType::Counter, 1,
   "Failed key lookups (INFO stats keyspace_misses), summed across Redis counter resets."},
  {"expired_keys", "stampede_redis_expired_keys_total", MetricType::Counter, 1,
   "Keys deleted on expiry (INFO stats expired_keys)."},
  {"evicted_keys", "stampede_redis_evicted_keys_total", MetricType::Counter, 1,
   "Keys evicted by maxmemory (INFO stats evicted_keys)."},
  {"expired_subkeys", "stampede_redis_expired_subkeys_total", MetricType::Counter, 1,
   "Hash fields deleted on expiry (INFO stats expired_subkeys, Redis 7.4+)."},
  {"expired_stale_perc", "stampede_redis_expired_stale_ratio", MetricType::Gauge, 0.01,
   "Estimated share of keys with a TTL that are already expired (INFO stats expired_stale_perc / 100)."},
  {"expired_time_cap_reached_count", "stampede_redis_expired_time_cap_reached_total",
   MetricType::Counter, 1,
   "Active expire cycles stopped early by their time limit (INFO stats expired_time_cap_reached_count)."},
  {"expire_cycle_cpu_milliseconds", "stampede_redis_expire_cycle_cpu_seconds_total",
   MetricType::Counter, 0.001, "CPU time spent in active expiry (INFO stats expire_cycle_cpu_milliseconds)."},
  {"evicted_clients", "stampede_redis_evicted_clients_total", MetricType::Counter, 1,
   "Clients evicted by maxmemory-clients (INFO stats evicted_clients, Redis 7.0+)."},
  {"total_eviction_exceeded_time", "stampede_redis_eviction_exceeded_seconds_total",
   MetricType::Counter, 0.001,
   "Time used_memory spent above maxmemory (INFO stats total_eviction_exceeded_time)."},
  {"rejected_connections", "stampede_redis_rejected_connections_total", MetricType::Counter, 1,
   "Connections rejected because of maxclients (INFO stats rejected_connections)."},
  {"total_connections_received", "stampede_redis_connections_received_total",
   MetricType::Counter, 1, "Connections accepted (INFO stats total_connections_received)."},
  {"total_commands_processed", "stampede_redis_commands_processed_total", MetricType::Counter, 1,
   "Commands processed (INFO stats total_commands_processed)."},
  {"total_net_input_bytes", "stampede_redis_net_input_bytes_total", MetricType::Counter, 1,
   "Bytes read from the network (INFO stats total_net_input_bytes)."},
  {"total_net_output_bytes", "stampede_redis_net_output_bytes_total", MetricType::Counter, 1,
   "Bytes written to the network (INFO stats total_net_output_bytes)."},
  {"total_error_replies", "stampede_redis_error_replies_total", MetricType::Counter, 1,
   "Error replies sent (INFO stats total_error_replies)."},
  {"client_output_buffer_limit_disconnections",
   "stampede_redis_client_output_buffer_limit_disconnections_total", MetricType::Counter, 1,
   "Clients disconnected for exceeding client-output-buffer-limit (INFO stats, newer Redis only)."},
  {"instantaneous_ops_per_sec", "stampede_redis_instantaneous_ops_per_second", MetricType::Gauge, 1,
   "Commands per second, Redis's own ~1.6 s moving average (INFO stats instantaneous_ops_per_sec)."},
  {"pubsub_channels", "stampede_redis_pubsub_channels", MetricType::Gauge, 1,
   "Channels with subscribers (INFO stats pubsub_channels)."},
  // server
  {"uptime_in_seconds", "stampede_redis_uptime_seconds", MetricType::Gauge, 1,
   "Seconds since the Redis server started (INFO server uptime_in_seconds)."},
  // clients
  {"connected_clients", "stampede_redis_connected_clients", MetricType::Gauge, 1,
   "Client connections, replicas excluded (INFO clients connected_clients)."},
  {"blocked_clients", "stampede_redis_blocked_clients", MetricType::Gauge, 1,
   "Clients waiting in a blocking command (INFO clients blocked_clients)."},
  {"maxclients", "stampede_redis_max_clients", MetricType::Gauge, 1,
   "The maxclients setting (INFO clients maxclients)."},
  // memory
  {"used_memory", "stampede_redis_memory_used_bytes", MetricType::Gauge, 1,
   "Bytes allocated by Redis (INFO memory used_memory)."},
  {"used_memory_rss", "stampede_redis_memory_used_rss_bytes", MetricType::Gauge, 1,
   "Resident set size of the Redis process (INFO memory used_memory_rss)."},
  {"maxmemory", "stampede_redis_memory_max_bytes", MetricType::Gauge, 1,
   "The maxmemory setting, 0 when unlimited (INFO memory maxmemory)."},
  {"mem_fragmentation_ratio", "stampede_redis_memory_fragmentation_ratio", MetricType::Gauge, 1,
   "used_memory_rss / used_memory (INFO memory mem_fragmentation_ratio)."},
  // replication
  {"connected_slaves", "stampede_redis_connected_replicas", MetricType::Gauge, 1,
   "Replicas connected to this node (INFO replication connected_slaves)."},
  {"master_repl_offset", "stampede_redis_replication_offset_bytes", MetricType::Gauge, 1,
   "This node's replication offset (INFO replication master_repl_offset)."},
  {"slave_repl_offset", "stampede_redis_replica_processed_offset_bytes", MetricType::Gauge, 1,
   "Replication offset processed by this replica (INFO replication slave_repl_offset)."},
  {"master_last_io_seconds_ago", "stampede_redis_master_last_io_seconds", MetricType::Gauge, 1,
   "Seconds since this replica last heard from its master, -1 if never (INFO replication)."},
};
// clang-format on

constexpr std::string_view kOther = "_other";

std::string Key(std::string_view a, std::string_view b) {
  std::string k(a);
  k += '\x1f';
  k += b;
  return k;
}

/// Formats a number the way Redis's integers read (no exponent for whole numbers).
std::string FormatLabelNumber(int n) { return std::to_string(n); }

}  // namespace

std::string InfoCollector::Bounded(const std::string& value, std::map<std::string, int>& seen,
                                   std::size_t cap, std::uint64_t& overflow) {
  if (seen.count(value) != 0) {
    return value;
  }
  if (seen.size() >= cap) {
    ++overflow;
    return std::string(kOther);
  }
  seen.emplace(value, 0);
  return value;
}

void InfoCollector::OnInfo(const redis::InfoSnapshot& info, std::chrono::duration<double> took) {
  auto snapshot = std::make_shared<const redis::InfoSnapshot>(info);
  std::lock_guard<std::mutex> lock(mu_);
  up_ = true;
  ++samples_;
  last_duration_seconds_ = took.count();
  parse_errors_ += info.issue_count;

  tracker_.BeginSample(info.Text("run_id").value_or(""), info.Number("uptime_in_seconds"));
  if (scalar_totals_.empty()) {
    scalar_totals_.assign(std::size(kFields), std::numeric_limits<double>::quiet_NaN());
  }
  for (std::size_t i = 0; i < std::size(kFields); ++i) {
    const FieldRow& row = kFields[i];
    if (row.type != MetricType::Counter) {
      continue;
    }
    if (auto raw = info.Number(row.info_key)) {
      scalar_totals_[i] = tracker_.Observe(std::string(row.info_key), *raw);
    } else if (info.Text(row.info_key)) {
      ++parse_errors_;  // present but not a number
    }
  }

  // Per command: sum raw values per bounded label first, then track each label's total.
  std::map<std::string, redis::CommandStat> by_label;
  for (const auto& c : info.commands) {
    auto& agg = by_label[Bounded(c.command, seen_commands_, kMaxCommands, overflow_)];
    agg.calls += c.calls;
    agg.usec += c.usec;
    agg.rejected_calls += c.rejected_calls;
    agg.failed_calls += c.failed_calls;
  }
  for (const auto& [label, raw] : by_label) {
    CommandTotals& t = commands_[label];
    t.calls = tracker_.Observe(Key("cmd.calls", label), raw.calls);
    t.seconds = tracker_.Observe(Key("cmd.usec", label), raw.usec) * 1e-6;
    t.rejected = tracker_.Observe(Key("cmd.rejected", label), raw.rejected_calls);
    t.failed = tracker_.Observe(Key("cmd.failed", label), raw.failed_calls);
  }
  std::map<std::string, double> errors_raw;
  for (const auto& e : info.errors) {
    errors_raw[Bounded(e.prefix, seen_errors_, kMaxErrorPrefixes, overflow_)] += e.count;
  }
  for (const auto& [label, raw] : errors_raw) {
    errors_[label] = tracker_.Observe(Key("err", label), raw);
  }
  tracker_.EndSample();
  info_ = std::move(snapshot);
  text_.reset();
}

void InfoCollector::OnInfoError(redis::SampleError error, std::chrono::duration<double> took) {
  std::lock_guard<std::mutex> lock(mu_);
  up_ = false;
  ++sample_errors_[static_cast<std::size_t>(error)];
  last_duration_seconds_ = took.count();
  text_.reset();
}

Status InfoCollector::Collect(Families& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  return Build(out);
}

std::optional<Status> InfoCollector::AppendText(std::string& out) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (!text_) {
    Families families;
    text_status_ = Build(families);
    text_.emplace();
    AppendTextExposition(families, *text_);
  }
  out.append(*text_);
  return text_status_;
}

Status InfoCollector::Build(Families& out) const {
  out.push_back(GaugeFamily("stampede_redis_up",
                            "1 if the last INFO sample of the Redis target succeeded, else 0.",
                            up_ ? 1 : 0));
  out.push_back(CounterFamily("stampede_redis_info_samples_total", "Successful INFO samples.",
                              static_cast<double>(samples_)));
  {
    FamilyBuilder errors("stampede_redis_info_errors_total",
                         "Failed INFO samples by reason: connect, io (timeout or broken "
                         "connection), command (error reply).",
                         MetricType::Counter);
    for (auto e :
         {redis::SampleError::kConnect, redis::SampleError::kIo, redis::SampleError::kCommand}) {
      errors.Add({{"reason", std::string(redis::SampleErrorName(e))}},
                 static_cast<double>(sample_errors_[static_cast<std::size_t>(e)]));
    }
    out.push_back(std::move(errors).Build());
  }
  out.push_back(GaugeFamily("stampede_redis_info_sample_duration_seconds",
                            "Duration of the last INFO round trip, successful or not.",
                            last_duration_seconds_));
  out.push_back(CounterFamily("stampede_redis_info_parse_errors_total",
                              "Malformed INFO lines and non-numeric values of numeric fields.",
                              static_cast<double>(parse_errors_)));
  out.push_back(CounterFamily("stampede_redis_info_overflow_total",
                              "Per-command or per-error values folded into the \"_other\" label "
                              "because their series cap was reached.",
                              static_cast<double>(overflow_)));
  out.push_back(CounterFamily("stampede_redis_restarts_total",
                              "Redis restarts (or failovers to another node) seen as a changed "
                              "run_id or a smaller uptime.",
                              static_cast<double>(tracker_.restarts())));
  out.push_back(CounterFamily("stampede_redis_stats_resets_total",
                              "Samples where Redis counters went backwards without a restart "
                              "(CONFIG RESETSTAT).",
                              static_cast<double>(tracker_.stats_resets())));

  // Counters: always exported once seen, so they never vanish or go backwards.
  for (std::size_t i = 0; i < scalar_totals_.size(); ++i) {
    const FieldRow& row = kFields[i];
    if (row.type == MetricType::Counter && !std::isnan(scalar_totals_[i])) {
      out.push_back(CounterFamily(std::string(row.metric), std::string(row.help),
                                  scalar_totals_[i] * row.scale));
    }
  }
  if (!commands_.empty()) {
    FamilyBuilder calls("stampede_redis_commands_total",
                        "Calls per command (INFO commandstats calls).", MetricType::Counter);
    FamilyBuilder secs("stampede_redis_commands_duration_seconds_total",
                       "Time spent per command (INFO commandstats usec).", MetricType::Counter);
    FamilyBuilder rejected("stampede_redis_commands_rejected_calls_total",
                           "Calls rejected before running, per command (INFO commandstats "
                           "rejected_calls, Redis 6.2+).",
                           MetricType::Counter);
    FamilyBuilder failed("stampede_redis_commands_failed_calls_total",
                         "Calls that failed while running, per command (INFO commandstats "
                         "failed_calls, Redis 6.2+).",
                         MetricType::Counter);
    for (const auto& [cmd, t] : commands_) {
      calls.Add({{"cmd", cmd}}, t.calls);
      secs.Add({{"cmd", cmd}}, t.seconds);
      rejected.Add({{"cmd", cmd}}, t.rejected);
      failed.Add({{"cmd", cmd}}, t.failed);
    }
    out.push_back(std::move(calls).Build());
    out.push_back(std::move(secs).Build());
    out.push_back(std::move(rejected).Build());
    out.push_back(std::move(failed).Build());
  }
  if (!errors_.empty()) {
    FamilyBuilder errs("stampede_redis_errors_total",
                       "Error replies per error prefix (INFO errorstats, Redis 6.2+).",
                       MetricType::Counter);
    for (const auto& [prefix, total] : errors_) {
      errs.Add({{"err", prefix}}, total);
    }
    out.push_back(std::move(errs).Build());
  }

  if (!up_ || !info_) {
    return Status::Error("redis is not answering INFO");
  }
  // Gauges: only from a live sample; a stale value would look current.
  const redis::InfoSnapshot& info = *info_;
  for (const FieldRow& row : kFields) {
    if (row.type != MetricType::Gauge) {
      continue;
    }
    if (auto v = info.Number(row.info_key)) {
      out.push_back(GaugeFamily(std::string(row.metric), std::string(row.help), *v * row.scale));
    }
  }
  out.push_back(
      FamilyBuilder("stampede_redis_instance_info",
                    "Always 1; labels describe the Redis server (INFO server and replication).",
                    MetricType::Gauge)
          .Add({{"redis_version", std::string(info.Text("redis_version").value_or(""))},
                {"redis_mode", std::string(info.Text("redis_mode").value_or(""))},
                {"role", std::string(info.Text("role").value_or(""))}},
               1)
          .Build());
  if (auto link = info.Text("master_link_status")) {
    out.push_back(GaugeFamily("stampede_redis_master_link_up",
                              "1 if this replica's link to its master is up (INFO replication "
                              "master_link_status).",
                              *link == "up" ? 1 : 0));
  }
  if (!info.replicas.empty()) {
    FamilyBuilder offset("stampede_redis_replica_offset_bytes",
                         "Replication offset acknowledged by each connected replica (INFO "
                         "replication slaveN offset).",
                         MetricType::Gauge);
    FamilyBuilder lag("stampede_redis_replica_lag_seconds",
                      "Seconds since each connected replica last acknowledged (INFO "
                      "replication slaveN lag).",
                      MetricType::Gauge);
    std::size_t n = 0;
    for (const auto& r : info.replicas) {
      if (++n > kMaxReplicas) {
        break;
      }
      const bool v6 = r.ip.find(':') != std::string::npos;
      const std::string replica = (v6 ? "[" + r.ip + "]" : r.ip) + ":" + FormatLabelNumber(r.port);
      offset.Add({{"replica", replica}, {"state", r.state}}, r.offset);
      lag.Add({{"replica", replica}, {"state", r.state}}, r.lag);
    }
    out.push_back(std::move(offset).Build());
    out.push_back(std::move(lag).Build());
  }
  if (!info.keyspace.empty()) {
    FamilyBuilder keys("stampede_redis_db_keys", "Keys per database (INFO keyspace keys).",
                       MetricType::Gauge);
    FamilyBuilder expiring("stampede_redis_db_keys_expiring",
                           "Keys with a TTL per database (INFO keyspace expires).",
                           MetricType::Gauge);
    FamilyBuilder ttl("stampede_redis_db_avg_ttl_seconds",
                      "Average TTL of keys with a TTL, estimated by Redis (INFO keyspace "
                      "avg_ttl).",
                      MetricType::Gauge);
    std::size_t n = 0;
    for (const auto& db : info.keyspace) {
      if (++n > kMaxDatabases) {
        break;
      }
      const std::string label = FormatLabelNumber(db.db);
      keys.Add({{"db", label}}, db.keys);
      expiring.Add({{"db", label}}, db.expires);
      ttl.Add({{"db", label}}, db.avg_ttl_ms / 1000.0);
    }
    out.push_back(std::move(keys).Build());
    out.push_back(std::move(expiring).Build());
    out.push_back(std::move(ttl).Build());
  }
  if (!info.latencies.empty()) {
    // A summary: Redis's percentiles (since start or RESETSTAT) as quantiles, with this
    // command's call count and time from commandstats as _count and _sum, so rate(_sum) /
    // rate(_count) gives the windowed mean the cumulative percentiles cannot.
    prometheus::MetricFamily lat;
    lat.name = "stampede_redis_latency_percentiles_seconds";
    lat.help =
        "Per-command latency percentiles since start or RESETSTAT (INFO latencystats, Redis "
        "7.0+); _count and _sum from commandstats.";
    lat.type = MetricType::Summary;
    std::size_t n = 0;
    for (const auto& l : info.latencies) {
      if (++n > kMaxCommands) {
        break;
      }
      prometheus::ClientMetric m;
      m.label.push_back({"cmd", l.command});
      if (auto it = commands_.find(l.command); it != commands_.end()) {
        m.summary.sample_count = static_cast<std::uint64_t>(it->second.calls);
        m.summary.sample_sum = it->second.seconds;
      }
      for (const auto& p : l.percentiles) {
        if (auto q = redis::ParseNumber(p.quantile)) {
          m.summary.quantile.push_back({*q, p.usec * 1e-6});
        }
      }
      lat.metric.push_back(std::move(m));
    }
    out.push_back(std::move(lat));
  }
  return Status::Ok();
}

}  // namespace stampede::collectors
